#pragma once

#include "common/db/connection_pool.h"

#include <absl/status/status.h>

#include <string>
#include <vector>

namespace doleances::db {

// One versioned SQL file. Versions sort lexically: "0001_create_complaints", "0002_...".
struct Migration {
  std::string version;
  std::string sql;
};

// The migrations of one schema, in version order. Generated at build time from the .sql files
// of a migrations/ folder by doleances_migrations() in cmake/doleances.cmake.
struct MigrationSet {
  std::string schema;
  std::vector<Migration> migrations;
};

// Applies the migrations of `set` not yet recorded in <schema>.schema_migrations, each in its own
// transaction together with its record, holding a cluster-wide advisory lock so that replicas
// starting together apply each file once. Returns FAILED_PRECONDITION, and applies nothing, if an
// already-applied file's checksum changed (an edited migration must become a new one).
absl::Status ApplyMigrations(ConnectionPool& pool, const MigrationSet& set);

}  // namespace doleances::db
