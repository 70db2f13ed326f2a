#pragma once

#include <absl/time/time.h>

#include <array>
#include <atomic>
#include <cstdint>

namespace doleances::bench {

// Latencies in log-linear buckets, like HdrHistogram: exact below 128 ns, then 128 buckets per
// power of two (relative error under 0.8 %) up to 2.4 hours. Recording is lock-free, so
// gRPC completion threads record without contending on a mutex, and memory stays fixed however
// long the run.
class LatencyHistogram {
 public:
  void Record(absl::Duration latency);

  int64_t count() const { return count_.load(std::memory_order_relaxed); }
  absl::Duration max() const;
  absl::Duration mean() const;

  // The smallest recorded value v such that a fraction q of the records are <= v, to bucket
  // precision (the bucket's midpoint). q in [0, 1]; zero when nothing was recorded.
  absl::Duration Percentile(double q) const;

 private:
  static constexpr int kSubBits = 7;
  static constexpr int kSubBuckets = 1 << kSubBits;
  static constexpr int kBuckets = kSubBuckets * 37;  // Powers of two up to 2^43 ns (2.4 h).

  static int BucketOf(uint64_t nanos);
  static uint64_t MidpointOf(int bucket);

  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<int64_t> count_{0};
  std::atomic<uint64_t> sum_nanos_{0};
  std::atomic<uint64_t> max_nanos_{0};
};

}  // namespace doleances::bench
