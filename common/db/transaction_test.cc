#include "common/db/transaction.h"

#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <atomic>
#include <thread>

namespace doleances::db {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(pool_, nullptr);
    ASSERT_THAT(pool_->Execute("CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL);"
                               "INSERT INTO counters VALUES (1, 0), (2, 0);"),
                IsOk());
  }

  int Value(int id) {
    absl::StatusOr<int> value = RunInTransaction(*pool_, "read", [&](pqxx::work& tx) {
      return absl::StatusOr<int>(
          tx.exec_params1("SELECT value FROM counters WHERE id = $1", id)[0].as<int>());
    });
    EXPECT_THAT(value, IsOk());
    return value.value_or(-1);
  }

  testing::PgTestDatabase database_;
  std::unique_ptr<ConnectionPool> pool_ = database_.MakePool({.size = 4});
};

TEST_F(TransactionTest, ErrorFromBodyRollsBack) {
  absl::Status status = RunInTransaction(*pool_, "update_then_fail", [](pqxx::work& tx) {
    tx.exec("UPDATE counters SET value = 7 WHERE id = 1");
    return absl::FailedPreconditionError("changed my mind");
  });

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(Value(1), 0);
}

TEST_F(TransactionTest, SqlErrorBecomesInternalWithoutSqlInMessage) {
  absl::Status status = RunInTransaction(*pool_, "bad_sql", [](pqxx::work& tx) {
    tx.exec("UPDATE counters SET value = value / 0");
    return absl::OkStatus();
  });

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal, "bad_sql failed"));
}

TEST_F(TransactionTest, UniqueViolationBecomesAlreadyExists) {
  absl::Status status = RunInTransaction(*pool_, "duplicate", [](pqxx::work& tx) {
    tx.exec("INSERT INTO counters VALUES (1, 5)");
    return absl::OkStatus();
  });

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(TransactionTest, DeadlockIsRetriedUntilBothCommit) {
  // Two transactions lock the rows in opposite orders; PostgreSQL kills one, which must be retried.
  std::atomic<int> attempts{0};
  auto cross_update = [&](int first, int second) {
    return RunInTransaction(*pool_, "cross_update", [&](pqxx::work& tx) {
      attempts.fetch_add(1);
      tx.exec_params("UPDATE counters SET value = value + 1 WHERE id = $1", first);
      tx.exec("SELECT pg_sleep(0.2)");
      tx.exec_params("UPDATE counters SET value = value + 1 WHERE id = $1", second);
      return absl::OkStatus();
    });
  };
  absl::Status left;
  absl::Status right;
  std::thread a([&] { left = cross_update(1, 2); });
  std::thread b([&] { right = cross_update(2, 1); });
  a.join();
  b.join();

  EXPECT_THAT(left, IsOk());
  EXPECT_THAT(right, IsOk());
  EXPECT_GE(attempts.load(), 3);
  EXPECT_EQ(Value(1), 2);
  EXPECT_EQ(Value(2), 2);
}

TEST_F(TransactionTest, PoolExhaustionIsResourceExhausted) {
  std::unique_ptr<ConnectionPool> tiny =
      database_.MakePool({.size = 1, .acquire_timeout = absl::Milliseconds(50)});
  absl::StatusOr<ConnectionLease> held = tiny->Acquire();
  ASSERT_THAT(held, IsOk());

  EXPECT_THAT(tiny->Acquire(), StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST_F(TransactionTest, UnreachableDatabaseIsUnavailable) {
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(
      {.url = "host=127.0.0.1 port=1 dbname=none", .connect_timeout = absl::Seconds(2)});

  EXPECT_THAT(pool, StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace doleances::db
