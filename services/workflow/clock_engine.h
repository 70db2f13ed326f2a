// The named clocks of a case (DESIGN.md §5): what each transition does to them, when their timers
// fire, and the due dates, always recomputed by the one deadline arithmetic of common/calendar.
// Pure: no database; the store loads and saves the records around it.
#pragma once

#include "common/calendar/business_calendar.h"
#include "common/calendar/deadline.h"
#include "doleances/events/v1/events.pb.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/clock_record.h"
#include "services/workflow/deadline_policies.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// What the clock events of a case carry besides the clock.
struct ClockCaseContext {
  std::string case_id;
  std::string queue_id;
  std::string department_id;
  absl::Time receive_time;  // The start event of the clocks that start with the case.
  // For a case transferred in (CRPA L114-2): its clocks start at the transfer, except the
  // statutory reply deadline, which runs from the first administration's receipt.
  std::optional<absl::Time> transfer_time;
};

class ClockEngine {
 public:
  // `policy_for(clock)`: the rule of `clock` for this case (ResolvePolicy), empty when the clock
  // does not run.
  using PolicyLookup = std::function<std::optional<ResolvedPolicy>(type::v1::ClockKind)>;

  ClockEngine(const calendar::BusinessCalendar& calendar, PolicyLookup policy_for)
      : calendar_(calendar), policy_for_(std::move(policy_for)) {}

  // Applies a transition's clock effect at `now` to `clocks` (records it changes or adds get
  // `dirty`); returns the clock events to append, payload only, in order.
  absl::StatusOr<std::vector<events::v1::Event>> Apply(ClockEffect effect,
                                                       const ClockCaseContext& context,
                                                       absl::Time now,
                                                       std::vector<ClockRecord>& clocks) const;

  // Fires what is due at `now`, each at most once: a warning (skipped when the deadline has
  // passed too: the breach says more), a breach (SLA clocks keep running, BREACHED), an expiry
  // (legal clocks stop, EXPIRED; an expired STATUTORY_REPLY is an implicit rejection and starts
  // the APPEAL_WINDOW at its due time).
  absl::StatusOr<std::vector<events::v1::Event>> FireDue(const ClockCaseContext& context,
                                                         absl::Time now,
                                                         std::vector<ClockRecord>& clocks) const;

  // The deadline of `clock` with its explanation, from start, pauses, spec and calendar.
  absl::StatusOr<calendar::Deadline> Compute(const ClockRecord& clock) const;

 private:
  absl::Status Recompute(ClockRecord& clock) const;
  absl::StatusOr<std::optional<events::v1::Event>> Start(type::v1::ClockKind kind,
                                                         const ClockCaseContext& context,
                                                         absl::Time start,
                                                         const std::string& reason,
                                                         std::vector<ClockRecord>& clocks) const;
  absl::StatusOr<std::optional<events::v1::Event>> Restart(ClockRecord& clock,
                                                           const ClockCaseContext& context,
                                                           absl::Time start,
                                                           const std::string& reason) const;

  const calendar::BusinessCalendar& calendar_;
  PolicyLookup policy_for_;
};

}  // namespace doleances::workflow
