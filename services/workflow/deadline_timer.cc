#include "services/workflow/deadline_timer.h"

#include "common/db/transaction.h"
#include "common/log/log.h"
#include "services/workflow/case_escalation.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/pg_clock_store.h"
#include "services/workflow/workflow_metrics.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {
namespace {

struct Pass {
  int claimed = 0;
  int events = 0;
};

// The policy escalates a breach to the hierarchical authority, if the case's state allows the
// system to (a case already escalated, responded or closed stays where it is). Returns the
// events appended: none when it stays, or when the department has no escalation queue (logged:
// the breach itself is announced all the same).
absl::StatusOr<int> EscalateOnBreach(pqxx::transaction_base& tx, const CaseRecord& current,
                                     type::v1::ClockKind clock, absl::Time now) {
  if (!CheckTransition(static_cast<type::v1::CaseState>(current.state),
                       type::v1::CASE_STATE_ESCALATED, Trigger::kSystem, /*has_motive=*/true,
                       /*has_public_message=*/false)
           .ok()) {
    return 0;
  }
  Escalation escalation;
  escalation.motive = absl::StrCat("deadline breached: ", ClockLabel(clock));
  escalation.actor_kind = type::v1::ACTOR_KIND_SYSTEM;
  escalation.breached_clock = clock;
  const int64_t before = current.event_version;
  absl::StatusOr<CaseRecord> escalated = EscalateLocked(tx, current, escalation, now);
  if (absl::IsFailedPrecondition(escalated.status()) ||
      absl::IsInvalidArgument(escalated.status())) {
    log::Warning("breach not escalated", {{"case_id", current.case_id},
                                          {"reason", std::string(escalated.status().message())}});
    return 0;
  }
  if (!escalated.ok()) {
    return escalated.status();
  }
  return static_cast<int>(escalated->event_version - before);
}

}  // namespace

absl::StatusOr<int> DeadlineTimer::FireOnce() {
  absl::StatusOr<Pass> pass = db::RunInTransaction(
      pool_, "workflow_fire_timers", [&](pqxx::work& tx) -> absl::StatusOr<Pass> {
        const absl::Time now = clock_();
        Pass result;
        for (const std::string& case_id :
             PgClockStore::ClaimCasesWithDueTimers(tx, now, batch_size_)) {
          ++result.claimed;
          std::optional<CaseRecord> record = PgCaseStore::Lock(tx, case_id);
          if (!record.has_value()) {
            continue;
          }
          absl::StatusOr<ClockKeeper::Fired> fired = ClockKeeper::FireDue(tx, *record, now);
          if (!fired.ok()) {
            return fired.status();
          }
          result.events += fired->events;
          if (fired->escalate_for != type::v1::CLOCK_KIND_UNSPECIFIED) {
            absl::StatusOr<int> escalated = EscalateOnBreach(tx, *record, fired->escalate_for, now);
            if (!escalated.ok()) {
              return escalated.status();
            }
            result.events += *escalated;
          }
        }
        return result;
      });
  if (!pass.ok()) {
    return pass.status();
  }
  return pass->events;
}

absl::StatusOr<int> DeadlineTimer::FireAllDue() {
  int total = 0;
  while (true) {
    absl::StatusOr<int> fired = FireOnce();
    if (!fired.ok()) {
      return fired.status();
    }
    if (*fired == 0) {
      return total;
    }
    total += *fired;
  }
}

}  // namespace doleances::workflow
