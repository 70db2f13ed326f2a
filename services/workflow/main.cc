// doleances-workflow: wires configuration, database, migrations, the routing consumer and the
// workflow service together.
#include "common/events/consumer_lag_metrics.h"
#include "common/events/consumer_members.h"
#include "common/events/event_consumer.h"
#include "common/log/log.h"
#include "common/server/periodic_task.h"
#include "common/server/service_main.h"
#include "common/util/env_int.h"
#include "common/util/key_file.h"
#include "services/workflow/deadline_timer.h"
#include "services/workflow/doleances_workflow_migrations.h"
#include "services/workflow/mediation_requester.h"
#include "services/workflow/pg_assignment_store.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/pg_clock_store.h"
#include "services/workflow/pg_organisation_store.h"
#include "services/workflow/pg_routing_rule_store.h"
#include "services/workflow/workflow_event_handler.h"
#include "services/workflow/workflow_gauges.h"
#include "services/workflow/workflow_metrics.h"
#include "services/workflow/workflow_permissions.h"
#include "services/workflow/workflow_service.h"

#include <absl/time/clock.h>

#include <grpcpp/create_channel.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace {

// Members of the routing consumer group in this process (DOLEANCES_WORKFLOW_CONSUMERS): more
// than one overlaps the round trips of routing; more than the log's partitions would idle.
constexpr int kDefaultConsumerMembers = 4;

}  // namespace

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("workflow", {50052, 9102});
  definition.migrations.push_back(&workflow::WorkflowMigrations());
  definition.prepare_hooks.push_back(&workflow::PgCaseStore::PrepareStatements);
  definition.prepare_hooks.push_back(&workflow::PgClockStore::PrepareStatements);
  definition.prepare_hooks.push_back(&workflow::PgOrganisationStore::PrepareStatements);
  definition.prepare_hooks.push_back(&workflow::PgRoutingRuleStore::PrepareStatements);
  definition.prepare_hooks.push_back(&workflow::PgAssignmentStore::PrepareStatements);
  definition.wire = [](server::ServiceRuntime& runtime) -> absl::Status {
    auto& metrics =
        runtime.Keep(std::make_unique<workflow::WorkflowMetrics>(runtime.host().registry()));
    workflow::WorkflowMetrics::Install(&metrics);
    auto& store = runtime.Keep(std::make_unique<workflow::PgCaseStore>(runtime.pool()));
    // Keyword rules match on the complaint's words, read from intake as workflow's principal.
    const char* intake_address = std::getenv("DOLEANCES_INTAKE_ADDRESS");
    auto& texts = runtime.Keep(std::make_unique<workflow::IntakeComplaintTexts>(
        grpc::CreateChannel(intake_address != nullptr ? intake_address : "127.0.0.1:50051",
                            grpc::InsecureChannelCredentials()),
        util::KeyFileReader("DOLEANCES_INTAKE_API_KEY_FILE")));
    auto& service = runtime.Keep(std::make_unique<workflow::WorkflowServiceImpl>(
        runtime.MakeAuthorizer(workflow::WorkflowPermissions()), store, runtime.notifier(),
        &absl::Now, &texts));
    runtime.host().AddService(&service);
    events::CommitNotifier& notifier = runtime.notifier();
    // Routing one complaint is a chain of round trips (intake for its words, then a dozen
    // statements): several members overlap them (ConsumerMembers).
    int members = kDefaultConsumerMembers;
    if (absl::Status read =
            util::ReadIntFromEnv("DOLEANCES_WORKFLOW_CONSUMERS", 1, events::kPartitions, members);
        !read.ok()) {
      return read;
    }
    auto& consumers = runtime.Keep(std::make_unique<events::ConsumerMembers>(
        runtime.pool(), members,
        events::ConsumerOptions{.group = workflow::kWorkflowConsumerGroup,
                                .after_commit = [&notifier] { notifier.EventsCommitted(); },
                                .before_apply = workflow::PrefetchReceivedTexts(texts)},
        workflow::WorkflowEventHandler(texts)));
    if (absl::Status registered = consumers.Register(); !registered.ok()) {
      return registered;
    }
    consumers.Start();
    auto& lag = runtime.Keep(std::make_unique<events::ConsumerLagMetrics>(
        runtime.host().registry(), "workflow", consumers.any(), workflow::kWorkflowConsumerGroup));
    auto& lag_refresher = runtime.Keep(std::make_unique<server::PeriodicTask>(
        absl::Seconds(15), [&lag, &metrics, pool = &runtime.pool()] {
          lag.Refresh();
          if (absl::Status refreshed = workflow::RefreshWorkflowGauges(*pool, metrics);
              !refreshed.ok()) {
            log::Warning("workflow gauges not refreshed", {{"error", refreshed.ToString()}});
          }
        }));
    // Deadline timers live in PostgreSQL: whichever replica polls first fires them, once.
    auto& timer =
        runtime.Keep(std::make_unique<workflow::DeadlineTimer>(runtime.pool(), &absl::Now));
    auto& timer_task =
        runtime.Keep(std::make_unique<server::PeriodicTask>(absl::Seconds(1), [&timer, &notifier] {
          absl::StatusOr<int> fired = timer.FireAllDue();
          if (!fired.ok()) {
            log::Error("deadline timers failed; retrying", {{"error", fired.status().ToString()}});
          } else if (*fired > 0) {
            notifier.EventsCommitted();
          }
        }));
    // SendToMediation's requests, delivered to mediation until it acknowledges them.
    const char* mediation_address = std::getenv("DOLEANCES_MEDIATION_ADDRESS");
    auto& requester = runtime.Keep(std::make_unique<workflow::MediationRequester>(
        runtime.pool(),
        grpc::CreateChannel(mediation_address != nullptr ? mediation_address : "127.0.0.1:50053",
                            grpc::InsecureChannelCredentials()),
        util::KeyFileReader("DOLEANCES_MEDIATION_API_KEY_FILE"), &absl::Now));
    auto& requester_task = runtime.Keep(std::make_unique<
                                        server::PeriodicTask>(absl::Seconds(1), [&requester] {
      if (absl::StatusOr<int> sent = requester.SendDue(); !sent.ok()) {
        log::Error("mediation requests failed; retrying", {{"error", sent.status().ToString()}});
      }
    }));
    runtime.host().OnShutdown([&consumers, &lag_refresher, &timer_task, &requester_task] {
      requester_task.Stop();
      timer_task.Stop();
      lag_refresher.Stop();
      consumers.Stop();
    });
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
