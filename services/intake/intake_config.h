#pragma once

#include "services/intake/group_committer.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

namespace doleances::intake {

// Intake's own settings, beyond what every service shares (common/server/server_config.h).
struct IntakeConfig {
  // How long idempotency keys are kept (DOLEANCES_INTAKE_KEY_RETENTION_HOURS, at least 24).
  absl::Duration key_retention = absl::Hours(48);
  // Group commit of single submissions: DOLEANCES_INTAKE_GROUP_COMMIT_WINDOW_US (0-2000),
  // DOLEANCES_INTAKE_GROUP_COMMIT_MAX_BATCH (1-1000), DOLEANCES_INTAKE_GROUP_COMMITTERS (1-16).
  GroupCommitOptions group_commit;
  // Members of intake's consumer group in the process (DOLEANCES_INTAKE_CONSUMERS, 1-16).
  int consumer_members = 4;
};

// Reads the environment; INVALID_ARGUMENT naming the variable when a value is malformed.
absl::StatusOr<IntakeConfig> LoadIntakeConfig();

}  // namespace doleances::intake
