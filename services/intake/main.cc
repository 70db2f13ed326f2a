// doleances-intake: wires configuration, database, migrations and the intake service together.
#include "common/calendar/business_calendar.h"
#include "common/events/consumer_lag_metrics.h"
#include "common/events/consumer_members.h"
#include "common/events/event_consumer.h"
#include "common/server/periodic_task.h"
#include "common/server/service_main.h"
#include "common/util/key_file.h"
#include "services/intake/change_hub.h"
#include "services/intake/doleances_intake_migrations.h"
#include "services/intake/group_committer.h"
#include "services/intake/intake_config.h"
#include "services/intake/intake_event_handler.h"
#include "services/intake/intake_metrics.h"
#include "services/intake/intake_permissions.h"
#include "services/intake/intake_service.h"
#include "services/intake/pg_complaint_store.h"
#include "services/intake/workflow_public_texts.h"

#include <absl/time/clock.h>

#include <grpcpp/create_channel.h>

#include <cstdlib>
#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("intake", {50051, 9101});
  definition.migrations.push_back(&intake::IntakeMigrations());
  definition.prepare_hooks.push_back(&intake::PgComplaintStore::PrepareStatements);
  definition.wire = [](server::ServiceRuntime& runtime) -> absl::Status {
    absl::StatusOr<intake::IntakeConfig> config = intake::LoadIntakeConfig();
    if (!config.ok()) {
      return config.status();
    }
    absl::StatusOr<calendar::BusinessCalendar> calendar = calendar::BusinessCalendar::Create({});
    if (!calendar.ok()) {
      return calendar.status();
    }
    auto& changes = runtime.Keep(std::make_unique<intake::ChangeHub>());
    auto& store = runtime.Keep(std::make_unique<intake::PgComplaintStore>(runtime.pool()));
    auto& metrics =
        runtime.Keep(std::make_unique<intake::IntakeMetrics>(runtime.host().registry()));
    // Kept objects outlive the server: calls still waiting for a batch are answered at drain.
    auto& committer = runtime.Keep(std::make_unique<intake::GroupCommitter>(
        store, runtime.notifier(), metrics, config->group_commit));
    auto& service = runtime.Keep(std::make_unique<intake::IntakeServiceImpl>(
        runtime.MakeAuthorizer(intake::IntakePermissions()), store, committer, runtime.notifier(),
        metrics, runtime.Keep(std::make_unique<calendar::BusinessCalendar>(*std::move(calendar))),
        changes, &absl::Now));
    runtime.host().AddService(&service);
    // Questions and responses are read from workflow's public history, as intake's principal.
    const char* workflow_address = std::getenv("DOLEANCES_WORKFLOW_ADDRESS");
    auto& texts = runtime.Keep(std::make_unique<intake::WorkflowPublicTexts>(
        grpc::CreateChannel(workflow_address != nullptr ? workflow_address : "127.0.0.1:50052",
                            grpc::InsecureChannelCredentials()),
        util::KeyFileReader("DOLEANCES_WORKFLOW_API_KEY_FILE")));
    // Mirroring an event may call workflow (public texts): members overlap those round trips.
    auto& consumers = runtime.Keep(std::make_unique<events::ConsumerMembers>(
        runtime.pool(), config->consumer_members,
        events::ConsumerOptions{.group = intake::kIntakeConsumerGroup,
                                .after_commit = [&changes] { changes.Notify(); }},
        intake::IntakeEventHandler(texts)));
    if (absl::Status registered = consumers.Register(); !registered.ok()) {
      return registered;
    }
    consumers.Start();
    runtime.host().OnDrain([&changes] { changes.Drain(); });
    auto& lag = runtime.Keep(std::make_unique<events::ConsumerLagMetrics>(
        runtime.host().registry(), "intake", consumers.any(), intake::kIntakeConsumerGroup));
    auto& lag_refresher = runtime.Keep(
        std::make_unique<server::PeriodicTask>(absl::Seconds(15), [&lag] { lag.Refresh(); }));
    auto& purger = runtime.Keep(std::make_unique<server::PeriodicTask>(
        absl::Minutes(10), [&store, retention = config->key_retention] {
          (void)store.PurgeIdempotencyKeys(retention);  // Failures only delay the purge.
        }));
    runtime.host().OnShutdown([&consumers, &purger, &lag_refresher] {
      lag_refresher.Stop();
      purger.Stop();
      consumers.Stop();
    });
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
