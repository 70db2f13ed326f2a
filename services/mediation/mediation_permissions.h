#pragma once

#include "common/auth/permissions.h"

namespace doleances::mediation {

// The roles allowed to call each RPC of MediationService.
const auth::PermissionTable& MediationPermissions();

}  // namespace doleances::mediation
