// doleances-analytics: wires configuration, database, migrations, the event consumer that keeps
// the aggregates, and the KPI service together.
#include "common/events/consumer_lag_metrics.h"
#include "common/events/event_consumer.h"
#include "common/server/periodic_task.h"
#include "common/server/service_main.h"
#include "services/analytics/analytics_config.h"
#include "services/analytics/analytics_event_handler.h"
#include "services/analytics/analytics_metrics.h"
#include "services/analytics/analytics_permissions.h"
#include "services/analytics/analytics_service.h"
#include "services/analytics/doleances_analytics_migrations.h"
#include "services/analytics/kpi_query.h"
#include "services/analytics/pg_analytics_store.h"
#include "services/analytics/sla_gauges.h"

#include <absl/time/clock.h>

#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("analytics", {50054, 9104});
  definition.migrations.push_back(&analytics::AnalyticsMigrations());
  definition.prepare_hooks.push_back(&analytics::PgAnalyticsStore::PrepareStatements);
  definition.wire = [](server::ServiceRuntime& runtime) -> absl::Status {
    absl::StatusOr<analytics::AnalyticsConfig> config = analytics::LoadAnalyticsConfig();
    if (!config.ok()) {
      return config.status();
    }
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(analytics::kAggregateTimeZone, &zone)) {
      return absl::FailedPreconditionError("time zone Europe/Paris not found (install tzdata)");
    }
    auto& metrics =
        runtime.Keep(std::make_unique<analytics::AnalyticsMetrics>(runtime.host().registry()));
    auto& handler =
        runtime.Keep(std::make_unique<analytics::AnalyticsEventHandler>(&metrics, zone));
    auto& consumer = runtime.Keep(std::make_unique<events::EventConsumer>(
        runtime.pool(), handler.ConsumerOptions(),
        [&handler](pqxx::work& tx, const events::StoredEvent& event) {
          return handler.Apply(tx, event);
        }));
    if (absl::Status registered = consumer.Register(); !registered.ok()) {
      return registered;
    }
    auto& store = runtime.Keep(std::make_unique<analytics::PgAnalyticsStore>(runtime.pool()));
    auto& watermark = runtime.Keep(std::make_unique<analytics::Watermark>());
    watermark.Refresh(consumer, absl::Now());
    auto& service = runtime.Keep(std::make_unique<analytics::AnalyticsServiceImpl>(
        runtime.MakeAuthorizer(analytics::AnalyticsPermissions()), store, config->min_group_size,
        &absl::Now, [&watermark] { return watermark.Get(); }));
    runtime.host().AddService(&service);
    consumer.Start();
    auto& lag = runtime.Keep(std::make_unique<events::ConsumerLagMetrics>(
        runtime.host().registry(), "analytics", consumer, analytics::kAnalyticsConsumerGroup));
    auto& lag_refresher = runtime.Keep(
        std::make_unique<server::PeriodicTask>(absl::Seconds(15), [&lag] { lag.Refresh(); }));
    auto& watermark_refresher = runtime.Keep(std::make_unique<server::PeriodicTask>(
        absl::Seconds(2), [&watermark, &consumer] { watermark.Refresh(consumer, absl::Now()); }));
    auto& sla_refresher = runtime.Keep(
        std::make_unique<server::PeriodicTask>(absl::Minutes(1), [&store, &metrics, zone] {
          // A failure leaves the gauges at their last values until the next run.
          (void)analytics::RefreshSlaGauges(store, metrics, absl::Now(), zone);
        }));
    runtime.host().OnShutdown([&consumer, &lag_refresher, &sla_refresher, &watermark_refresher] {
      watermark_refresher.Stop();
      sla_refresher.Stop();
      lag_refresher.Stop();
      consumer.Stop();
    });
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
