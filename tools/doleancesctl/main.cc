// doleancesctl: the command-line client of the Doléances services.
#include "tools/doleancesctl/admin_command.h"
#include "tools/doleancesctl/analytics_commands.h"
#include "tools/doleancesctl/cli.h"
#include "tools/doleancesctl/health_command.h"
#include "tools/doleancesctl/intake_commands.h"
#include "tools/doleancesctl/mediation_commands.h"
#include "tools/doleancesctl/rules_command.h"
#include "tools/doleancesctl/workflow_commands.h"

#include <iostream>
#include <map>

int main(int argc, char** argv) {
  using namespace doleances::cli;
  const std::map<std::string, Command> commands = {
      {"admin", AdminCommand()},
      {"health", HealthCommand()},
      // Intake.
      {"submit", SubmitCommand()},
      {"get", GetCommand()},
      {"track", TrackCommand()},
      {"watch", WatchCommand()},
      {"message", MessageCommand()},
      {"withdraw", WithdrawCommand()},
      {"feedback", FeedbackCommand()},
      // Workflow.
      {"queue", QueueCommand()},
      {"case", CaseCommand()},
      {"claim", ClaimCommand()},
      {"transition", TransitionCommand()},
      {"respond", RespondCommand()},
      {"deadlines", DeadlinesCommand()},
      {"note", NoteCommand()},
      {"transfer", TransferCommand()},
      {"rules", RulesCommand()},
      {"mediation", MediationCommand()},
      // Analytics.
      {"kpis", KpisCommand()},
      {"trends", TrendsCommand()},
      {"top", TopCommand()},
  };
  const Invocation invocation = ParseInvocation(argc, argv);
  auto command =
      invocation.words.empty() ? commands.end() : commands.find(invocation.words.front());
  if (command == commands.end()) {
    std::cerr << "usage: doleancesctl COMMAND [options]\n"
                 "common options: --intake=host:port --workflow=... --mediation=... "
                 "--analytics=... --api-key=KEY --tls-ca=ca.pem --timeout-seconds=N\n"
                 "commands:\n";
    for (const auto& [name, known] : commands) {
      std::cerr << "  " << known.usage << "\n";
    }
    return 2;
  }
  return command->second.run(invocation, std::cout);
}
