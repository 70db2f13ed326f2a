#pragma once

#include "common/db/connection_pool.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <functional>

namespace doleances::workflow {

// Fires the warnings, breaches and expiries of case clocks once they are due. The timers live in
// PostgreSQL (case_clocks.next_fire_time), so one that fell due while every replica was down
// fires at the first pass after a restart; each pass claims cases with FOR UPDATE SKIP LOCKED
// and marks what it fired in the transaction that appends the events, so two replicas never
// fire one twice.
class DeadlineTimer {
 public:
  DeadlineTimer(db::ConnectionPool& pool, std::function<absl::Time()> clock, int batch_size = 100)
      : pool_(pool), clock_(std::move(clock)), batch_size_(batch_size) {}

  // One transaction: claims up to batch_size cases with a due timer and fires them. Returns the
  // number of events appended (0 when nothing was due).
  absl::StatusOr<int> FireOnce();

  // Passes until one finds nothing more to claim. Returns the events appended in all.
  absl::StatusOr<int> FireAllDue();

 private:
  db::ConnectionPool& pool_;
  const std::function<absl::Time()> clock_;
  const int batch_size_;
};

}  // namespace doleances::workflow
