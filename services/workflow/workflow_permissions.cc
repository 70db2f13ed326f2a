#include "services/workflow/workflow_permissions.h"

namespace doleances::workflow {

using auth::Role;

// Who may call each RPC (the "Roles:" line of its comment in workflow_service.proto). Queue,
// department and assignee limits are the handlers' job.
const auth::PermissionTable& WorkflowPermissions() {
  const std::vector<Role> admin = {Role::kAdmin};
  const std::vector<Role> admin_supervisor = {Role::kAdmin, Role::kSupervisor};
  const std::vector<Role> staff = {Role::kAdmin, Role::kSupervisor, Role::kAgent};
  const std::vector<Role> case_workers = {Role::kAgent, Role::kSupervisor};
  static const auto* const table = new auth::PermissionTable{
      {"CreateRoutingRule", {.roles = admin}},
      {"UpdateRoutingRule", {.roles = admin}},
      {"DisableRoutingRule", {.roles = admin}},
      {"EnableRoutingRule", {.roles = admin}},
      {"ListRoutingRules", {.roles = admin_supervisor}},
      {"SetDefaultQueue", {.roles = admin}},
      {"PreviewRoute", {.roles = staff}},
      {"CreateDepartment", {.roles = admin}},
      {"UpdateDepartment", {.roles = admin}},
      {"ListDepartments", {.roles = staff}},
      {"CreateQueue", {.roles = admin}},
      {"UpdateQueue", {.roles = admin}},
      {"ListQueues", {.roles = staff}},
      {"CreateAgent", {.roles = admin}},
      {"UpdateAgent", {.roles = admin_supervisor}},
      {"ListAgents", {.roles = admin_supervisor}},
      {"GetCase", {.roles = staff}},
      {"ListCases", {.roles = staff}},
      {"ClaimNextCase", {.roles = case_workers}},
      {"AssignCase", {.roles = {Role::kSupervisor}}},
      {"TransitionCase", {.roles = case_workers}},
      {"AddCaseNote", {.roles = case_workers}},
      {"GetCaseHistory",
       {.roles = {Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kService}}},
      {"RespondToCase", {.roles = case_workers}},
      {"CreateResponseTemplate", {.roles = admin_supervisor}},
      {"UpdateResponseTemplate", {.roles = admin_supervisor}},
      {"GetResponseTemplate", {.roles = staff}},
      {"ListResponseTemplates", {.roles = staff}},
      {"ArchiveResponseTemplate", {.roles = admin_supervisor}},
      {"TransferCase", {.roles = case_workers}},
      {"EscalateCase", {.roles = case_workers}},
      {"SendToMediation", {.roles = case_workers}},
      {"ReportMediationOutcome", {.roles = {Role::kService}}},
      {"SetDeadlinePolicy", {.roles = admin}},
      {"ListDeadlinePolicies", {.roles = admin_supervisor}},
      {"DeleteDeadlinePolicy", {.roles = admin}},
      {"SetCalendar", {.roles = admin}},
      {"GetCalendar", {.roles = {Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kService}}},
      {"ExplainDeadlines", {.roles = staff}},
  };
  return *table;
}

}  // namespace doleances::workflow
