#include "services/intake/intake_permissions.h"

namespace doleances::intake {

using auth::Role;

// Who may call each RPC (the "Roles:" line of its comment in intake_service.proto). Row-level
// limits (own complaints, own administrations, the file named by a tracking code) are the
// handlers' job.
const auth::PermissionTable& IntakePermissions() {
  static const auto* const table = new auth::PermissionTable{
      {"SubmitComplaint", {.roles = {Role::kSubmitter}}},
      {"SubmitComplaints", {.roles = {Role::kSubmitter}}},
      {"GetComplaint",
       {.roles = {Role::kSubmitter, Role::kAgent, Role::kSupervisor, Role::kService}}},
      {"BatchGetComplaints",
       {.roles = {Role::kSubmitter, Role::kAgent, Role::kSupervisor, Role::kService}}},
      {"ListComplaints", {.roles = {Role::kSubmitter, Role::kAgent, Role::kSupervisor}}},
      {"TrackComplaint",
       {.roles = {Role::kSubmitter, Role::kService}, .tracking_code_callers = true}},
      {"WatchComplaint",
       {.roles = {Role::kSubmitter, Role::kAgent, Role::kSupervisor},
        .tracking_code_callers = true}},
      {"AddCitizenMessage", {.roles = {Role::kSubmitter}, .tracking_code_callers = true}},
      {"ListCitizenMessages",
       {.roles = {Role::kSubmitter, Role::kAgent, Role::kSupervisor, Role::kService}}},
      {"WithdrawComplaint", {.roles = {Role::kSubmitter}, .tracking_code_callers = true}},
      {"SubmitFeedback", {.roles = {Role::kSubmitter}, .tracking_code_callers = true}},
  };
  return *table;
}

}  // namespace doleances::intake
