// Choosing who handles a case (AssignCase, automatic assignment on routing): which agents are
// qualified for it now, and the least loaded of them. Pure: no database, no clock, no protobuf.
#pragma once

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// A period of absence; an unset bound is unbounded on that side. The end is exclusive.
struct Absence {
  std::optional<absl::Time> start;
  std::optional<absl::Time> end;
};

// An agent as assignment sees them.
struct AgentProfile {
  std::string agent_id;
  bool active = true;
  std::vector<std::string> department_ids;
  // Queues worked; empty means every queue of their departments.
  std::vector<std::string> queue_ids;
  // Category codes; empty means a generalist.
  std::vector<std::string> categories;
  // INSEE commune or département code prefixes; empty means anywhere.
  std::vector<std::string> territory_prefixes;
  // Maximum open cases; 0 excludes the agent from automatic assignment.
  int capacity = 0;
  std::vector<Absence> absences;
  // Open cases assigned now (see PgOrganisationStore for what "open" means).
  int open_cases = 0;
};

// What about a case decides who may take it.
struct CaseToAssign {
  std::string department_id;
  std::string queue_id;
  std::string category;
  std::string commune_code;
  std::string department_code;
};

enum class AssignmentMode {
  // By a supervisor naming the agent: capacity 0 means no limit.
  kManual,
  // Chosen by workflow: capacity 0 excludes the agent.
  kAutomatic,
};

// Why `agent` may not take `case_to_assign` at `now` ("absent", "not qualified for category
// 'voirie'", "full: 12 of 12 open", ...); empty when they may. Checks, in order: active, member
// of the case's department, works its queue, qualified for its category (a case without
// category goes to generalists only), covers its territory (ASCII case-insensitive prefix of the
// commune or département code; a case without territory goes to agents covering anywhere), not
// absent at `now`, below capacity.
std::string Disqualification(const AgentProfile& agent, const CaseToAssign& case_to_assign,
                             absl::Time now, AssignmentMode mode);

// The agent chosen automatically, and why.
struct AgentChoice {
  std::string agent_id;
  // "least loaded qualified agent: 3 of 12 open (2 qualified of 5)".
  std::string reason;
};

// The qualified agent (kAutomatic) with the fewest open cases, ties broken by the lower ratio of
// open cases to capacity, then by agent_id, so that the same inputs always give the same agent.
// FAILED_PRECONDITION naming why each agent was skipped when nobody qualifies.
absl::StatusOr<AgentChoice> ChooseLeastLoaded(const std::vector<AgentProfile>& agents,
                                              const CaseToAssign& case_to_assign, absl::Time now);

}  // namespace doleances::workflow
