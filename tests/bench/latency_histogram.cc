#include "tests/bench/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace doleances::bench {

int LatencyHistogram::BucketOf(uint64_t nanos) {
  if (nanos < kSubBuckets) {
    return static_cast<int>(nanos);
  }
  // The top kSubBits + 1 significant bits select the bucket: the leading one picks the power of
  // two, the next kSubBits where inside it.
  const int exponent = 63 - std::countl_zero(nanos);
  const int shift = exponent - kSubBits;
  const int bucket = kSubBuckets * (shift + 1) + static_cast<int>((nanos >> shift) - kSubBuckets);
  return std::min(bucket, kBuckets - 1);
}

uint64_t LatencyHistogram::MidpointOf(int bucket) {
  if (bucket < kSubBuckets) {
    return static_cast<uint64_t>(bucket);
  }
  const int shift = bucket / kSubBuckets - 1;
  const uint64_t mantissa = static_cast<uint64_t>(kSubBuckets + bucket % kSubBuckets);
  return (mantissa << shift) + ((uint64_t{1} << shift) >> 1);
}

void LatencyHistogram::Record(absl::Duration latency) {
  const uint64_t nanos =
      static_cast<uint64_t>(std::max<int64_t>(0, absl::ToInt64Nanoseconds(latency)));
  buckets_[BucketOf(nanos)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(nanos, std::memory_order_relaxed);
  uint64_t seen = max_nanos_.load(std::memory_order_relaxed);
  while (nanos > seen && !max_nanos_.compare_exchange_weak(seen, nanos)) {
  }
}

absl::Duration LatencyHistogram::max() const {
  return absl::Nanoseconds(max_nanos_.load(std::memory_order_relaxed));
}

absl::Duration LatencyHistogram::mean() const {
  const int64_t n = count();
  return n == 0
             ? absl::ZeroDuration()
             : absl::Nanoseconds(static_cast<double>(sum_nanos_.load()) / static_cast<double>(n));
}

absl::Duration LatencyHistogram::Percentile(double q) const {
  const int64_t n = count();
  if (n == 0) {
    return absl::ZeroDuration();
  }
  const auto rank =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * static_cast<double>(n))));
  if (rank >= n) {
    return max();  // The top of the distribution is known exactly.
  }
  int64_t seen = 0;
  for (int bucket = 0; bucket < kBuckets; ++bucket) {
    seen += static_cast<int64_t>(buckets_[bucket].load(std::memory_order_relaxed));
    if (seen >= rank) {
      // The midpoint may overshoot the largest value recorded; never report more than it.
      return std::min(absl::Nanoseconds(MidpointOf(bucket)), max());
    }
  }
  return max();
}

}  // namespace doleances::bench
