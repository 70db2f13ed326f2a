#include "tests/bench/kpi_batch_aggregator.h"

#include "services/analytics/kpi_query.h"

#include <algorithm>
#include <iterator>

namespace doleances::bench {
namespace {

using analytics::Basis;
using analytics::CellKey;
using analytics::Cells;

constexpr int16_t kKpiCellsFields = 11;

// One kpi_cells row (kKpiCellsColumns).
void EncodeCellsRow(const CellKey& key, const Cells& cells, BinaryCopyRows& out) {
  const auto& [d, basis, day] = key;
  out.BeginRow(kKpiCellsFields);
  out.Text(d.administration_id);
  out.Int16(static_cast<int16_t>(basis));
  out.Date(day);
  out.Int16(static_cast<int16_t>(d.kind));
  out.Int16(static_cast<int16_t>(d.channel));
  out.Int16(static_cast<int16_t>(d.priority));
  out.Text(d.category);
  out.Text(d.department_id);
  out.Text(d.department_code);
  out.Text(d.region_code);
  out.Text(analytics::EncodeCells(cells));
}

}  // namespace

int64_t BatchAggregator::AddAndEncode(const std::vector<BatchedComplaint>& complaints,
                                      int64_t complete_before, BinaryCopyRows& out) {
  std::vector<uint32_t> order(complaints.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return complaints[a].dimensions < complaints[b].dimensions;
  });
  // Every dimension number with complaints in this batch or sums carried from earlier ones.
  auto next = order.begin();
  auto carried = carried_.begin();
  while (next != order.end() || carried != carried_.end()) {
    const uint32_t id = next == order.end() ? carried->first
                        : carried == carried_.end()
                            ? complaints[*next].dimensions
                            : std::min(complaints[*next].dimensions, carried->first);
    analytics::Contribution sum;
    if (carried != carried_.end() && carried->first == id) {
      sum = std::move(carried->second);
      carried = carried_.erase(carried);
    }
    for (; next != order.end() && complaints[*next].dimensions == id; ++next) {
      for (const auto& [where, cells] :
           analytics::ContributionOf(complaints[*next].fact, zone_).cells) {
        analytics::AddCells(sum.cells[where], cells);
      }
    }
    File(id, complete_before, sum);
    if (!sum.cells.empty()) {
      carried = std::next(carried_.emplace_hint(carried, id, std::move(sum)));
    }
  }
  int64_t rows = 0;
  for (auto& [last, bucket] : buckets_) {
    out.Append(bucket.full);
    for (const auto& [coarse_key, row] : bucket.coarse) {
      if (!row.second.empty()) {
        EncodeCellsRow(row.first, row.second, out);
        ++bucket.rows;
      }
    }
    rows += bucket.rows;
  }
  buckets_.clear();
  return rows;
}

int64_t BatchAggregator::LastReceiveDay(Basis basis, int64_t day) {
  if (!analytics::IsDayPacked(basis) && static_cast<int>(analytics::FullOf(basis)) < 10) {
    return day;
  }
  auto [it, inserted] = month_ends_.try_emplace(day, 0);
  if (inserted) {
    it->second = analytics::PeriodOf(analytics::v1::DIMENSION_MONTH, day).second;
  }
  return it->second;
}

void BatchAggregator::File(uint32_t id, int64_t complete_before, analytics::Contribution& sum) {
  const auto complete = [&](const auto& entry) {
    return LastReceiveDay(entry.first.first, entry.first.second) < complete_before;
  };
  analytics::Contribution part;
  if (std::all_of(sum.cells.begin(), sum.cells.end(), complete)) {
    part.cells.swap(sum.cells);
  } else {
    for (auto it = sum.cells.begin(); it != sum.cells.end();) {
      if (complete(*it)) {
        part.cells.insert(std::move(*it));
        it = sum.cells.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (part.cells.empty()) {
    return;
  }
  filed_.clear();
  analytics::FileContribution(table_[id], part, 1, filed_);
  const uint64_t coarse = DimensionTable::CoarseIdOf(id);
  for (const auto& [key, cells] : filed_) {
    const Basis basis = std::get<1>(key);
    const int64_t day = std::get<2>(key);
    Bucket& bucket = buckets_[LastReceiveDay(basis, day)];
    if (static_cast<int>(basis) >= analytics::kCoarseOffset) {
      const uint64_t coarse_key =
          coarse << 32 | static_cast<uint64_t>(basis) << 24 | static_cast<uint64_t>(day);
      analytics::AddCells(bucket.coarse.try_emplace(coarse_key, key, Cells()).first->second.second,
                          cells);
    } else if (!cells.empty()) {
      EncodeCellsRow(key, cells, bucket.full);
      ++bucket.rows;
    }
  }
}

}  // namespace doleances::bench
