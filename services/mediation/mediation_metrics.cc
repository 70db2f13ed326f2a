#include "services/mediation/mediation_metrics.h"

namespace doleances::mediation {
namespace {

// Minutes (an immediate withdrawal) to 180 days (an extended 90-day mediation), in seconds.
prometheus::Histogram::BucketBoundaries DurationBuckets() {
  constexpr double kMinute = 60;
  constexpr double kHour = 60 * kMinute;
  constexpr double kDay = 24 * kHour;
  return {10 * kMinute, kHour,     6 * kHour, kDay,      3 * kDay,  7 * kDay,   14 * kDay,
          21 * kDay,    30 * kDay, 45 * kDay, 60 * kDay, 90 * kDay, 120 * kDay, 180 * kDay};
}

}  // namespace

MediationMetrics::MediationMetrics(prometheus::Registry& registry)
    : duration_(prometheus::BuildHistogram()
                    .Name("doleances_mediation_duration_seconds")
                    .Help("Time from opening to closing a mediation, by outcome.")
                    .Register(registry)),
      breaches_(prometheus::BuildCounter()
                    .Name("doleances_mediation_deadline_breaches_total")
                    .Help("Mediation deadlines breached, once each, by clock.")
                    .Register(registry)),
      open_(prometheus::BuildGauge()
                .Name("doleances_mediation_open_mediations")
                .Help("Mediations not closed yet, by administration.")
                .Register(registry)) {}

void MediationMetrics::Closed(absl::string_view outcome, absl::Duration duration) {
  duration_.Add({{"outcome", std::string(outcome)}}, DurationBuckets())
      .Observe(absl::ToDoubleSeconds(duration));
}

void MediationMetrics::DeadlineBreached(absl::string_view clock) {
  breaches_.Add({{"clock", std::string(clock)}}).Increment();
}

void MediationMetrics::SetOpenMediations(
    const std::vector<std::pair<std::string, int64_t>>& counts) {
  for (prometheus::Gauge* gauge : open_gauges_) {
    gauge->Set(0);
  }
  for (const auto& [administration_id, count] : counts) {
    prometheus::Gauge& gauge = open_.Add({{"administration_id", administration_id}});
    gauge.Set(static_cast<double>(count));
    open_gauges_.insert(&gauge);
  }
}

}  // namespace doleances::mediation
