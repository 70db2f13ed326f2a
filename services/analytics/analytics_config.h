#pragma once

#include <absl/status/statusor.h>

namespace doleances::analytics {

// Analytics' own settings, beyond what every service shares (common/server/server_config.h).
struct AnalyticsConfig {
  // Groups with fewer complaints are suppressed in every answer
  // (DOLEANCES_ANALYTICS_MIN_GROUP_SIZE, 1-1000).
  int min_group_size = 5;
};

// Reads the environment; INVALID_ARGUMENT naming the variable when a value is malformed.
absl::StatusOr<AnalyticsConfig> LoadAnalyticsConfig();

}  // namespace doleances::analytics
