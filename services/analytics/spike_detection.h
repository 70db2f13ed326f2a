#pragma once

#include <vector>

namespace doleances::analytics {

struct SpikeOptions {
  double alpha = 0.3;        // EWMA weight of the newest period.
  double z_threshold = 3.0;  // z-score from which a point is a spike.
  int warmup_periods = 7;    // Periods seen before any point may be a spike.
  double min_value = 0;      // Smaller values are never spikes (suppressed anyway).
};

// A point scored against the rolling baseline of the periods before it.
struct ScoredPoint {
  double baseline = 0;  // EWMA of earlier values.
  double z_score = 0;
  bool spike = false;
};

// Scores each value against an exponentially weighted mean and variance of the values before it.
// The deviation has a floor of sqrt(max(baseline, 1)) (counts are roughly Poisson), so that a
// flat series with tiny variance does not turn every ripple into a spike.
std::vector<ScoredPoint> ScoreSeries(const std::vector<double>& values,
                                     const SpikeOptions& options);

}  // namespace doleances::analytics
