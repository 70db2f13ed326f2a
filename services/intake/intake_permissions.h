#pragma once

#include "common/auth/permissions.h"

namespace doleances::intake {

// The roles allowed to call each RPC of IntakeService.
const auth::PermissionTable& IntakePermissions();

}  // namespace doleances::intake
