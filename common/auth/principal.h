#pragma once

#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <string>
#include <vector>

namespace doleances::auth {

// Roles of DESIGN.md §5, plus kService for another Doléances service calling under its own
// identity ("internal: <service>" in the contracts).
enum class Role {
  kSubmitter,
  kCitizen,
  kAgent,
  kSupervisor,
  kMediator,
  kAnalyst,
  kAdmin,
  kService
};

// "submitter", "agent", ...
const char* RoleName(Role role);
// INVALID_ARGUMENT for an unknown name.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// Who is calling, once authenticated: never personal data, only an opaque id and grants.
struct Principal {
  std::string id;
  std::vector<Role> roles;
  // Administrations whose records this principal may see or address; "*" grants all.
  std::vector<std::string> administrations;

  bool HasRole(Role role) const;
  bool MayAccessAdministration(absl::string_view administration_id) const;
};

}  // namespace doleances::auth
