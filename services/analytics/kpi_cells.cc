#include "services/analytics/kpi_cells.h"

#include <algorithm>

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

void AddCells(Cells& into, const CellList& from) {
  for (const auto& [cell, count] : from) {
    int64_t& value = into[cell];
    value += count;
    if (value == 0) {
      into.erase(cell);
    }
  }
}

int64_t CellValue(const Cells& cells, int64_t cell) {
  const auto it = cells.find(cell);
  return it == cells.end() ? 0 : it->second;
}

int64_t CellValue(const CellList& cells, int64_t cell) {
  const auto it = std::lower_bound(
      cells.begin(), cells.end(), cell,
      [](const std::pair<int64_t, int64_t>& entry, int64_t id) { return entry.first < id; });
  return it == cells.end() || it->first != cell ? 0 : it->second;
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

void CellSum::Add(const CellList& cells) {
  for (const auto& [cell, count] : cells) {
    sums_[cell] += count;
  }
}

CellList CellSum::ToList() const {
  CellList cells;
  cells.reserve(sums_.size());
  for (const auto& [cell, count] : sums_) {
    if (count != 0) {
      cells.emplace_back(cell, count);
    }
  }
  std::sort(cells.begin(), cells.end());
  return cells;
}

namespace {

void PutVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

bool GetVarint(absl::string_view& in, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string EncodeCells(const Cells& cells) {
  std::string out;
  out.reserve(cells.size() * 3);
  int64_t previous = 0;
  for (const auto& [cell, count] : cells) {
    PutVarint(static_cast<uint64_t>(cell - previous), out);
    PutVarint((static_cast<uint64_t>(count) << 1) ^ static_cast<uint64_t>(count >> 63), out);
    previous = cell;
  }
  return out;
}

bool DecodeCells(absl::string_view bytes, CellList& out) {
  uint64_t previous = 0;
  while (!bytes.empty()) {
    uint64_t delta = 0;
    uint64_t zigzag = 0;
    if (!GetVarint(bytes, delta) || !GetVarint(bytes, zigzag)) {
      return false;
    }
    previous += delta;
    const auto count = static_cast<int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
    out.emplace_back(static_cast<int64_t>(previous), count);
  }
  return true;
}

BucketCounts HistogramOf(const CellList& cells, Histogram histogram) {
  BucketCounts buckets;
  const int64_t first = HistogramCell(histogram, 0);
  auto it = std::lower_bound(
      cells.begin(), cells.end(), first,
      [](const std::pair<int64_t, int64_t>& entry, int64_t id) { return entry.first < id; });
  for (; it != cells.end() && it->first < first + kBucketCount; ++it) {
    buckets.emplace_hint(buckets.end(), static_cast<int>(it->first - first), it->second);
  }
  return buckets;
}

}  // namespace doleances::analytics
