#pragma once

#include "common/db/connection_pool.h"
#include "services/mediation/mediation_metrics.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <functional>

namespace doleances::mediation {

// Fires the warnings, breaches and proposal expiries of mediation clocks once they are due
// (mediation_timers.h). The timers live in PostgreSQL (mediations.next_fire_time), so one that
// fell due while every replica was down fires at the first pass after a restart; each pass claims
// mediations with FOR UPDATE SKIP LOCKED and marks what it fired in the transaction that appends
// the events, so two replicas never fire one twice. Counts each breach in
// doleances_mediation_deadline_breaches_total{clock} once committed.
class MediationDeadlineTimer {
 public:
  MediationDeadlineTimer(db::ConnectionPool& pool, MediationMetrics& metrics,
                         std::function<absl::Time()> clock, int batch_size = 100)
      : pool_(pool), metrics_(metrics), clock_(std::move(clock)), batch_size_(batch_size) {}

  // One transaction: claims up to batch_size mediations with a due timer and fires them. Returns
  // the number of events appended (0 when nothing was due).
  absl::StatusOr<int> FireOnce();

  // Passes until one claims nothing more. Returns the events appended in all.
  absl::StatusOr<int> FireAllDue();

 private:
  struct Pass {
    int claimed = 0;
    int events = 0;
  };
  absl::StatusOr<Pass> RunPass();

  db::ConnectionPool& pool_;
  MediationMetrics& metrics_;
  const std::function<absl::Time()> clock_;
  const int batch_size_;
};

}  // namespace doleances::mediation
