// The deadline timers of a mediation, as data: which warnings, breaches and expiries are due at
// an instant, and when the next one falls. Pure: no database, no clock. The stores arm
// `next_fire_time` with NextFireTime; MediationDeadlineTimer fires with FireDue.
#pragma once

#include "services/mediation/mediation_record.h"

#include <absl/time/time.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::mediation {

// The warning fires at 80 % of the time allowed, as for workflow's clocks (DESIGN.md §6).
inline constexpr double kWarningFraction = 0.8;

enum class TimerClock {
  kAdmissibility,       // R612-2, three weeks from the request.
  kOutcome,             // R612-5, ninety days (+ extensions) from the saisine.
  kProposalAcceptance,  // The parties' deadline to answer an open proposal.
};

enum class TimerKind {
  kWarning,  // DeadlineWarning.
  kBreach,   // DeadlineBreached: the mediator is late.
  kExpiry,   // ClockStopped EXPIRED: the proposal lapsed, a fact, not a failure.
};

// One announcement owed.
struct Firing {
  TimerClock clock;
  TimerKind kind;
  absl::Time due;           // The clock's due time.
  std::string proposal_id;  // For kProposalAcceptance only.
};

// When the warning of a clock started at `start` and due at `due` fires.
absl::Time WarningTime(absl::Time start, absl::Time due);

// Marks every timer of `mediation` and of its `open_proposals` due at `now` as fired (an expired
// proposal becomes PROPOSAL_STATE_EXPIRED) and returns the announcements owed, in clock order.
// A warning whose deadline has passed too is marked without an announcement: the breach or
// expiry says more. Afterwards NextFireTime is later than `now`.
std::vector<Firing> FireDue(MediationRecord& mediation, std::vector<ProposalRecord>& open_proposals,
                            absl::Time now);

// The earliest timer of `mediation` and its open proposals still to fire; nullopt when none
// (closed, or everything announced).
std::optional<absl::Time> NextFireTime(const MediationRecord& mediation,
                                       const std::vector<ProposalRecord>& open_proposals);

}  // namespace doleances::mediation
