#pragma once

#include <absl/strings/string_view.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
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

 private:
  prometheus::Family<prometheus::Counter>& events_applied_;
  prometheus::Family<prometheus::Gauge>& sla_compliance_;
};

}  // namespace doleances::analytics
