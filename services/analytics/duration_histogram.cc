#include "services/analytics/duration_histogram.h"

#include <algorithm>
#include <cmath>

namespace doleances::analytics {
namespace {

const double kLogGrowth = std::log(1.02);

}  // namespace

int BucketOf(absl::Duration duration) {
  const double seconds = absl::ToDoubleSeconds(duration);
  if (!(seconds >= 1.0)) {  // Also catches NaN.
    return 0;
  }
  const int bucket = 1 + static_cast<int>(std::floor(std::log(seconds) / kLogGrowth));
  return std::min(bucket, kBucketCount - 1);
}

absl::Duration BucketValue(int bucket) {
  if (bucket <= 0) {
    return absl::Milliseconds(500);
  }
  return absl::Seconds(std::exp((bucket - 0.5) * kLogGrowth));
}

int64_t TotalCount(const BucketCounts& counts) {
  int64_t total = 0;
  for (const auto& [bucket, count] : counts) {
    total += count;
  }
  return total;
}

std::optional<absl::Duration> Quantile(const BucketCounts& counts, double q) {
  const int64_t total = TotalCount(counts);
  if (total <= 0) {
    return std::nullopt;
  }
  const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * total - 1e-9)));
  int64_t cumulative = 0;
  for (const auto& [bucket, count] : counts) {
    cumulative += count;
    if (cumulative >= rank) {
      return BucketValue(bucket);
    }
  }
  return BucketValue(counts.rbegin()->first);
}

}  // namespace doleances::analytics
