#pragma once

#include "common/db/connection_pool.h"

#include <memory>
#include <string>

namespace doleances::testing {

// A database created for one test process and dropped at its end, on the PostgreSQL server named
// by DOLEANCES_TEST_DATABASE_URL (tests/run.sh starts one and exports it). Integration tests fail,
// never skip, when the variable is missing: a database test that does not run proves nothing.
class PgTestDatabase {
 public:
  PgTestDatabase();
  ~PgTestDatabase();

  // Connection string of the fresh database.
  const std::string& url() const { return url_; }

  // A pool on the fresh database; fails the test if it cannot connect.
  std::unique_ptr<db::ConnectionPool> MakePool(db::PoolOptions options = {});

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// The connection string `url` pointing at database `dbname` instead (URI or keyword/value form).
std::string WithDatabase(const std::string& url, const std::string& dbname);

}  // namespace doleances::testing
