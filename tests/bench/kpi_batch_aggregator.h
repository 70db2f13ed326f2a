#pragma once

#include "services/analytics/complaint_fact.h"
#include "services/analytics/kpi_cells.h"
#include "tests/bench/kpi_complaints.h"
#include "tests/bench/pg_copy_writer.h"

#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_map.h>
#include <absl/time/time.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace doleances::bench {

// The columns of analytics.kpi_cells, in the order BatchAggregator encodes them.
inline constexpr char kKpiCellsColumns[] =
    "administration_id, basis, day, kind, channel, priority, category, department_id,"
    " department_code, region_code, cells";

// A complaint waiting in a batch, with the number of its dimensions (DimensionTable::IdOf).
struct BatchedComplaint {
  uint32_t dimensions = 0;
  analytics::ComplaintFact fact;
};

// Turns complaints into analytics.kpi_cells rows, a batch of receive days at a time. Filing is
// linear (FileContribution adds), so the contributions of a batch's complaints with the same
// dimensions are summed first, into a sum that stays in the cache, and filed once per row: the
// service's own ContributionOf, AddCells, FileContribution and EncodeCells still make every cell,
// at a fraction of the cost of filing each complaint into rows scattered over memory. Rows come
// out in the order a live service would have created them: by the last receive day that can
// touch them, then by dimensions, coarse rows last.
class BatchAggregator {
 public:
  // `table` must outlive the aggregator.
  BatchAggregator(const DimensionTable& table, absl::TimeZone zone) : table_(table), zone_(zone) {}

  // Adds `complaints`, all received before `complete_before` (a day number) and after those of
  // earlier calls, and appends to `out` every row no complaint received from `complete_before` on
  // can touch (kKpiCellsColumns, binary COPY); returns how many rows it appended. The last call
  // passes a day after every row's (analytics::kLatestDay).
  int64_t AddAndEncode(const std::vector<BatchedComplaint>& complaints, int64_t complete_before,
                       BinaryCopyRows& out);

 private:
  // The last receive day whose complaints can add to a row: its own day, or the month's last
  // day for rows filed by month. Month ends are remembered: the civil arithmetic cost more than
  // filing.
  int64_t LastReceiveDay(analytics::Basis basis, int64_t day);

  // Files the complete part of `sum` (rows whose last receive day is before `complete_before`)
  // into buckets_, and leaves the rest in it.
  void File(uint32_t id, int64_t complete_before, analytics::Contribution& sum);

  // The rows of one last receive day: full rows encoded as they are filed, coarse ones summed
  // over every kind, channel and priority until the batch is done, keyed by administration and
  // category number, basis and day.
  struct Bucket {
    BinaryCopyRows full;
    absl::btree_map<uint64_t, std::pair<analytics::CellKey, analytics::Cells>> coarse;
    int64_t rows = 0;
  };

  const DimensionTable& table_;
  absl::TimeZone zone_;
  // Sums of rows a later batch can still add to, by dimension number.
  absl::btree_map<uint32_t, analytics::Contribution> carried_;
  absl::btree_map<int64_t, Bucket> buckets_;
  absl::btree_map<analytics::CellKey, analytics::Cells> filed_;
  absl::flat_hash_map<int64_t, int64_t> month_ends_;
};

}  // namespace doleances::bench
