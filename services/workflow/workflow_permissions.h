#pragma once

#include "common/auth/permissions.h"

namespace doleances::workflow {

// The roles allowed to call each RPC of WorkflowService.
const auth::PermissionTable& WorkflowPermissions();

}  // namespace doleances::workflow
