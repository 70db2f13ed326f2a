#include "services/intake/intake_config.h"

#include "common/util/env_int.h"

#include <absl/status/status.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

#include <cstdlib>

namespace doleances::intake {

absl::StatusOr<IntakeConfig> LoadIntakeConfig() {
  IntakeConfig config;
  if (const char* hours = std::getenv("DOLEANCES_INTAKE_KEY_RETENTION_HOURS")) {
    int parsed = 0;
    // Retries of a day-old submission must still be recognised (AIP-155 asks for 24 hours).
    if (!absl::SimpleAtoi(hours, &parsed) || parsed < 24) {
      return absl::InvalidArgumentError(
          "DOLEANCES_INTAKE_KEY_RETENTION_HOURS must be a whole number of hours, at least 24");
    }
    config.key_retention = absl::Hours(parsed);
  }
  // The window is bounded so that coalescing never costs a caller more than 2 ms (issue 7).
  int window_us = static_cast<int>(absl::ToInt64Microseconds(config.group_commit.window));
  for (absl::Status read : {
           util::ReadIntFromEnv("DOLEANCES_INTAKE_GROUP_COMMIT_WINDOW_US", 0, 2000, window_us),
           util::ReadIntFromEnv("DOLEANCES_INTAKE_GROUP_COMMIT_MAX_BATCH", 1, 1000,
                                config.group_commit.max_batch),
           util::ReadIntFromEnv("DOLEANCES_INTAKE_GROUP_COMMITTERS", 1, 16,
                                config.group_commit.committers),
           util::ReadIntFromEnv("DOLEANCES_INTAKE_CONSUMERS", 1, 16, config.consumer_members),
       }) {
    if (!read.ok()) {
      return read;
    }
  }
  config.group_commit.window = absl::Microseconds(window_us);
  return config;
}

}  // namespace doleances::intake
