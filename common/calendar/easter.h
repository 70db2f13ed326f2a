// Date of Easter Sunday, from which France's movable public holidays derive.
#pragma once

#include <absl/time/civil_time.h>

namespace doleances::calendar {

// Returns Easter Sunday of `year` in the Gregorian calendar, computed with the
// anonymous Gregorian (Meeus/Jones/Butcher) algorithm. Defined for every year
// (proleptic before 1583); never fails.
absl::CivilDay EasterSunday(absl::civil_year_t year);

}  // namespace doleances::calendar
