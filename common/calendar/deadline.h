// Deadline arithmetic (DESIGN.md §5): one implementation for every service.
#pragma once

#include "common/calendar/business_calendar.h"
#include "common/calendar/deadline_policy.h"
#include "common/calendar/explanation.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <absl/types/span.h>

#include <optional>

namespace doleances::calendar {

struct Deadline {
  // Empty while the clock is paused (the last pause has no resume): the due
  // instant cannot be known before the resume.
  std::optional<absl::Time> due;
  Explanation explanation;

  bool paused() const { return !due.has_value(); }
};

// Computes the due instant of a clock started at `start` under `policy`, in
// `calendar`'s time zone, with the `pauses` it has had:
//  - business days: counted from the day after the start date; due at 23:59:59
//    local of the N-th business day;
//  - business hours: counted from `start`, inside working hours of business days;
//  - calendar days, weeks, months: the same local date N units later (the last
//    day of a shorter month), due at its 23:59:59 local, carried to the next
//    business day if the policy says so.
// `pauses` must be in chronological order, not overlap, begin no earlier than
// `start`; only the last may lack a resume. Continue/restart follow DESIGN.md
// §5. A pause that begins once the clock has fallen due changes nothing (it is
// reported as ignored): for day-based units, when the due date is before the
// pause's local date; for business hours, when the due instant is not after the
// pause's start.
// Returns InvalidArgument naming the parameter for a non-positive or too large
// policy.amount, an infinite start, or malformed pauses.
absl::StatusOr<Deadline> ComputeDeadline(const BusinessCalendar& calendar,
                                         const DeadlinePolicy& policy, absl::Time start,
                                         absl::Span<const Pause> pauses = {});

}  // namespace doleances::calendar
