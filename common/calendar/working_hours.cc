#include "common/calendar/working_hours.h"

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/string_view.h>
#include <absl/time/civil_time.h>

#include <array>
#include <string>

namespace doleances::calendar {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

int MinutesOf(const TimeOfDay& time) { return time.hour * 60 + time.minute; }

bool IsValidTimeOfDay(const TimeOfDay& time) {
  return time.hour >= 0 && time.minute >= 0 && time.minute < 60 &&
         MinutesOf(time) <= kMinutesPerDay;
}

}  // namespace

WeeklyHours StandardOfficeHours() {
  WeeklyHours hours;
  for (absl::Weekday weekday :
       {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
        absl::Weekday::thursday, absl::Weekday::friday}) {
    hours.On(weekday) = {{{9, 0}, {17, 0}}};
  }
  return hours;
}

absl::string_view WeekdayName(absl::Weekday weekday) {
  static constexpr std::array<absl::string_view, 7> kNames = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return kNames[static_cast<int>(weekday)];
}

absl::Status ValidateWeeklyHours(const WeeklyHours& hours) {
  bool any_working_time = false;
  for (int index = 0; index < 7; ++index) {
    const auto weekday = static_cast<absl::Weekday>(index);
    const std::vector<WorkingInterval>& intervals = hours.On(weekday);
    const std::string field = absl::StrCat("working_hours.", WeekdayName(weekday));
    if ((weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday) &&
        !intervals.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": Saturdays and Sundays are never business days"));
    }
    int previous_end = 0;
    for (size_t i = 0; i < intervals.size(); ++i) {
      const WorkingInterval& interval = intervals[i];
      const std::string name = absl::StrCat(field, "[", i, "]");
      if (!IsValidTimeOfDay(interval.start) || !IsValidTimeOfDay(interval.end)) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": times must lie within 00:00-24:00"));
      }
      if (MinutesOf(interval.start) >= MinutesOf(interval.end)) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": start must be before end"));
      }
      if (MinutesOf(interval.start) < previous_end) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": overlaps or precedes the previous interval"));
      }
      previous_end = MinutesOf(interval.end);
      any_working_time = true;
    }
  }
  if (!any_working_time) {
    return absl::InvalidArgumentError("working_hours: no weekday has working hours");
  }
  return absl::OkStatus();
}

}  // namespace doleances::calendar
