#include "services/workflow/deadline_timer.h"

#include "common/db/transaction.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/pg_clock_store.h"

namespace doleances::workflow {
namespace {

struct Pass {
  int claimed = 0;
  int events = 0;
};

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
          absl::StatusOr<int> fired = ClockKeeper::FireDue(tx, *record, now);
          if (!fired.ok()) {
            return fired.status();
          }
          result.events += *fired;
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
