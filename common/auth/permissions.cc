#include "common/auth/permissions.h"

namespace doleances::auth {

const MethodRule* PermissionTable::Find(const std::string& method) const {
  auto rule = rules_.find(method);
  return rule == rules_.end() ? nullptr : &rule->second;
}

std::vector<std::string> PermissionTable::MethodsWithoutRule(
    const google::protobuf::ServiceDescriptor& service) const {
  std::vector<std::string> missing;
  for (int i = 0; i < service.method_count(); ++i) {
    if (rules_.count(service.method(i)->name()) == 0) {
      missing.push_back(service.method(i)->name());
    }
  }
  return missing;
}

}  // namespace doleances::auth
