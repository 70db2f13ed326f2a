// Runs a case's clocks inside the caller's transaction: loads the administration's calendar and
// policies and the case's clocks, lets the ClockEngine decide, saves what changed and appends
// the clock events with the case's next aggregate versions.
#pragma once

#include "services/workflow/case_record.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/clock_engine.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <memory>
#include <vector>

namespace doleances::workflow {

class ClockKeeper {
 public:
  // Applies a transition's clock effect to the case `record` (locked by the caller, just
  // changed); advances record.event_version past the events appended. `new_case`: the case was
  // just created, so it has no clocks to load.
  static absl::Status ApplyEffect(pqxx::transaction_base& tx, CaseRecord& record,
                                  ClockEffect effect, absl::Time now, bool new_case = false);

  // What a timer pass did to one case.
  struct Fired {
    int events = 0;
    // The clock whose breach escalates the case (its policy says so), if any.
    type::v1::ClockKind escalate_for = type::v1::CLOCK_KIND_UNSPECIFIED;
  };

  // Fires the case's timers due at `now` (the case locked by the caller).
  static absl::StatusOr<Fired> FireDue(pqxx::transaction_base& tx, CaseRecord& record,
                                       absl::Time now);

  // The case's clocks with the calendar they run on, for GetCase and ExplainDeadlines.
  struct Snapshot {
    std::vector<ClockRecord> clocks;
    std::shared_ptr<const calendar::BusinessCalendar> calendar;
  };
  static absl::StatusOr<Snapshot> Load(pqxx::transaction_base& tx, const CaseRecord& record);
};

}  // namespace doleances::workflow
