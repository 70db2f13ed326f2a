#pragma once

#include "common/auth/permissions.h"
#include "common/auth/principal.h"
#include "common/auth/principal_store.h"

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>
#include <grpcpp/server_context.h>

#include <optional>
#include <string>

namespace doleances::auth {

struct AuthOptions {
  // Development only: trust "x-doleances-dev-principal: id=...;roles=a,b;administrations=x,y".
  bool dev_trust_header = false;
  // How long a verified API key is trusted without asking the database again; bounds how long a
  // revoked key keeps working.
  absl::Duration key_cache_ttl = absl::Seconds(30);
};

// The outcome of a successful check: the authenticated principal, or none for a tracking-code
// caller (the handler must then check the code against the file asked about).
struct Caller {
  std::optional<Principal> principal;
  bool anonymous_tracking_code_caller() const { return !principal.has_value(); }
};

// Authenticates a call (API key, client certificate, or the development header) and checks it
// against a service's permission table. Thread-safe.
class Authorizer {
 public:
  Authorizer(PrincipalStore& store, const PermissionTable& permissions, AuthOptions options);

  // UNAUTHENTICATED when credentials are malformed, unknown, revoked or expired, or absent where
  // the method needs them; PERMISSION_DENIED when the principal has none of the method's roles or
  // the method has no rule; UNAVAILABLE when the database cannot be asked.
  absl::StatusOr<Caller> Authorize(const grpc::ServerContextBase& context,
                                   const std::string& method);

 private:
  absl::StatusOr<std::optional<Principal>> Authenticate(const grpc::ServerContextBase& context);
  absl::StatusOr<Principal> AuthenticateApiKey(const ApiKey& key);

  struct CachedKey {
    Principal principal;
    absl::Time expires;
  };

  PrincipalStore& store_;
  const PermissionTable& permissions_;
  const AuthOptions options_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, CachedKey> key_cache_ ABSL_GUARDED_BY(mutex_);
};

// Parses the development header value; INVALID_ARGUMENT when malformed.
absl::StatusOr<Principal> ParseDevPrincipal(absl::string_view header_value);

}  // namespace doleances::auth
