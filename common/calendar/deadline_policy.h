// What a deadline clock counts and how it behaves around pauses.
#pragma once

#include <absl/time/time.h>

#include <optional>
#include <string>

namespace doleances::calendar {

enum class DeadlineUnit {
  kBusinessDays,
  kBusinessHours,
  kCalendarDays,
  kWeeks,
  kMonths,
};

// What a clock does when a pause ends.
enum class ResumeMode {
  // A suspension: the time already counted stays counted.
  kContinue,
  // CRPA L114-5 (request for missing documents): the full amount runs again
  // from the resume instant.
  kRestart,
};

struct DeadlinePolicy {
  DeadlineUnit unit = DeadlineUnit::kBusinessDays;
  // Number of units; must be positive.
  int amount = 0;
  // Calendar units only: a due date falling on a Saturday, Sunday, holiday or
  // closed day moves to the next business day. On for deadlines given to
  // citizens (appeal windows); off for the statutory silence after which a
  // decision is deemed taken.
  bool carry_to_next_business_day = true;
  ResumeMode on_resume = ResumeMode::kContinue;
};

// An interval [start, resume) during which the clock stood still. No resume
// means the clock is still paused.
struct Pause {
  absl::Time start;
  std::optional<absl::Time> resume;
};

// Returns e.g. "10 business days", "2 months", "1 business hour".
std::string DescribeAmount(const DeadlinePolicy& policy);

// Returns "continue" or "restart".
std::string DescribeResumeMode(ResumeMode mode);

}  // namespace doleances::calendar
