// Weekly opening hours of an administration, used to count business hours.
#pragma once

#include <absl/status/status.h>
#include <absl/strings/string_view.h>
#include <absl/time/civil_time.h>

#include <array>
#include <vector>

namespace doleances::calendar {

// A local wall-clock time. 24:00 is allowed as the end of an interval.
struct TimeOfDay {
  int hour = 0;
  int minute = 0;
};

// Working time [start, end) of one day, in local wall-clock time.
struct WorkingInterval {
  TimeOfDay start;
  TimeOfDay end;
};

// Working intervals per weekday, indexed by absl::Weekday (monday = 0).
struct WeeklyHours {
  std::array<std::vector<WorkingInterval>, 7> by_weekday;

  // Returns the intervals of `weekday`, in chronological order once validated.
  const std::vector<WorkingInterval>& On(absl::Weekday weekday) const {
    return by_weekday[static_cast<int>(weekday)];
  }
  std::vector<WorkingInterval>& On(absl::Weekday weekday) {
    return by_weekday[static_cast<int>(weekday)];
  }
};

// Returns Monday to Friday, 09:00-17:00.
WeeklyHours StandardOfficeHours();

// Checks that every interval lies within 00:00-24:00 with start < end, that a
// day's intervals are chronological and disjoint, that Saturday and Sunday have
// none (they are never business days) and that some weekday has working time.
// Returns InvalidArgument naming the offending interval, e.g.
// "working_hours.monday[1]".
absl::Status ValidateWeeklyHours(const WeeklyHours& hours);

// Returns the lower-case English name of `weekday` ("monday").
absl::string_view WeekdayName(absl::Weekday weekday);

}  // namespace doleances::calendar
