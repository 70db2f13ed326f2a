#include "common/calendar/deadline.h"

#include "common/calendar/business_calendar.h"
#include "common/calendar/date_arithmetic.h"
#include "common/calendar/deadline_policy.h"
#include "common/calendar/explanation.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <absl/types/span.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace doleances::calendar {
namespace {

// Upper bounds keep every computation a short loop; they are far beyond any
// legal or contractual deadline.
int MaxAmount(DeadlineUnit unit) {
  switch (unit) {
    case DeadlineUnit::kBusinessDays:
      return 10'000;
    case DeadlineUnit::kBusinessHours:
      return 100'000;
    case DeadlineUnit::kCalendarDays:
      return 100'000;
    case DeadlineUnit::kWeeks:
      return 10'000;
    case DeadlineUnit::kMonths:
      return 1'200;
  }
  return 0;
}

// Guards the business-hour walk; a validated calendar has working time every
// week, so only absurd numbers of closed days could reach it.
constexpr int kMaxDaysScanned = 200 * 366;

absl::Status ValidateInput(const DeadlinePolicy& policy, absl::Time start,
                           absl::Span<const Pause> pauses) {
  const int max_amount = MaxAmount(policy.unit);
  if (max_amount == 0) {
    return absl::InvalidArgumentError("policy.unit is unknown");
  }
  if (policy.amount <= 0 || policy.amount > max_amount) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy.amount must be between 1 and ", max_amount, ", got ", policy.amount));
  }
  if (start == absl::InfinitePast() || start == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("start must be a finite instant");
  }
  for (size_t i = 0; i < pauses.size(); ++i) {
    const Pause& pause = pauses[i];
    const std::string name = absl::StrCat("pauses[", i, "]");
    if (pause.start == absl::InfinitePast() || pause.start == absl::InfiniteFuture()) {
      return absl::InvalidArgumentError(absl::StrCat(name, ".start must be a finite instant"));
    }
    if (pause.start < start) {
      return absl::InvalidArgumentError(absl::StrCat(name, ".start is before start"));
    }
    if (pause.resume.has_value()) {
      if (*pause.resume == absl::InfiniteFuture()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ".resume must be finite (leave it empty while paused)"));
      }
      if (*pause.resume < pause.start) {
        return absl::InvalidArgumentError(absl::StrCat(name, ".resume is before ", name, ".start"));
      }
    }
    if (i > 0) {
      const Pause& previous = pauses[i - 1];
      if (!previous.resume.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("pauses[", i - 1, "] has no resume but is not the last pause"));
      }
      if (pause.start < *previous.resume) {
        return absl::InvalidArgumentError(absl::StrCat(name, " overlaps or precedes pauses[", i - 1,
                                                       "] (pauses must be chronological)"));
      }
    }
  }
  return absl::OkStatus();
}

void IgnorePauses(absl::Span<const Pause> pauses, const DeadlinePolicy& policy,
                  Explanation& explanation) {
  for (const Pause& pause : pauses) {
    AppliedPause applied;
    applied.pause = pause;
    applied.mode = policy.on_resume;
    applied.ignored = true;
    explanation.pauses.push_back(applied);
  }
}

// A pause starting and ending on the same day makes the walk visit that day
// twice; the explanation lists it once.
void NoteSkipped(DayStatus status, Explanation& explanation) {
  if (explanation.skipped_days.empty() || explanation.skipped_days.back().day != status.day) {
    explanation.skipped_days.push_back(std::move(status));
  }
}

void NoteBusinessTime(absl::CivilDay day, absl::Duration time, Explanation& explanation) {
  if (!explanation.counted_days.empty() && explanation.counted_days.back().day == day) {
    explanation.counted_days.back().business_time += time;
  } else {
    explanation.counted_days.push_back({day, 0, time});
  }
}

// Discards what a restarted clock had counted: only the new run explains the
// due date.
void ForgetCountedDays(Explanation& explanation) {
  explanation.counted_days.clear();
  explanation.skipped_days.clear();
}

// Result of counting business days: `due_day` is empty when a pause stopped
// the count first.
struct DayCount {
  std::optional<absl::CivilDay> due_day;
  int counted = 0;
};

// Counts `owed` business days from the day after `anchor`. With `stop_day`,
// stops before counting that day (a pause began on it).
DayCount CountBusinessDays(const BusinessCalendar& calendar, absl::CivilDay anchor, int owed,
                           std::optional<absl::CivilDay> stop_day, Explanation& explanation) {
  DayCount count;
  for (absl::CivilDay day = anchor + 1;; ++day) {
    if (stop_day.has_value() && day >= *stop_day) {
      return count;
    }
    DayStatus status = calendar.CheckDay(day);
    if (!status.is_business_day()) {
      explanation.skipped_days.push_back(std::move(status));
      continue;
    }
    ++count.counted;
    explanation.counted_days.push_back(
        {day, static_cast<int>(explanation.counted_days.size()) + 1, absl::ZeroDuration()});
    if (count.counted == owed) {
      count.due_day = day;
      return count;
    }
  }
}

absl::Status ComputeBusinessDays(const BusinessCalendar& calendar, absl::Span<const Pause> pauses,
                                 Explanation& explanation) {
  const DeadlinePolicy& policy = explanation.policy;
  absl::CivilDay anchor = calendar.LocalDay(explanation.start);
  int owed = policy.amount;
  for (size_t i = 0;; ++i) {
    std::optional<absl::CivilDay> stop_day;
    if (i < pauses.size()) {
      stop_day = calendar.LocalDay(pauses[i].start);
    }
    const DayCount count = CountBusinessDays(calendar, anchor, owed, stop_day, explanation);
    if (count.due_day.has_value()) {
      IgnorePauses(pauses.subspan(i), policy, explanation);
      explanation.due = calendar.EndOfDay(*count.due_day);
      return absl::OkStatus();
    }
    // DESIGN.md §5: only the days that ended before the pause began count; the
    // days from the pause date to the resume date never do.
    const Pause& pause = pauses[i];
    if (policy.on_resume == ResumeMode::kRestart) {
      ForgetCountedDays(explanation);
      owed = policy.amount;
    } else {
      owed -= count.counted;
    }
    AppliedPause applied;
    applied.pause = pause;
    applied.mode = policy.on_resume;
    applied.days_owed = owed;
    explanation.pauses.push_back(applied);
    if (!pause.resume.has_value()) {
      return absl::OkStatus();
    }
    anchor = calendar.LocalDay(*pause.resume);
  }
}

// Result of counting business time: `due` is empty when a pause stopped the
// count first.
struct TimeCount {
  std::optional<absl::Time> due;
  absl::Duration counted;
};

// Counts `owed` working time from `from`. With `stop`, counts only before it.
absl::StatusOr<TimeCount> CountBusinessTime(const BusinessCalendar& calendar, absl::Time from,
                                            absl::Duration owed, std::optional<absl::Time> stop,
                                            Explanation& explanation) {
  TimeCount count;
  absl::CivilDay day = calendar.LocalDay(from);
  for (int scanned = 0; scanned < kMaxDaysScanned; ++scanned, ++day) {
    if (stop.has_value() && calendar.StartOfDay(day) >= *stop) {
      return count;
    }
    DayStatus status = calendar.CheckDay(day);
    if (!status.is_business_day()) {
      NoteSkipped(std::move(status), explanation);
      continue;
    }
    absl::Duration counted_today;
    for (const TimeSpan& span : calendar.WorkingSpans(day)) {
      const absl::Time begin = std::max(span.begin, from);
      const absl::Time end = stop.has_value() ? std::min(span.end, *stop) : span.end;
      if (begin >= end) {
        continue;
      }
      const absl::Duration still_owed = owed - count.counted;
      if (still_owed <= end - begin) {
        counted_today += still_owed;
        count.counted += still_owed;
        count.due = begin + still_owed;
        break;
      }
      counted_today += end - begin;
      count.counted += end - begin;
    }
    if (counted_today > absl::ZeroDuration()) {
      NoteBusinessTime(day, counted_today, explanation);
    }
    if (count.due.has_value()) {
      return count;
    }
  }
  return absl::FailedPreconditionError("the calendar offers no working time in the next 200 years");
}

absl::Status ComputeBusinessHours(const BusinessCalendar& calendar, absl::Span<const Pause> pauses,
                                  Explanation& explanation) {
  const DeadlinePolicy& policy = explanation.policy;
  const absl::Duration full = absl::Hours(policy.amount);
  absl::Time from = explanation.start;
  absl::Duration owed = full;
  for (size_t i = 0;; ++i) {
    std::optional<absl::Time> stop;
    if (i < pauses.size()) {
      stop = pauses[i].start;
    }
    absl::StatusOr<TimeCount> count = CountBusinessTime(calendar, from, owed, stop, explanation);
    if (!count.ok()) {
      return count.status();
    }
    if (count->due.has_value()) {
      IgnorePauses(pauses.subspan(i), policy, explanation);
      explanation.due = count->due;
      return absl::OkStatus();
    }
    const Pause& pause = pauses[i];
    if (policy.on_resume == ResumeMode::kRestart) {
      ForgetCountedDays(explanation);
      owed = full;
    } else {
      owed -= count->counted;
    }
    AppliedPause applied;
    applied.pause = pause;
    applied.mode = policy.on_resume;
    applied.time_owed = owed;
    explanation.pauses.push_back(applied);
    if (!pause.resume.has_value()) {
      return absl::OkStatus();
    }
    from = *pause.resume;
  }
}

absl::CivilDay AddCalendarUnits(absl::CivilDay day, const DeadlinePolicy& policy) {
  switch (policy.unit) {
    case DeadlineUnit::kWeeks:
      return day + 7 * policy.amount;
    case DeadlineUnit::kMonths:
      return AddMonthsClamped(day, policy.amount);
    default:
      return day + policy.amount;
  }
}

// Moves `day` forward to the first business day, reporting each day passed
// over in `skipped` when given.
absl::CivilDay CarryToBusinessDay(const BusinessCalendar& calendar, absl::CivilDay day,
                                  std::vector<DayStatus>* skipped) {
  for (DayStatus status = calendar.CheckDay(day); !status.is_business_day();
       status = calendar.CheckDay(++day)) {
    if (skipped != nullptr) {
      skipped->push_back(std::move(status));
    }
  }
  return day;
}

absl::Status ComputeCalendarUnits(const BusinessCalendar& calendar, absl::Span<const Pause> pauses,
                                  Explanation& explanation) {
  const DeadlinePolicy& policy = explanation.policy;
  const bool carry = policy.carry_to_next_business_day;
  absl::CivilDay raw = AddCalendarUnits(calendar.LocalDay(explanation.start), policy);
  for (size_t i = 0; i < pauses.size(); ++i) {
    const Pause& pause = pauses[i];
    const absl::CivilDay pause_day = calendar.LocalDay(pause.start);
    const absl::CivilDay due_so_far = carry ? CarryToBusinessDay(calendar, raw, nullptr) : raw;
    if (due_so_far < pause_day) {
      IgnorePauses(pauses.subspan(i), policy, explanation);
      break;
    }
    AppliedPause applied;
    applied.pause = pause;
    applied.mode = policy.on_resume;
    if (pause.resume.has_value()) {
      const absl::CivilDay resume_day = calendar.LocalDay(*pause.resume);
      if (policy.on_resume == ResumeMode::kRestart) {
        raw = AddCalendarUnits(resume_day, policy);
      } else {
        // DESIGN.md §5: the raw date moves by the dates from pause to resume;
        // the carry rule applies once, to the final date.
        applied.days_shifted = static_cast<int>(resume_day - pause_day);
        raw += applied.days_shifted;
      }
    }
    explanation.pauses.push_back(applied);
    if (!pause.resume.has_value()) {
      return absl::OkStatus();
    }
  }
  explanation.raw_due_day = raw;
  const absl::CivilDay final_day =
      carry ? CarryToBusinessDay(calendar, raw, &explanation.skipped_days) : raw;
  explanation.due = calendar.EndOfDay(final_day);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Deadline> ComputeDeadline(const BusinessCalendar& calendar,
                                         const DeadlinePolicy& policy, absl::Time start,
                                         absl::Span<const Pause> pauses) {
  if (absl::Status valid = ValidateInput(policy, start, pauses); !valid.ok()) {
    return valid;
  }
  Deadline deadline;
  Explanation& explanation = deadline.explanation;
  explanation.policy = policy;
  explanation.time_zone = calendar.time_zone();
  explanation.start = start;
  absl::Status computed;
  switch (policy.unit) {
    case DeadlineUnit::kBusinessDays:
      computed = ComputeBusinessDays(calendar, pauses, explanation);
      break;
    case DeadlineUnit::kBusinessHours:
      computed = ComputeBusinessHours(calendar, pauses, explanation);
      break;
    case DeadlineUnit::kCalendarDays:
    case DeadlineUnit::kWeeks:
    case DeadlineUnit::kMonths:
      computed = ComputeCalendarUnits(calendar, pauses, explanation);
      break;
  }
  if (!computed.ok()) {
    return computed;
  }
  deadline.due = explanation.due;
  return deadline;
}

}  // namespace doleances::calendar
