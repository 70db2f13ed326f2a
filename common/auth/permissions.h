#pragma once

#include "common/auth/principal.h"

#include <google/protobuf/descriptor.h>

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace doleances::auth {

// Who may call one RPC.
struct MethodRule {
  std::vector<Role> roles;
  // Also open to a caller without credentials who presents a tracking code in the request (the
  // citizen); the handler then checks that the code names the file being asked about.
  bool tracking_code_callers = false;
};

// The permission table a service declares next to its RPCs: short method name → rule. Methods
// that are missing are denied to everyone (deny by default).
class PermissionTable {
 public:
  PermissionTable(std::initializer_list<std::pair<const std::string, MethodRule>> rules)
      : rules_(rules) {}

  // nullptr when the method has no rule.
  const MethodRule* Find(const std::string& method) const;

  // RPCs of `service` that have no rule: a test asserts this is empty for every service, so an
  // RPC cannot be added without deciding who may call it.
  std::vector<std::string> MethodsWithoutRule(
      const google::protobuf::ServiceDescriptor& service) const;

 private:
  std::map<std::string, MethodRule> rules_;
};

}  // namespace doleances::auth
