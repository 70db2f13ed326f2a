#include "common/calendar/easter.h"

#include <absl/time/civil_time.h>
#include <gtest/gtest.h>

namespace doleances::calendar {
namespace {

TEST(EasterSundayTest, MatchesPublishedDates2024To2035) {
  const absl::CivilDay published[] = {
      absl::CivilDay(2024, 3, 31), absl::CivilDay(2025, 4, 20), absl::CivilDay(2026, 4, 5),
      absl::CivilDay(2027, 3, 28), absl::CivilDay(2028, 4, 16), absl::CivilDay(2029, 4, 1),
      absl::CivilDay(2030, 4, 21), absl::CivilDay(2031, 4, 13), absl::CivilDay(2032, 3, 28),
      absl::CivilDay(2033, 4, 17), absl::CivilDay(2034, 4, 9),  absl::CivilDay(2035, 3, 25),
  };
  for (const absl::CivilDay& easter : published) {
    EXPECT_EQ(EasterSunday(easter.year()), easter) << "year " << easter.year();
  }
}

TEST(EasterSundayTest, ReachesBothEndsOfTheRangeOfPossibleDates) {
  // 22 March and 25 April are the earliest and latest possible Easter dates.
  EXPECT_EQ(EasterSunday(1818), absl::CivilDay(1818, 3, 22));
  EXPECT_EQ(EasterSunday(2285), absl::CivilDay(2285, 3, 22));
  EXPECT_EQ(EasterSunday(1943), absl::CivilDay(1943, 4, 25));
  EXPECT_EQ(EasterSunday(2038), absl::CivilDay(2038, 4, 25));
}

TEST(EasterSundayTest, AlwaysFallsOnASunday) {
  for (int year = 1900; year <= 2200; ++year) {
    EXPECT_EQ(absl::GetWeekday(EasterSunday(year)), absl::Weekday::sunday) << "year " << year;
  }
}

}  // namespace
}  // namespace doleances::calendar
