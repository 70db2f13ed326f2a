#include "services/analytics/analytics_config.h"

#include <absl/status/status.h>
#include <absl/strings/numbers.h>

#include <cstdlib>

namespace doleances::analytics {

absl::StatusOr<AnalyticsConfig> LoadAnalyticsConfig() {
  AnalyticsConfig config;
  if (const char* size = std::getenv("DOLEANCES_ANALYTICS_MIN_GROUP_SIZE")) {
    if (!absl::SimpleAtoi(size, &config.min_group_size) || config.min_group_size < 1 ||
        config.min_group_size > 1000) {
      return absl::InvalidArgumentError(
          "DOLEANCES_ANALYTICS_MIN_GROUP_SIZE must be an integer between 1 and 1000");
    }
  }
  return config;
}

}  // namespace doleances::analytics
