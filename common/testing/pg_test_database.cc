#include "common/testing/pg_test_database.h"

#include <absl/random/random.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <pqxx/pqxx>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace doleances::testing {
namespace {

void RunAdmin(const std::string& admin_url, const std::string& sql) {
  pqxx::connection connection(admin_url);
  pqxx::nontransaction tx(connection);
  tx.exec(sql);
}

}  // namespace

std::string WithDatabase(const std::string& url, const std::string& dbname) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) {
    return absl::StrCat(url, " dbname=", dbname);  // Later keywords win in libpq.
  }
  const size_t path = url.find('/', scheme + 3);
  const size_t query = url.find('?', scheme + 3);
  const std::string authority = url.substr(0, std::min(path, query));
  const std::string params = query == std::string::npos ? "" : url.substr(query);
  return absl::StrCat(authority, "/", dbname, params);
}

PgTestDatabase::PgTestDatabase() {
  const char* url = std::getenv("DOLEANCES_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "DOLEANCES_TEST_DATABASE_URL is not set: run ./tests/run.sh, which starts PostgreSQL");
  }
  admin_url_ = url;
  absl::BitGen random;
  name_ = absl::StrCat("doleances_test_", getpid(), "_", absl::Uniform<uint32_t>(random));
  RunAdmin(admin_url_, absl::StrCat("CREATE DATABASE ", name_));
  url_ = WithDatabase(admin_url_, name_);
}

PgTestDatabase::~PgTestDatabase() {
  if (std::getenv("DOLEANCES_TEST_KEEP_DATABASE") != nullptr) {
    std::fprintf(stderr, "kept test database %s\n", name_.c_str());
    return;
  }
  try {
    RunAdmin(admin_url_, absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop test database " << name_ << ": " << e.what();
  }
}

std::unique_ptr<db::ConnectionPool> PgTestDatabase::MakePool(db::PoolOptions options) {
  options.url = url_;
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
      db::ConnectionPool::Create(std::move(options));
  if (!pool.ok()) {
    ADD_FAILURE() << "cannot connect to the test database: " << pool.status();
    return nullptr;
  }
  return *std::move(pool);
}

}  // namespace doleances::testing
