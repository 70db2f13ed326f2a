#include "services/analytics/analytics_metrics.h"

#include <string>

namespace doleances::analytics {

AnalyticsMetrics::AnalyticsMetrics(prometheus::Registry& registry)
    : events_applied_(prometheus::BuildCounter()
                          .Name("doleances_analytics_events_applied_total")
                          .Help("Events applied to the aggregates, by event type.")
                          .Register(registry)),
      sla_compliance_(prometheus::BuildGauge()
                          .Name("doleances_analytics_sla_compliance_ratio")
                          .Help("Clocks met on time over the last 30 days, by administration "
                                "and clock (met / (met + missed + breached open)).")
                          .Register(registry)),
      event_to_aggregate_(
          prometheus::BuildHistogram()
              .Name("doleances_analytics_event_to_aggregate_seconds")
              .Help("Time from an event's recording in the log to the commit of the aggregates "
                    "it moved.")
              .Register(registry)
              .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                               0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
                                                               30, 60, 300})) {}

void AnalyticsMetrics::EventApplied(absl::string_view event_type) {
  events_applied_.Add({{"event_type", std::string(event_type)}}).Increment();
}

void AnalyticsMetrics::EventToAggregate(absl::Duration lag) {
  event_to_aggregate_.Observe(absl::ToDoubleSeconds(lag));
}

void AnalyticsMetrics::SlaCompliance(absl::string_view administration_id, absl::string_view clock,
                                     double ratio) {
  sla_compliance_
      .Add({{"administration", std::string(administration_id)}, {"clock", std::string(clock)}})
      .Set(ratio);
}

}  // namespace doleances::analytics
