#pragma once

#include "common/auth/credentials.h"
#include "common/auth/principal.h"
#include "common/db/connection_pool.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <optional>
#include <string>

namespace doleances::auth {

// The auth schema: principals and their API keys.
class PrincipalStore {
 public:
  explicit PrincipalStore(db::ConnectionPool& pool) : pool_(pool) {}

  static void PrepareStatements(pqxx::connection& connection);

  // Creates or replaces a principal's grants. INVALID_ARGUMENT for a malformed id or no role.
  absl::Status UpsertPrincipal(const Principal& principal,
                               const std::optional<std::string>& certificate_name);

  // Issues a new key for an existing principal and returns it; the secret is shown only here.
  // NOT_FOUND when the principal does not exist.
  absl::StatusOr<ApiKey> IssueApiKey(const std::string& principal_id,
                                     std::optional<absl::Duration> valid_for);

  // Revokes a key. NOT_FOUND for an unknown key id.
  absl::Status RevokeApiKey(const std::string& key_id);

  // The active principal owning this unrevoked, unexpired key; NOT_FOUND otherwise.
  absl::StatusOr<Principal> FindByApiKey(const ApiKey& key);

  // The active principal authenticated by this certificate name; NOT_FOUND otherwise.
  absl::StatusOr<Principal> FindByCertificate(const std::string& certificate_name);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace doleances::auth
