#pragma once

#include "common/auth/permissions.h"

namespace doleances::analytics {

// The roles allowed to call each RPC of AnalyticsService.
const auth::PermissionTable& AnalyticsPermissions();

}  // namespace doleances::analytics
