// The account a deadline computation gives of itself, for agents, citizens and
// ExplainDeadlines.
#pragma once

#include "common/calendar/business_calendar.h"
#include "common/calendar/deadline_policy.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::calendar {

// A day that counted towards a business-day or business-hour clock.
struct CountedDay {
  absl::CivilDay day;
  // Business days: the day's rank, 1 to N (continuing across pauses).
  int ordinal = 0;
  // Business hours: the working time counted on that day.
  absl::Duration business_time;
};

// A pause as the computation applied it.
struct AppliedPause {
  Pause pause;
  ResumeMode mode = ResumeMode::kContinue;
  // The pause began after the clock had fallen due, so it changed nothing.
  bool ignored = false;
  // What the clock owed when it set off again (the full amount after a
  // restart): business days, or business time.
  int days_owed = 0;
  absl::Duration time_owed;
  // Calendar units, continue mode: days the raw due date moved later.
  int days_shifted = 0;
};

struct Explanation {
  DeadlinePolicy policy;
  absl::TimeZone time_zone;
  absl::Time start;
  // Every pause given, in order, including ignored ones.
  std::vector<AppliedPause> pauses;
  // Business units: the days that counted, in order. A restart discards the
  // days (counted and skipped) before it.
  std::vector<CountedDay> counted_days;
  // Days passed over, with their reason: while counting business units, or
  // while carrying a calendar-unit due date to the next business day.
  std::vector<DayStatus> skipped_days;
  // Calendar units: the due date before the carry rule; empty while paused.
  std::optional<absl::CivilDay> raw_due_day;
  // Empty while the clock is paused.
  std::optional<absl::Time> due;

  // Multi-line, human-readable account: policy, start, pauses, each counted
  // and skipped day in date order, and the due instant in local time.
  std::string ToString() const;
};

}  // namespace doleances::calendar
