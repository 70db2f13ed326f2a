#pragma once

#include "doleances/events/v1/events.pb.h"
#include "services/analytics/kpi_cells.h"

#include <absl/container/btree_map.h>
#include <absl/time/time.h>

#include <array>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace doleances::analytics {

// The dimensions a complaint is aggregated on: codes and opaque ids, never personal data.
struct FactDimensions {
  std::string administration_id;
  int kind = 0;
  int channel = 0;
  int priority = 0;
  std::string category;
  std::string department_id;    // Workflow department (organisational unit).
  std::string department_code;  // INSEE département.
  std::string region_code;

  auto Tie() const {
    return std::tie(administration_id, kind, channel, priority, category, department_id,
                    department_code, region_code);
  }
  bool operator==(const FactDimensions& other) const { return Tie() == other.Tie(); }
  bool operator<(const FactDimensions& other) const { return Tie() < other.Tie(); }
};

// Milestone instants of a complaint, in microseconds since the epoch, 0 while not reached. Each
// merges as the earliest (first response) or the latest (closed) occurrence, so that applying
// events in any order, or twice, gives the same fact.
enum Slot : int {
  kReceiveTime = 0,       // earliest
  kRoutedTime,            // earliest
  kRoutingDecisionTime,   // latest routing: owns category, department and priority
  kAcknowledgedTime,      // earliest stop of the acknowledgement clock
  kFirstResponseTime,     // earliest
  kClosedTime,            // latest
  kRejectedTime,          // latest
  kWithdrawnTime,         // latest
  kTransferredTime,       // latest
  kEscalatedTime,         // earliest
  kMediationStartTime,    // earliest
  kMediationEndTime,      // latest
  kReopenedTime,          // latest
  kImplicitDecisionTime,  // earliest
  kFeedbackTime,          // latest survey: owns satisfaction and problem_solved
  kClockSlots,            // Per clock c: kClockSlots + 3c + {met stop, missed stop, breach}.
  kSlotCount = kClockSlots + 3 * kClockKinds,
};

struct ComplaintFact {
  std::string complaint_id;
  FactDimensions dimensions;
  std::array<int64_t, kSlotCount> slots{};
  std::vector<int64_t> wait_starts;  // Sorted, unique.
  std::vector<int64_t> wait_ends;    // Sorted, unique.
  int satisfaction = 0;
  bool problem_solved = false;
  std::vector<std::string> keywords;  // Routing keywords of the latest routing.

  bool operator==(const ComplaintFact& other) const = default;
};

// Merges what `event` says into `fact`. Commutative and idempotent: any order of any multiset of
// a complaint's events yields the same fact as its set in log order. Events that say nothing
// analytics keeps are ignored.
void ApplyEvent(const events::v1::Event& event, ComplaintFact& fact);

// A day number: days since 1970-01-01 of the civil day of the instant in `zone`.
int64_t DayNumber(absl::Time time, absl::TimeZone zone);

// The first day of the month of `day` (day numbers).
int64_t MonthStart(int64_t day);

// Where a fact is counted: cells per (basis, day) under the fact's dimensions, and routing
// keyword counts per receive day. Empty for a complaint not received yet (events that arrived
// before ComplaintReceived wait in the fact).
struct Contribution {
  absl::btree_map<std::pair<Basis, int64_t>, Cells> cells;
  absl::btree_map<std::pair<int64_t, std::string>, int64_t> terms;
};

Contribution ContributionOf(const ComplaintFact& fact, absl::TimeZone zone);

// The aggregate row a contribution is added to: dimensions, basis, day.
using CellKey = std::tuple<FactDimensions, Basis, int64_t>;

// Adds sign x `contribution` of a fact with `dimensions` to every row it is filed under: the
// full dimensions, and the coarse rows (administration and category only).
void FileContribution(const FactDimensions& dimensions, const Contribution& contribution,
                      int64_t sign, absl::btree_map<CellKey, Cells>& rows);

// The administration's part of [receive, until]: the waits on the citizen inside it removed.
absl::Duration AdministrationTime(const ComplaintFact& fact, int64_t until_micros);

}  // namespace doleances::analytics
