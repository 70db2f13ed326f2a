#include "common/calendar/easter.h"

#include <absl/time/civil_time.h>

namespace doleances::calendar {
namespace {

// The algorithm is stated for non-negative years; floored division keeps it
// total (and proleptic) for the rest.
absl::civil_year_t FloorDiv(absl::civil_year_t a, absl::civil_year_t b) {
  absl::civil_year_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

absl::civil_year_t FloorMod(absl::civil_year_t a, absl::civil_year_t b) {
  return a - FloorDiv(a, b) * b;
}

}  // namespace

absl::CivilDay EasterSunday(absl::civil_year_t year) {
  // Meeus, "Astronomical Algorithms", ch. 8; variable names as in the book.
  const absl::civil_year_t a = FloorMod(year, 19);
  const absl::civil_year_t b = FloorDiv(year, 100);
  const absl::civil_year_t c = FloorMod(year, 100);
  const absl::civil_year_t d = FloorDiv(b, 4);
  const absl::civil_year_t e = FloorMod(b, 4);
  const absl::civil_year_t f = FloorDiv(b + 8, 25);
  const absl::civil_year_t g = FloorDiv(b - f + 1, 3);
  const absl::civil_year_t h = FloorMod(19 * a + b - d - g + 15, 30);
  const absl::civil_year_t i = c / 4;
  const absl::civil_year_t k = c % 4;
  const absl::civil_year_t l = FloorMod(32 + 2 * e + 2 * i - h - k, 7);
  const absl::civil_year_t m = (a + 11 * h + 22 * l) / 451;
  const absl::civil_year_t month = (h + l - 7 * m + 114) / 31;
  const absl::civil_year_t day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, static_cast<int>(month), static_cast<int>(day));
}

}  // namespace doleances::calendar
