// AddCells under concurrent consumers (several analytics replicas): no delta may be lost when two
// transactions create or merge the same aggregate rows at once.
#include "services/analytics/pg_analytics_store.h"

#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"
#include "services/analytics/doleances_analytics_migrations.h"

#include <absl/container/btree_map.h>
#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <map>
#include <thread>
#include <vector>

namespace doleances::analytics {
namespace {

using ::doleances::testing::IsOk;

constexpr int64_t kDay = 20'000;
constexpr int kRows = 12;
constexpr int kTransactionsPerWriter = 40;

// The delta one writer adds in one transaction: +1 on cell `writer` and +10 on cell 99 of every
// row, so that both shared and distinct cells are merged.
absl::btree_map<CellKey, Cells> Delta(int writer) {
  absl::btree_map<CellKey, Cells> deltas;
  for (int row = 0; row < kRows; ++row) {
    FactDimensions dimensions{.administration_id = "adm", .kind = row % 3, .category = "voirie"};
    dimensions.department_code = absl::StrCat(row);
    deltas[{dimensions, Basis::kReceiveDay, kDay + row % 2}] = {{writer, 1}, {99, 10}};
  }
  return deltas;
}

TEST(PgAnalyticsStoreTest, ConcurrentWritersCreatingAndMergingTheSameRowsLoseNoDelta) {
  ::doleances::testing::PgTestDatabase database;
  std::unique_ptr<db::ConnectionPool> pool =
      database.MakePool({.size = 4, .prepare_hooks = {&PgAnalyticsStore::PrepareStatements}});
  ASSERT_NE(pool, nullptr);
  ASSERT_THAT(db::ApplyMigrations(*pool, AnalyticsMigrations()), IsOk());

  auto write = [&](int writer) {
    for (int i = 0; i < kTransactionsPerWriter; ++i) {
      EXPECT_THAT(db::RunInTransaction(*pool, "add_cells",
                                       [&](pqxx::work& tx) {
                                         PgAnalyticsStore::AddCells(tx, Delta(writer));
                                         return absl::OkStatus();
                                       }),
                  IsOk());
    }
  };
  std::thread first(write, 1);
  std::thread second(write, 2);
  first.join();
  second.join();

  PgAnalyticsStore store(*pool);
  absl::StatusOr<std::vector<CellRow>> rows =
      store.ReadAllAdministrations(Basis::kReceiveDay, kDay, kDay + 1);
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), static_cast<size_t>(kRows));
  for (const CellRow& row : *rows) {
    const std::map<int64_t, int64_t> cells(row.cells.begin(), row.cells.end());
    EXPECT_EQ(cells, (std::map<int64_t, int64_t>{{1, kTransactionsPerWriter},
                                                 {2, kTransactionsPerWriter},
                                                 {99, 20 * kTransactionsPerWriter}}))
        << row.dimensions.department_code;
  }
}

}  // namespace
}  // namespace doleances::analytics
