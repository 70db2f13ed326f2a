#include "common/auth/authorizer.h"

#include "common/log/log.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <absl/time/clock.h>
#include <grpcpp/security/auth_context.h>

#include <algorithm>

namespace doleances::auth {
namespace {

// Bounds memory if a caller sprays random key ids.
constexpr size_t kMaxCachedKeys = 10000;

std::optional<std::string> Metadata(const grpc::ServerContextBase& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(key);
  if (found == metadata.end()) {
    return std::nullopt;
  }
  return std::string(found->second.data(), found->second.size());
}

}  // namespace

absl::StatusOr<Principal> ParseDevPrincipal(absl::string_view header_value) {
  Principal principal;
  for (absl::string_view part : absl::StrSplit(header_value, ';', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> key_value = absl::StrSplit(part, '=');
    if (key_value.first == "id") {
      principal.id = std::string(key_value.second);
    } else if (key_value.first == "roles") {
      for (absl::string_view name : absl::StrSplit(key_value.second, ',', absl::SkipEmpty())) {
        absl::StatusOr<Role> role = ParseRole(name);
        if (!role.ok()) {
          return role.status();
        }
        principal.roles.push_back(*role);
      }
    } else if (key_value.first == "administrations") {
      principal.administrations = absl::StrSplit(key_value.second, ',', absl::SkipEmpty());
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown key '", key_value.first, "'"));
    }
  }
  if (principal.id.empty() || principal.roles.empty()) {
    return absl::InvalidArgumentError("id and roles are required");
  }
  return principal;
}

Authorizer::Authorizer(PrincipalStore& store, const PermissionTable& permissions,
                       AuthOptions options)
    : store_(store), permissions_(permissions), options_(options) {}

absl::StatusOr<Principal> Authorizer::AuthenticateApiKey(const ApiKey& key) {
  const std::string cache_key = FormatApiKey(key);
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mutex_);
    auto cached = key_cache_.find(cache_key);
    if (cached != key_cache_.end() && cached->second.expires > now) {
      return cached->second.principal;
    }
  }
  absl::StatusOr<Principal> principal = store_.FindByApiKey(key);
  if (principal.status().code() == absl::StatusCode::kNotFound) {
    return absl::UnauthenticatedError("unknown, revoked or expired API key");
  }
  if (!principal.ok()) {
    return absl::UnavailableError("cannot verify credentials right now, retry");
  }
  absl::MutexLock lock(&mutex_);
  if (key_cache_.size() >= kMaxCachedKeys) {
    key_cache_.clear();
  }
  key_cache_[cache_key] = {*principal, now + options_.key_cache_ttl};
  return principal;
}

absl::StatusOr<std::optional<Principal>> Authorizer::Authenticate(
    const grpc::ServerContextBase& context) {
  if (std::optional<std::string> authorization = Metadata(context, kAuthorizationHeader)) {
    std::optional<ApiKey> key = ParseBearerApiKey(*authorization);
    if (!key.has_value()) {
      return absl::UnauthenticatedError("authorization must be 'Bearer dk_<key id>_<secret>'");
    }
    absl::StatusOr<Principal> principal = AuthenticateApiKey(*key);
    if (!principal.ok()) {
      return principal.status();
    }
    return std::optional<Principal>(*std::move(principal));
  }
  std::shared_ptr<const grpc::AuthContext> auth_context = context.auth_context();
  if (auth_context != nullptr && auth_context->IsPeerAuthenticated()) {
    std::vector<grpc::string_ref> names = auth_context->FindPropertyValues("x509_common_name");
    if (!names.empty()) {
      absl::StatusOr<Principal> principal =
          store_.FindByCertificate(std::string(names[0].data(), names[0].size()));
      if (principal.status().code() == absl::StatusCode::kNotFound) {
        return absl::UnauthenticatedError("client certificate is not registered");
      }
      if (!principal.ok()) {
        return absl::UnavailableError("cannot verify credentials right now, retry");
      }
      return std::optional<Principal>(*std::move(principal));
    }
  }
  if (options_.dev_trust_header) {
    if (std::optional<std::string> dev = Metadata(context, kDevPrincipalHeader)) {
      absl::StatusOr<Principal> principal = ParseDevPrincipal(*dev);
      if (!principal.ok()) {
        return absl::UnauthenticatedError(
            absl::StrCat(kDevPrincipalHeader, ": ", principal.status().message()));
      }
      return std::optional<Principal>(*std::move(principal));
    }
  }
  return std::optional<Principal>();
}

absl::StatusOr<Caller> Authorizer::Authorize(const grpc::ServerContextBase& context,
                                             const std::string& method) {
  const MethodRule* rule = permissions_.Find(method);
  if (rule == nullptr) {
    log::Error("RPC has no permission rule; denied", {{"method", method}});
    return absl::PermissionDeniedError(absl::StrCat(method, " is not open to any role"));
  }
  absl::StatusOr<std::optional<Principal>> principal = Authenticate(context);
  if (!principal.ok()) {
    return principal.status();
  }
  if (!principal->has_value()) {
    if (rule->tracking_code_callers) {
      return Caller{};
    }
    return absl::UnauthenticatedError("credentials required: an API key or a client certificate");
  }
  const Principal& who = **principal;
  const bool allowed = std::any_of(rule->roles.begin(), rule->roles.end(),
                                   [&](Role role) { return who.HasRole(role); });
  if (!allowed && !(rule->tracking_code_callers && who.HasRole(Role::kCitizen))) {
    return absl::PermissionDeniedError(
        absl::StrCat("principal ", who.id, " may not call ", method));
  }
  return Caller{who};
}

}  // namespace doleances::auth
