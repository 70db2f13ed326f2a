#pragma once

#include "common/events/event_consumer.h"

#include <absl/strings/string_view.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace doleances::events {

// Exports how far a consumer group is behind the committed log, so that a stalled consumer
// (a failing handler, a long transaction holding the horizon) shows on dashboards and alerts:
// doleances_<service>_event_consumer_lag_events{group} and ..._lag_seconds{group} (age of the
// oldest event not yet applied).
class ConsumerLagMetrics {
 public:
  ConsumerLagMetrics(prometheus::Registry& registry, absl::string_view service,
                     EventConsumer& consumer, absl::string_view group);

  // Measures the lag once and publishes it; keeps the last values when the database fails.
  void Refresh();

 private:
  EventConsumer& consumer_;
  prometheus::Gauge& events_;
  prometheus::Gauge& seconds_;
};

}  // namespace doleances::events
