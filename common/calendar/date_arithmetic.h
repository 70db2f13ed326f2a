// Calendar-date arithmetic with the month-end rule of French deadlines.
#pragma once

#include <absl/time/civil_time.h>

namespace doleances::calendar {

// Returns the same day of the month `months` months after `day`; when that
// month is too short, its last day (31 January + 1 month = 28 or 29 February).
// `months` may be negative. Never fails.
absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months);

}  // namespace doleances::calendar
