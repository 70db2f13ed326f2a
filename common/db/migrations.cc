#include "common/db/migrations.h"

#include "common/db/pg_status.h"
#include "common/log/log.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

#include <map>

namespace doleances::db {
namespace {

// Arbitrary but fixed: every Doléances process serializes its migrations on this key.
constexpr int64_t kMigrationLockKey = 0x646f6c65616e6365;  // "doleance"

std::string Checksum(pqxx::transaction_base& tx, const std::string& sql) {
  return tx.exec_params1("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", sql)[0]
      .as<std::string>();
}

// Objects of a schema belong to the schema's owner, so that a schema shared by several services
// (events, auth; owned by a group role they are members of) stays usable by all of them,
// whichever service happened to migrate it.
void ActAsSchemaOwner(pqxx::work& tx, const std::string& schema) {
  const pqxx::result owner = tx.exec_params(
      "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1"
      " AND nspowner::regrole::text <> current_user"
      " AND pg_has_role(current_user, nspowner, 'MEMBER')",
      schema);
  if (!owner.empty()) {
    tx.exec(absl::StrCat("SET LOCAL ROLE ", tx.quote_name(owner[0][0].as<std::string>())));
  }
}

absl::Status ApplyLocked(pqxx::connection& connection, const MigrationSet& set) {
  const std::string schema = connection.quote_name(set.schema);
  const std::string table = absl::StrCat(schema, ".schema_migrations");
  std::map<std::string, std::string> applied;  // version → checksum
  {
    pqxx::work tx(connection, "migrations_read_applied");
    // Created only when missing: a service role may own its schema without the right to create
    // schemas in the database.
    if (tx.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", set.schema).empty()) {
      tx.exec(absl::StrCat("CREATE SCHEMA ", schema));
    }
    ActAsSchemaOwner(tx, set.schema);
    tx.exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", table,
                         " (version text PRIMARY KEY, checksum text NOT NULL,"
                         " applied_at timestamptz NOT NULL DEFAULT now())"));
    for (const pqxx::row& row : tx.exec(absl::StrCat("SELECT version, checksum FROM ", table))) {
      applied[row[0].as<std::string>()] = row[1].as<std::string>();
    }
    for (const Migration& migration : set.migrations) {
      auto found = applied.find(migration.version);
      if (found != applied.end() && found->second != Checksum(tx, migration.sql)) {
        return absl::FailedPreconditionError(
            absl::StrCat("migration ", set.schema, "/", migration.version,
                         " was edited after it was applied; add a new migration instead"));
      }
    }
    tx.commit();
  }
  for (const Migration& migration : set.migrations) {
    if (applied.count(migration.version) > 0) {
      continue;
    }
    pqxx::work tx(connection, "migrations_apply");
    ActAsSchemaOwner(tx, set.schema);
    tx.exec(absl::StrCat("SET LOCAL search_path TO ", schema, ", public"));
    tx.exec(migration.sql);
    tx.exec_params(absl::StrCat("INSERT INTO ", table, " (version, checksum) VALUES ($1, $2)"),
                   migration.version, Checksum(tx, migration.sql));
    tx.commit();
    log::Info("migration applied", {{"schema", set.schema}, {"version", migration.version}});
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyMigrations(ConnectionPool& pool, const MigrationSet& set) {
  absl::StatusOr<ConnectionLease> lease = pool.Acquire();
  if (!lease.ok()) {
    return lease.status();
  }
  pqxx::connection& connection = lease->connection();
  auto advisory = [&connection](const char* function) {
    pqxx::nontransaction tx(connection, "migrations_lock");
    tx.exec_params(absl::StrCat("SELECT ", function, "($1)"), kMigrationLockKey);
  };
  absl::Status status;
  try {
    advisory("pg_advisory_lock");
    status = ApplyLocked(connection, set);
  } catch (...) {
    status = CurrentPgExceptionToStatus(absl::StrCat("apply migrations of ", set.schema));
  }
  try {
    advisory("pg_advisory_unlock");
  } catch (...) {
    // The session lock dies with the connection; make sure this one is not reused.
    connection.disconnect();
  }
  return status;
}

}  // namespace doleances::db
