#pragma once

#include <absl/strings/string_view.h>
#include <absl/time/time.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace doleances::analytics {

// Analytics' own metrics (RPC latency is counted by the host). Labels are bounded: event type
// names, administration ids and clock names; never anything about a citizen.
class AnalyticsMetrics {
 public:
  explicit AnalyticsMetrics(prometheus::Registry& registry);

  void EventApplied(absl::string_view event_type);
  // SLA compliance of `clock` ("CLOCK_KIND_FIRST_RESPONSE") over the last 30 days.
  void SlaCompliance(absl::string_view administration_id, absl::string_view clock, double ratio);
  // From an event's recorded_at in the log to the commit of the aggregates it moved.
  void EventToAggregate(absl::Duration lag);

 private:
  prometheus::Family<prometheus::Counter>& events_applied_;
  prometheus::Family<prometheus::Gauge>& sla_compliance_;
  prometheus::Histogram& event_to_aggregate_;
};

}  // namespace doleances::analytics
