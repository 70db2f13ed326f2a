#include "common/auth/principal_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/transaction.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>
#include <openssl/rand.h>
#include <pqxx/pqxx>

#include <array>

namespace doleances::auth {
namespace {

constexpr char kUpsertPrincipal[] = "auth_upsert_principal";
constexpr char kInsertApiKey[] = "auth_insert_api_key";
constexpr char kRevokeApiKey[] = "auth_revoke_api_key";
constexpr char kSelectByApiKey[] = "auth_select_principal_by_api_key";
constexpr char kSelectByCertificate[] = "auth_select_principal_by_certificate";

constexpr char kPrincipalColumns[] = "p.principal_id, p.roles::text[], p.administrations";

// Alphanumeric random text (base62) from the operating system's CSPRNG.
std::string RandomToken(size_t length) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string token;
  std::array<unsigned char, 64> bytes;
  while (token.size() < length) {
    RAND_bytes(bytes.data(), bytes.size());
    for (unsigned char byte : bytes) {
      if (byte < 248 && token.size() < length) {  // 248 = 4 × 62: keeps the draw uniform.
        token += kAlphabet[byte % 62];
      }
    }
  }
  return token;
}

absl::StatusOr<Principal> RowToPrincipal(const pqxx::row& row) {
  Principal principal;
  principal.id = row[0].as<std::string>();
  auto roles = row[1].as_array();
  for (auto item = roles.get_next(); item.first != pqxx::array_parser::juncture::done;
       item = roles.get_next()) {
    if (item.first == pqxx::array_parser::juncture::string_value) {
      absl::StatusOr<Role> role = ParseRole(item.second);
      if (!role.ok()) {
        return absl::InternalError(absl::StrCat("principal ", principal.id, " has a bad role"));
      }
      principal.roles.push_back(*role);
    }
  }
  auto administrations = row[2].as_array();
  for (auto item = administrations.get_next(); item.first != pqxx::array_parser::juncture::done;
       item = administrations.get_next()) {
    if (item.first == pqxx::array_parser::juncture::string_value) {
      principal.administrations.push_back(item.second);
    }
  }
  return principal;
}

}  // namespace

void PrincipalStore::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kUpsertPrincipal,
                     "INSERT INTO auth.principals (principal_id, roles, administrations,"
                     " certificate_name) VALUES ($1, $2::text[], $3::text[], $4) "
                     "ON CONFLICT (principal_id) DO UPDATE SET roles = excluded.roles,"
                     " administrations = excluded.administrations,"
                     " certificate_name = excluded.certificate_name, active = true");
  connection.prepare(kInsertApiKey,
                     "INSERT INTO auth.api_keys (key_id, principal_id, secret_sha256, expires_at) "
                     "SELECT $1, principal_id, sha256(convert_to($3, 'UTF8')),"
                     " now() + make_interval(secs => $4::double precision) "
                     "FROM auth.principals WHERE principal_id = $2");
  connection.prepare(kRevokeApiKey,
                     "UPDATE auth.api_keys SET revoked_at = coalesce(revoked_at, now()) "
                     "WHERE key_id = $1");
  connection.prepare(kSelectByApiKey,
                     absl::StrCat("SELECT ", kPrincipalColumns,
                                  " FROM auth.api_keys k JOIN auth.principals p USING"
                                  " (principal_id) WHERE k.key_id = $1"
                                  " AND k.secret_sha256 = sha256(convert_to($2, 'UTF8'))"
                                  " AND k.revoked_at IS NULL"
                                  " AND (k.expires_at IS NULL OR k.expires_at > now())"
                                  " AND p.active"));
  connection.prepare(kSelectByCertificate,
                     absl::StrCat("SELECT ", kPrincipalColumns,
                                  " FROM auth.principals p WHERE p.certificate_name = $1"
                                  " AND p.active"));
}

absl::Status PrincipalStore::UpsertPrincipal(const Principal& principal,
                                             const std::optional<std::string>& certificate_name) {
  if (principal.roles.empty()) {
    return absl::InvalidArgumentError("roles: at least one role is required");
  }
  std::vector<std::string> roles;
  for (Role role : principal.roles) {
    roles.push_back(RoleName(role));
  }
  for (const std::string& administration : principal.administrations) {
    if (administration.empty() || administration.find_first_of("\",{}\\ ") != std::string::npos) {
      return absl::InvalidArgumentError("administrations: ids may not contain quotes or spaces");
    }
  }
  absl::Status status = db::RunInTransaction(pool_, "auth_upsert_principal", [&](pqxx::work& tx) {
    tx.exec_prepared(kUpsertPrincipal, principal.id, db::TextArrayLiteral(roles),
                     db::TextArrayLiteral(principal.administrations), certificate_name);
    return absl::OkStatus();
  });
  if (status.code() == absl::StatusCode::kInternal) {
    return absl::InvalidArgumentError("principal_id: 1-64 characters of [a-z0-9_.-]");
  }
  return status;
}

absl::StatusOr<ApiKey> PrincipalStore::IssueApiKey(const std::string& principal_id,
                                                   std::optional<absl::Duration> valid_for) {
  ApiKey key{RandomToken(12), RandomToken(40)};  // 40 base62 characters ≈ 238 bits.
  std::optional<double> seconds;
  if (valid_for.has_value()) {
    seconds = absl::ToDoubleSeconds(*valid_for);
  }
  return db::RunInTransaction(
      pool_, "auth_issue_api_key", [&](pqxx::work& tx) -> absl::StatusOr<ApiKey> {
        if (tx.exec_prepared(kInsertApiKey, key.key_id, principal_id, key.secret, seconds)
                .affected_rows() == 0) {
          return absl::NotFoundError(absl::StrCat("principal ", principal_id, " does not exist"));
        }
        return key;
      });
}

absl::Status PrincipalStore::RevokeApiKey(const std::string& key_id) {
  return db::RunInTransaction(pool_, "auth_revoke_api_key", [&](pqxx::work& tx) {
    if (tx.exec_prepared(kRevokeApiKey, key_id).affected_rows() == 0) {
      return absl::NotFoundError(absl::StrCat("API key ", key_id, " does not exist"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Principal> PrincipalStore::FindByApiKey(const ApiKey& key) {
  return db::RunInTransaction(
      pool_, "auth_find_by_api_key", [&](pqxx::work& tx) -> absl::StatusOr<Principal> {
        const pqxx::result rows = tx.exec_prepared(kSelectByApiKey, key.key_id, key.secret);
        if (rows.empty()) {
          return absl::NotFoundError("unknown, revoked or expired API key");
        }
        return RowToPrincipal(rows[0]);
      });
}

absl::StatusOr<Principal> PrincipalStore::FindByCertificate(const std::string& certificate_name) {
  return db::RunInTransaction(
      pool_, "auth_find_by_certificate", [&](pqxx::work& tx) -> absl::StatusOr<Principal> {
        const pqxx::result rows = tx.exec_prepared(kSelectByCertificate, certificate_name);
        if (rows.empty()) {
          return absl::NotFoundError("no active principal for this certificate");
        }
        return RowToPrincipal(rows[0]);
      });
}

}  // namespace doleances::auth
