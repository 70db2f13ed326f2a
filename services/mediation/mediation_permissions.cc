#include "services/mediation/mediation_permissions.h"

namespace doleances::mediation {

using auth::Role;

// Who may call each RPC (the "Roles:" line of its comment in mediation_service.proto). "Their
// mediations only" and the party views are the handlers' job.
const auth::PermissionTable& MediationPermissions() {
  static const auto* const table = new auth::PermissionTable{
      {"OpenMediation", {.roles = {Role::kService}}},
      {"GetMediation",
       {.roles = {Role::kMediator, Role::kAdmin, Role::kAgent, Role::kSupervisor},
        .tracking_code_callers = true}},
      {"ListMediations", {.roles = {Role::kMediator, Role::kAdmin, Role::kSupervisor}}},
      {"CreateMediator", {.roles = {Role::kAdmin}}},
      {"UpdateMediator", {.roles = {Role::kAdmin, Role::kMediator}}},
      {"ListMediators", {.roles = {Role::kAdmin, Role::kSupervisor}}},
      {"AssignMediator", {.roles = {Role::kAdmin}}},
      {"DecideAdmissibility", {.roles = {Role::kMediator}}},
      {"ScheduleSession", {.roles = {Role::kMediator}}},
      {"RescheduleSession", {.roles = {Role::kMediator}}},
      {"CancelSession", {.roles = {Role::kMediator}}},
      {"RecordProposal", {.roles = {Role::kMediator}}},
      {"RespondToProposal",
       {.roles = {Role::kAgent, Role::kSupervisor, Role::kMediator},
        .tracking_code_callers = true}},
      {"AddNote", {.roles = {Role::kMediator}}},
      {"ListNotes", {.roles = {Role::kMediator}}},
      {"ExtendDeadline", {.roles = {Role::kMediator}}},
      {"WithdrawMediation",
       {.roles = {Role::kAgent, Role::kSupervisor, Role::kMediator},
        .tracking_code_callers = true}},
      {"CloseMediation", {.roles = {Role::kMediator}}},
  };
  return *table;
}

}  // namespace doleances::mediation
