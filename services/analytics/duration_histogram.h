#pragma once

#include <absl/container/btree_map.h>
#include <absl/time/time.h>

#include <cstdint>
#include <optional>

namespace doleances::analytics {

// Fixed log-spaced buckets for durations. Bucket 0 holds [0, 1 s); bucket b >= 1 holds
// [g^(b-1), g^b) seconds with g = 1.02, so the geometric middle of a bucket is within 1 % of any
// duration in it (the contract's promise), and the same buckets summed over any roll-up give its
// quantiles. The last bucket also takes everything beyond ~600 years.
inline constexpr int kBucketCount = 1200;

// Counts per bucket index; absent buckets are zero.
using BucketCounts = absl::btree_map<int, int64_t>;

// The bucket of `duration`; negative durations (clock skew between producers) count as zero.
int BucketOf(absl::Duration duration);

// The representative duration of `bucket`: its geometric middle (0.5 s for bucket 0).
absl::Duration BucketValue(int bucket);

int64_t TotalCount(const BucketCounts& counts);

// Nearest-rank quantile: the value of the first bucket whose cumulative count reaches
// ceil(q * total). nullopt when there are no samples. `q` in (0, 1].
std::optional<absl::Duration> Quantile(const BucketCounts& counts, double q);

}  // namespace doleances::analytics
