#include "services/analytics/kaplan_meier.h"

#include <set>

namespace doleances::analytics {
namespace {

int64_t CountAt(const BucketCounts& counts, int bucket) {
  const auto it = counts.find(bucket);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

std::vector<std::pair<int, double>> KaplanMeierCurve(const BucketCounts& resolved,
                                                     const BucketCounts& censored) {
  std::set<int> buckets;
  for (const auto& [bucket, count] : resolved) {
    buckets.insert(bucket);
  }
  for (const auto& [bucket, count] : censored) {
    buckets.insert(bucket);
  }
  int64_t at_risk = TotalCount(resolved) + TotalCount(censored);
  double survival = 1.0;
  std::vector<std::pair<int, double>> curve;
  for (const int bucket : buckets) {
    const int64_t events = CountAt(resolved, bucket);
    if (events > 0 && at_risk > 0) {
      survival *= 1.0 - static_cast<double>(events) / static_cast<double>(at_risk);
      curve.emplace_back(bucket, survival);
    }
    at_risk -= events + CountAt(censored, bucket);
  }
  return curve;
}

std::optional<absl::Duration> SurvivalQuantile(const std::vector<std::pair<int, double>>& curve,
                                               double q) {
  for (const auto& [bucket, survival] : curve) {
    if (survival <= 1.0 - q + 1e-12) {
      return BucketValue(bucket);
    }
  }
  return std::nullopt;
}

}  // namespace doleances::analytics
