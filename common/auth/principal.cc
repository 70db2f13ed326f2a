#include "common/auth/principal.h"

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include <algorithm>
#include <utility>

namespace doleances::auth {
namespace {

constexpr std::pair<Role, const char*> kRoleNames[] = {
    {Role::kSubmitter, "submitter"},   {Role::kCitizen, "citizen"},   {Role::kAgent, "agent"},
    {Role::kSupervisor, "supervisor"}, {Role::kMediator, "mediator"}, {Role::kAnalyst, "analyst"},
    {Role::kAdmin, "admin"},           {Role::kService, "service"}};

}  // namespace

const char* RoleName(Role role) {
  for (const auto& [known, name] : kRoleNames) {
    if (known == role) {
      return name;
    }
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (const auto& [role, known] : kRoleNames) {
    if (name == known) {
      return role;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown role '", name, "'"));
}

bool Principal::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::MayAccessAdministration(absl::string_view administration_id) const {
  return std::any_of(
      administrations.begin(), administrations.end(),
      [&](const std::string& granted) { return granted == "*" || granted == administration_id; });
}

}  // namespace doleances::auth
