#include "services/intake/intake_config.h"

#include <absl/status/status.h>
#include <absl/strings/numbers.h>

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
  return config;
}

}  // namespace doleances::intake
