#include "common/calendar/date_arithmetic.h"

#include <absl/time/civil_time.h>

#include <algorithm>

namespace doleances::calendar {

absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months) {
  const absl::CivilMonth target = absl::CivilMonth(day) + months;
  const absl::CivilDay last_of_target = absl::CivilDay(target + 1) - 1;
  return absl::CivilDay(target.year(), target.month(), std::min(day.day(), last_of_target.day()));
}

}  // namespace doleances::calendar
