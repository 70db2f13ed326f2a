#pragma once

#include "services/analytics/duration_histogram.h"

#include <absl/time/time.h>

#include <optional>
#include <utility>
#include <vector>

namespace doleances::analytics {

// The Kaplan-Meier survival curve of "still unresolved" over bucketed times: `resolved` holds the
// times to resolution, `censored` the times at which the rest left observation (still open at the
// measurement, withdrawn, rejected, transferred). At equal buckets resolutions come first, the
// usual convention. Returns (bucket, survival just after it) at every bucket with a resolution.
std::vector<std::pair<int, double>> KaplanMeierCurve(const BucketCounts& resolved,
                                                     const BucketCounts& censored);

// The time by which a share `q` of the cohort is estimated resolved: the first step where
// survival <= 1 - q; nullopt while the curve has not gone that low.
std::optional<absl::Duration> SurvivalQuantile(const std::vector<std::pair<int, double>>& curve,
                                               double q);

}  // namespace doleances::analytics
