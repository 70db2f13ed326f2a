#include "services/analytics/spike_detection.h"

#include <algorithm>
#include <cmath>

namespace doleances::analytics {

std::vector<ScoredPoint> ScoreSeries(const std::vector<double>& values,
                                     const SpikeOptions& options) {
  std::vector<ScoredPoint> scored(values.size());
  double mean = 0;
  double variance = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double value = values[i];
    if (i > 0) {
      const double deviation = std::max(std::sqrt(variance), std::sqrt(std::max(mean, 1.0)));
      scored[i].baseline = mean;
      scored[i].z_score = (value - mean) / deviation;
      scored[i].spike = static_cast<int>(i) >= options.warmup_periods &&
                        scored[i].z_score >= options.z_threshold && value >= options.min_value;
    }
    if (i == 0) {
      mean = value;
    } else {
      const double diff = value - mean;
      mean += options.alpha * diff;
      variance = (1 - options.alpha) * (variance + options.alpha * diff * diff);
    }
  }
  return scored;
}

}  // namespace doleances::analytics
