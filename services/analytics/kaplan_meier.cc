#include "services/analytics/kaplan_meier.h"

namespace doleances::analytics {

std::vector<std::pair<int, double>> KaplanMeierCurve(const BucketCounts& resolved,
                                                     const BucketCounts& censored) {
  int64_t at_risk = TotalCount(resolved) + TotalCount(censored);
  double survival = 1.0;
  std::vector<std::pair<int, double>> curve;
  // Both are sorted by bucket: one walk over the two, rather than a set of buckets and a lookup
  // in each per bucket (a cohort of 10M complaints fills a thousand buckets of each).
  auto r = resolved.begin();
  auto c = censored.begin();
  while (r != resolved.end() || c != censored.end()) {
    const int bucket =
        c == censored.end() || (r != resolved.end() && r->first < c->first) ? r->first : c->first;
    int64_t events = 0;
    int64_t left = 0;
    if (r != resolved.end() && r->first == bucket) {
      events = (r++)->second;
    }
    if (c != censored.end() && c->first == bucket) {
      left = (c++)->second;
    }
    if (events > 0 && at_risk > 0) {
      survival *= 1.0 - static_cast<double>(events) / static_cast<double>(at_risk);
      curve.emplace_back(bucket, survival);
    }
    at_risk -= events + left;
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
