#pragma once

#include "common/db/connection_pool.h"
#include "services/analytics/complaint_fact.h"
#include "services/analytics/kpi_cells.h"

#include <absl/container/btree_map.h>
#include <absl/status/statusor.h>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doleances::analytics {

// Day bounds for reading every day (PostgreSQL dates stop far from int32's range).
inline constexpr int64_t kEarliestDay = -1000000;
inline constexpr int64_t kLatestDay = 1000000;

// Which aggregate rows a query reads. Empty lists mean no restriction.
struct CellFilter {
  std::vector<std::string> administration_ids;  // Required, non-empty.
  std::vector<int> kinds;
  std::vector<int> channels;
  std::vector<int> priorities;
  std::vector<std::string> categories;
  std::vector<std::string> department_ids;
  std::vector<std::string> department_codes;
  std::vector<std::string> region_codes;
};

// Rows of one basis over an inclusive range of days (month bases: of month first days; day-packed
// bases: the month rows holding any of the days, whole).
struct CellSpan {
  Basis basis = Basis::kReceiveDay;
  int64_t first_day = 0;
  int64_t last_day = 0;
};

// One aggregate row.
struct CellRow {
  int64_t day = 0;  // DayNumber.
  FactDimensions dimensions;
  CellList cells;
};

// Routing keyword count of one aggregate row.
struct TermRow {
  int64_t day = 0;
  FactDimensions dimensions;
  std::string term;
  int64_t complaints = 0;
};

// analytics.complaint_facts, kpi_cells and term_counts. The static members run inside the event
// consumer's transaction; the others read on their own pooled connection.
class PgAnalyticsStore {
 public:
  explicit PgAnalyticsStore(db::ConnectionPool& pool) : pool_(pool) {}

  static void PrepareStatements(pqxx::connection& connection);

  // The fact of `complaint_id`, locked until the end of `tx`; nullopt when none exists yet.
  static std::optional<ComplaintFact> LockFact(pqxx::work& tx, const std::string& complaint_id);
  static void SaveFact(pqxx::work& tx, const ComplaintFact& fact);
  // Adds each delta to its aggregate row, atomically with concurrent consumers: the rows are
  // locked (created empty if missing) in key order, merged here and written back, in two
  // statements whatever their number. Rows that become empty stay, empty: deleting them would
  // race with a consumer waiting for the row's lock.
  static void AddCells(pqxx::work& tx, const absl::btree_map<CellKey, Cells>& deltas);
  static void AddTerm(pqxx::work& tx, const FactDimensions& dimensions, int64_t day,
                      const std::string& term, int64_t delta);

  // For each set of spans, the rows of its spans matching `filter`, all read in one read-only
  // transaction (one consistent snapshot). INTERNAL or UNAVAILABLE when the database fails.
  absl::StatusOr<std::vector<std::vector<CellRow>>> ReadCellSets(
      const CellFilter& filter, const std::vector<std::vector<CellSpan>>& sets);
  // Rows of `basis` with day in [first_day, last_day], every administration.
  absl::StatusOr<std::vector<CellRow>> ReadAllAdministrations(Basis basis, int64_t first_day,
                                                              int64_t last_day);
  absl::StatusOr<std::vector<TermRow>> ReadTerms(const CellFilter& filter, int64_t first_day,
                                                 int64_t last_day);

 private:
  db::ConnectionPool& pool_;
};

// The text form of kpi_cells.cells ("\x" and the hex of EncodeCells), as COPY and bytea
// parameters take it.
std::string CellsText(const Cells& cells);

}  // namespace doleances::analytics
