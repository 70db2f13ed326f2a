#include "common/db/migrations.h"

#include "common/db/transaction.h"
#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <thread>
#include <vector>

namespace doleances::db {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::HasSubstr;

MigrationSet Notes() {
  return {"notes",
          {{"0001_create_notes", "CREATE TABLE notes (id bigint PRIMARY KEY, body text);"},
           {"0002_add_author", "ALTER TABLE notes ADD COLUMN author text;"}}};
}

int64_t CountRows(ConnectionPool& pool, const std::string& sql) {
  absl::StatusOr<int64_t> count = RunInTransaction(pool, "count", [&](pqxx::work& tx) {
    return absl::StatusOr<int64_t>(tx.exec1(sql)[0].as<int64_t>());
  });
  EXPECT_THAT(count, IsOk());
  return count.value_or(-1);
}

class MigrationsTest : public ::testing::Test {
 protected:
  testing::PgTestDatabase database_;
  std::unique_ptr<ConnectionPool> pool_ = database_.MakePool();
};

TEST_F(MigrationsTest, AppliesEveryFileInOrderAndRecordsIt) {
  ASSERT_THAT(ApplyMigrations(*pool_, Notes()), IsOk());

  EXPECT_EQ(CountRows(*pool_, "SELECT count(*) FROM notes.schema_migrations"), 2);
  EXPECT_THAT(pool_->Execute("INSERT INTO notes.notes (id, body, author) VALUES (1, 'a', 'b')"),
              IsOk());
}

TEST_F(MigrationsTest, SecondRunAppliesNothing) {
  ASSERT_THAT(ApplyMigrations(*pool_, Notes()), IsOk());
  ASSERT_THAT(ApplyMigrations(*pool_, Notes()), IsOk());

  EXPECT_EQ(CountRows(*pool_, "SELECT count(*) FROM notes.schema_migrations"), 2);
}

TEST_F(MigrationsTest, RefusesAnEditedAppliedFile) {
  ASSERT_THAT(ApplyMigrations(*pool_, Notes()), IsOk());
  MigrationSet edited = Notes();
  edited.migrations[0].sql = "CREATE TABLE notes (id bigint PRIMARY KEY);";
  edited.migrations.push_back({"0003_index", "CREATE INDEX ON notes (author);"});

  EXPECT_THAT(ApplyMigrations(*pool_, edited),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("0001_create_notes")));
  EXPECT_EQ(CountRows(*pool_, "SELECT count(*) FROM notes.schema_migrations"), 2);
}

TEST_F(MigrationsTest, FailingFileLeavesNoTraceAndStopsTheRun) {
  MigrationSet broken = Notes();
  broken.migrations.insert(broken.migrations.begin() + 1,
                           {"0001b_broken", "CREATE TABLE half (id int); SELECT 1/0;"});

  EXPECT_THAT(ApplyMigrations(*pool_, broken), StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(CountRows(*pool_, "SELECT count(*) FROM notes.schema_migrations"), 1);
  EXPECT_EQ(CountRows(*pool_, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), 0);
}

TEST_F(MigrationsTest, ConcurrentRunnersApplyEachFileOnce) {
  std::vector<absl::Status> results(4);
  std::vector<std::thread> runners;
  for (absl::Status& result : results) {
    runners.emplace_back([&] { result = ApplyMigrations(*pool_, Notes()); });
  }
  for (std::thread& runner : runners) {
    runner.join();
  }
  for (const absl::Status& result : results) {
    EXPECT_THAT(result, IsOk());
  }
  EXPECT_EQ(CountRows(*pool_, "SELECT count(*) FROM notes.schema_migrations"), 2);
}

}  // namespace
}  // namespace doleances::db
