// doleances-mediation: wires configuration, database, migrations and the mediation service.
#include "common/log/log.h"
#include "common/server/periodic_task.h"
#include "common/server/service_main.h"
#include "services/mediation/doleances_mediation_migrations.h"
#include "services/mediation/mediation_deadline_timer.h"
#include "services/mediation/mediation_metrics.h"
#include "services/mediation/mediation_permissions.h"
#include "services/mediation/mediation_service.h"
#include "services/mediation/pg_mediation_store.h"
#include "services/mediation/pg_mediator_store.h"

#include <absl/time/clock.h>

#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("mediation", {50053, 9103});
  definition.migrations.push_back(&mediation::MediationMigrations());
  definition.prepare_hooks.push_back(&mediation::PgMediationStore::PrepareStatements);
  definition.prepare_hooks.push_back(&mediation::PgMediatorStore::PrepareStatements);
  definition.wire = [](server::ServiceRuntime& runtime) -> absl::Status {
    auto& mediations = runtime.Keep(std::make_unique<mediation::PgMediationStore>(runtime.pool()));
    auto& mediators = runtime.Keep(std::make_unique<mediation::PgMediatorStore>(runtime.pool()));
    auto& metrics =
        runtime.Keep(std::make_unique<mediation::MediationMetrics>(runtime.host().registry()));
    auto& service = runtime.Keep(std::make_unique<mediation::MediationServiceImpl>(
        runtime.MakeAuthorizer(mediation::MediationPermissions()), mediations, mediators, metrics,
        runtime.notifier(), &absl::Now));
    runtime.host().AddService(&service);
    auto& gauge_refresher =
        runtime.Keep(std::make_unique<server::PeriodicTask>(absl::Seconds(30), [&] {
          if (auto counts = mediations.CountOpenByAdministration(); counts.ok()) {
            metrics.SetOpenMediations(*counts);
          }
        }));
    // Deadline timers live in PostgreSQL: whichever replica polls first fires them, once.
    auto& timer = runtime.Keep(
        std::make_unique<mediation::MediationDeadlineTimer>(runtime.pool(), metrics, &absl::Now));
    auto& timer_task = runtime.Keep(std::make_unique<server::PeriodicTask>(
        absl::Seconds(1), [&timer, notifier = &runtime.notifier()] {
          absl::StatusOr<int> fired = timer.FireAllDue();
          if (!fired.ok()) {
            log::Error("deadline timers failed; retrying", {{"error", fired.status().ToString()}});
          } else if (*fired > 0) {
            notifier->EventsCommitted();
          }
        }));
    runtime.host().OnShutdown([&gauge_refresher, &timer_task] {
      timer_task.Stop();
      gauge_refresher.Stop();
    });
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
