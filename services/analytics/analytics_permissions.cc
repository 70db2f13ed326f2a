#include "services/analytics/analytics_permissions.h"

namespace doleances::analytics {

using auth::Role;

// Who may call each RPC (the "Roles:" line of its comment in analytics_service.proto). Analytics
// holds no personal data; supervisors are limited to their departments by the handlers.
const auth::PermissionTable& AnalyticsPermissions() {
  static const auto* const table = new auth::PermissionTable{
      {"GetKpis", {.roles = {Role::kAnalyst, Role::kAdmin, Role::kSupervisor}}},
      {"GetTrends", {.roles = {Role::kAnalyst, Role::kAdmin, Role::kSupervisor}}},
      {"GetTopIssues", {.roles = {Role::kAnalyst, Role::kAdmin, Role::kSupervisor}}},
      {"ExportKpis", {.roles = {Role::kAnalyst, Role::kAdmin}}},
  };
  return *table;
}

}  // namespace doleances::analytics
