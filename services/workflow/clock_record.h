#pragma once

#include "doleances/type/v1/deadline.pb.h"

#include <absl/time/time.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// One pause of a case clock. Enum-valued fields hold the contract's enum numbers.
struct ClockPauseRecord {
  absl::Time start;
  std::optional<absl::Time> resume;
  int reason = 0;       // type::v1::PauseReason
  int resume_mode = 0;  // type::v1::ResumeMode applied on resume; 0 while paused
};

// One named clock of a case, as stored. The due and warning times are always derived from the
// start, the pauses, the spec and the administration's calendar (ClockEngine::Recompute), so that
// ExplainDeadlines and the timers agree to the second.
struct ClockRecord {
  int clock = 0;  // type::v1::ClockKind
  int state = type::v1::CLOCK_STATE_RUNNING;
  std::string policy_id;  // Empty for a built-in legal default.
  type::v1::DeadlineSpec spec;
  bool pause_while_awaiting_citizen = true;
  int warning_percent = 80;  // 0: no warning.
  bool escalate_on_breach = false;
  absl::Time start_time;
  std::string start_reason;
  std::optional<absl::Time> due_time;  // Empty while paused.
  std::optional<absl::Time> warning_time;
  std::optional<absl::Time> stop_time;
  std::vector<ClockPauseRecord> pauses;
  bool warning_fired = false;
  bool due_fired = false;
  // Not stored: set by whoever changes the record, so that only changed clocks are written.
  bool dirty = false;

  // Running (or breached, still running) and not paused.
  bool running() const {
    return state == type::v1::CLOCK_STATE_RUNNING || state == type::v1::CLOCK_STATE_BREACHED;
  }
  bool paused() const { return state == type::v1::CLOCK_STATE_PAUSED; }
  bool stopped() const { return !running() && !paused(); }

  // The earliest timer still to fire (warning, then due), or none.
  std::optional<absl::Time> NextFireTime() const;
};

}  // namespace doleances::workflow
