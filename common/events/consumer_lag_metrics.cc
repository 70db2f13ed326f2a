#include "common/events/consumer_lag_metrics.h"

#include <absl/strings/str_cat.h>

#include <string>

namespace doleances::events {

ConsumerLagMetrics::ConsumerLagMetrics(prometheus::Registry& registry, absl::string_view service,
                                       EventConsumer& consumer, absl::string_view group)
    : consumer_(consumer),
      events_(prometheus::BuildGauge()
                  .Name(absl::StrCat("doleances_", service, "_event_consumer_lag_events"))
                  .Help("Committed events this consumer group has not applied yet.")
                  .Register(registry)
                  .Add({{"group", std::string(group)}})),
      seconds_(prometheus::BuildGauge()
                   .Name(absl::StrCat("doleances_", service, "_event_consumer_lag_seconds"))
                   .Help("Age of the oldest committed event this group has not applied yet.")
                   .Register(registry)
                   .Add({{"group", std::string(group)}})) {}

void ConsumerLagMetrics::Refresh() {
  absl::StatusOr<ConsumerLag> lag = consumer_.MeasureLag();
  if (lag.ok()) {
    events_.Set(static_cast<double>(lag->pending_events));
    seconds_.Set(absl::ToDoubleSeconds(lag->oldest_pending_age));
  }
}

}  // namespace doleances::events
