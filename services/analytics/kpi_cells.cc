#include "services/analytics/kpi_cells.h"

namespace doleances::analytics {

void AddCells(Cells& into, const Cells& from, int64_t sign) {
  for (const auto& [cell, count] : from) {
    int64_t& value = into[cell];
    value += sign * count;
    if (value == 0) {
      into.erase(cell);
    }
  }
}

int64_t CellValue(const Cells& cells, int64_t cell) {
  const auto it = cells.find(cell);
  return it == cells.end() ? 0 : it->second;
}

BucketCounts HistogramOf(const Cells& cells, Histogram histogram) {
  BucketCounts buckets;
  const int64_t first = HistogramCell(histogram, 0);
  for (auto it = cells.lower_bound(first); it != cells.end() && it->first < first + kBucketCount;
       ++it) {
    buckets[static_cast<int>(it->first - first)] = it->second;
  }
  return buckets;
}

}  // namespace doleances::analytics
