#include "common/calendar/explanation.h"

#include "common/calendar/business_calendar.h"
#include "common/calendar/deadline_policy.h"

#include <absl/strings/str_cat.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace doleances::calendar {
namespace {

std::string FormatDay(absl::CivilDay day) {
  static constexpr std::array<const char*, 7> kShortNames = {"Mon", "Tue", "Wed", "Thu",
                                                             "Fri", "Sat", "Sun"};
  return absl::StrCat(absl::FormatCivilTime(day), " ",
                      kShortNames[static_cast<int>(absl::GetWeekday(day))]);
}

std::string FormatInstant(absl::Time instant, const absl::TimeZone& zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", instant, zone);
}

bool IsCalendarUnit(DeadlineUnit unit) {
  return unit != DeadlineUnit::kBusinessDays && unit != DeadlineUnit::kBusinessHours;
}

std::string DescribePauseEffect(const AppliedPause& applied, const DeadlinePolicy& policy) {
  if (applied.ignored) {
    return "ignored, the clock had already fallen due";
  }
  DeadlinePolicy owed = policy;
  switch (policy.unit) {
    case DeadlineUnit::kBusinessDays:
      owed.amount = applied.days_owed;
      return absl::StrCat(DescribeResumeMode(applied.mode), ", ", DescribeAmount(owed),
                          " owed from the day after the resume");
    case DeadlineUnit::kBusinessHours:
      return absl::StrCat(DescribeResumeMode(applied.mode), ", ",
                          absl::FormatDuration(applied.time_owed),
                          " of business time owed from the resume");
    case DeadlineUnit::kCalendarDays:
    case DeadlineUnit::kWeeks:
    case DeadlineUnit::kMonths:
      if (applied.mode == ResumeMode::kRestart) {
        return absl::StrCat("restart, ", DescribeAmount(policy), " from the resume date");
      }
      if (!applied.pause.resume.has_value()) {
        return "continue, the due date moves later by the length of the pause";
      }
      return absl::StrCat("continue, due date moved ", applied.days_shifted, " days later");
  }
  return "";
}

struct DayLine {
  absl::CivilDay day;
  std::string text;
};

}  // namespace

std::string Explanation::ToString() const {
  std::string out = absl::StrCat("Deadline: ", DescribeAmount(policy), " in ", time_zone.name(),
                                 ", on resume ", DescribeResumeMode(policy.on_resume));
  if (IsCalendarUnit(policy.unit)) {
    absl::StrAppend(&out, policy.carry_to_next_business_day
                              ? ", carried to the next business day"
                              : ", not carried to the next business day");
  }
  absl::StrAppend(&out, "\nStart: ", FormatInstant(start, time_zone), "\n");
  for (const AppliedPause& applied : pauses) {
    absl::StrAppend(&out, "Pause: ", FormatInstant(applied.pause.start, time_zone), " -> ",
                    applied.pause.resume.has_value()
                        ? FormatInstant(*applied.pause.resume, time_zone)
                        : std::string("(still paused)"),
                    ": ", DescribePauseEffect(applied, policy), "\n");
  }

  std::vector<DayLine> lines;
  for (const CountedDay& counted : counted_days) {
    lines.push_back(
        {counted.day, policy.unit == DeadlineUnit::kBusinessHours
                          ? absl::StrCat("counted ", absl::FormatDuration(counted.business_time))
                          : absl::StrCat("counted: business day ", counted.ordinal)});
  }
  for (const DayStatus& skipped : skipped_days) {
    lines.push_back({skipped.day, absl::StrCat("skipped: ", skipped.Describe())});
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const DayLine& a, const DayLine& b) { return a.day < b.day; });
  for (const DayLine& line : lines) {
    absl::StrAppend(&out, "  ", FormatDay(line.day), "  ", line.text, "\n");
  }

  if (raw_due_day.has_value()) {
    absl::StrAppend(&out, "Raw due date: ", FormatDay(*raw_due_day), "\n");
  }
  if (due.has_value()) {
    absl::StrAppend(&out, "Due: ", FormatInstant(*due, time_zone), "\n");
  } else {
    absl::StrAppend(&out, "Due: unknown, the clock is paused\n");
  }
  return out;
}

}  // namespace doleances::calendar
