#pragma once

#include "services/analytics/duration_histogram.h"

#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace doleances::analytics {

// The value of one aggregate row: a sparse map from cell id to count, where a cell is a counter,
// an SLA outcome of one clock, a score, or one bucket of one duration histogram. Sparse because a
// row (one day and one set of dimension values) usually holds a handful of complaints. Counts may
// be negative in a delta.
using Cells = absl::btree_map<int64_t, int64_t>;

// Which day a contribution is filed under.
enum class Basis : int {
  kReceiveDay = 0,  // The complaint's receive day: cohorts.
  kEventDay = 1,    // The day the counted thing happened: activity.
  // Day-packed bases (see IsDayPacked): one row per month holds a few counters for each of its
  // days, so that a query reads the whole history of a group in a handful of rows.
  // Complaints open now, by receive day: kOpen and kOpenUnresolved.
  kOpenNow = 2,
  // Net arrivals into the backlog by day (+1 on the receive day, -1 on the day it left): the
  // backlog at a past day is the backlog now minus the steps after it.
  kBacklogSteps = 3,
  // Month roll-ups of kReceiveDay and kEventDay, filed under the month's first day, so that a
  // query reads one row per month and dimension values for the whole months of its range.
  kReceiveMonth = 10,
  kEventMonth = 11,
};

// Every basis is also kept coarse, at this offset: rows keyed by administration and category
// only (other dimensions empty), for the queries that neither filter nor group by the others.
// They are far fewer than the full rows, where kind x channel x department makes most rows hold
// one complaint.
inline constexpr int kCoarseOffset = 20;

inline Basis CoarseOf(Basis basis) {
  return static_cast<Basis>(static_cast<int>(basis) + kCoarseOffset);
}

// The basis of a full or coarse basis.
inline Basis FullOf(Basis basis) {
  return static_cast<Basis>(static_cast<int>(basis) % kCoarseOffset);
}

// The month roll-up of a daily basis, or nullopt for bases without one.
inline std::optional<Basis> MonthlyOf(Basis basis) {
  switch (basis) {
    case Basis::kReceiveDay:
      return Basis::kReceiveMonth;
    case Basis::kEventDay:
      return Basis::kEventMonth;
    default:
      return std::nullopt;
  }
}

// Day-packed bases file under the month's first day, cell DayPackedCell(day - month start, slot)
// with slot 0 = kOpen and 1 = kOpenUnresolved (see ForEachPackedDay).
inline bool IsDayPacked(Basis basis) {
  return FullOf(basis) == Basis::kOpenNow || FullOf(basis) == Basis::kBacklogSteps;
}
inline constexpr int kDayPackedSlots = 2;
inline int64_t DayPackedCell(int64_t day_offset, int slot) {
  return day_offset * kDayPackedSlots + slot;
}

// Counters. Under kReceiveDay each is 0 or 1 per complaint ("the complaint was ever routed");
// under kEventDay it is filed on the day it happened.
enum Counter : int64_t {
  kReceived = 0,
  kRouted,
  kResponded,
  kClosed,
  kRejected,
  kWithdrawn,
  kEscalated,
  kTransferred,
  kMediated,
  kReopened,
  kImplicitDecisions,
  kResolved,  // Responded or closed, and not rejected, withdrawn or transferred.
  // kOpenNow (unpacked): open now. kEventDay and kBacklogSteps (unpacked): +1 on the receive
  // day, -1 on the day it left the backlog, so that a running sum over days is the backlog.
  kOpen,
  kOpenUnresolved,  // kOpenNow only: open and not yet resolved (censored in Kaplan-Meier).
  kBreached,        // Deadlines breached (kEventDay: on the breach day).
  kFeedbacks,
  kProblemSolved,
  kScore1,  // kScore1 + (score - 1) for scores 1-5.
  kCounterEnd = kScore1 + 5,
};

// SLA outcomes of a clock (doleances.type.v1.ClockKind, 1-8).
enum class SlaOutcome : int64_t { kMet = 0, kMissed = 1, kBreachedOpen = 2 };

// Duration histograms, each kBucketCount cells.
enum class Histogram : int64_t {
  kAcknowledgement = 0,
  kFirstResponse,
  kResolution,
  kMediation,
  kCitizenWait,
  kSurvivalResolved,  // Kaplan-Meier: time to resolution (calendar time).
  kSurvivalCensored,  // Kaplan-Meier: time to leaving unresolved (withdrawn, rejected, ...).
  kCount,
};

inline constexpr int64_t kSlaBase = 100;
inline constexpr int64_t kHistogramBase = 1000;
inline constexpr int kClockKinds = 9;  // ClockKind values 0-8.

inline int64_t SlaCell(int clock, SlaOutcome outcome) {
  return kSlaBase + clock * 4 + static_cast<int64_t>(outcome);
}
inline int64_t HistogramCell(Histogram histogram, int bucket) {
  return kHistogramBase + static_cast<int64_t>(histogram) * kBucketCount + bucket;
}

// A row's cells as read: sorted by cell id, no zero counts. Flat, since reads decode many.
using CellList = std::vector<std::pair<int64_t, int64_t>>;

// `into` += sign * `from`, dropping cells that reach zero.
void AddCells(Cells& into, const Cells& from, int64_t sign = 1);

void AddCells(Cells& into, const CellList& from);

// Reads a cell, 0 when absent.
int64_t CellValue(const Cells& cells, int64_t cell);
int64_t CellValue(const CellList& cells, int64_t cell);

// The buckets of one histogram.
BucketCounts HistogramOf(const Cells& cells, Histogram histogram);
BucketCounts HistogramOf(const CellList& cells, Histogram histogram);

// Calls f(day, slot, count) for each cell of a day-packed row filed under `month`.
template <typename F>
void ForEachPackedDay(int64_t month, const CellList& cells, F&& f) {
  for (const auto& [cell, count] : cells) {
    f(month + cell / kDayPackedSlots, static_cast<int>(cell % kDayPackedSlots), count);
  }
}

// Sums of many rows' cells (a group of a KPI answer): a hash map, since groups take thousands of
// histogram buckets from hundreds of rows.
class CellSum {
 public:
  void Add(const CellList& cells);
  // The non-zero sums, sorted.
  CellList ToList() const;

 private:
  absl::flat_hash_map<int64_t, int64_t> sums_;
};

// The stored form of cells: for each cell in id order, the id's distance from the previous one
// and the count (zigzag), as LEB128 varints; a row of 1,000 histogram buckets takes ~2.5 KB.
// Packed because a query reads hundreds of thousands of cells: PostgreSQL turns a bytea into hex
// and back at memory speed, where a bigint[] costs a number conversion per element on each side.
std::string EncodeCells(const Cells& cells);
// Decodes EncodeCells' bytes; false on malformed input.
bool DecodeCells(absl::string_view bytes, CellList& out);

}  // namespace doleances::analytics
