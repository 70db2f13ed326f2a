#include "common/calendar/date_arithmetic.h"

#include <absl/time/civil_time.h>
#include <gtest/gtest.h>

namespace doleances::calendar {
namespace {

TEST(AddMonthsClampedTest, KeepsTheDayOfMonthWhenItExists) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 1, 15), 1), absl::CivilDay(2025, 2, 15));
}

TEST(AddMonthsClampedTest, January31PlusOneMonthIsFebruary28) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 1, 31), 1), absl::CivilDay(2025, 2, 28));
}

TEST(AddMonthsClampedTest, January31PlusOneMonthIsFebruary29InALeapYear) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2024, 1, 31), 1), absl::CivilDay(2024, 2, 29));
}

TEST(AddMonthsClampedTest, August31PlusOneMonthIsSeptember30) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 8, 31), 1), absl::CivilDay(2025, 9, 30));
}

TEST(AddMonthsClampedTest, CrossesTheYearBoundary) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2023, 12, 31), 2), absl::CivilDay(2024, 2, 29));
}

}  // namespace
}  // namespace doleances::calendar
