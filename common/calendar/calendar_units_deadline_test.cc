#include "common/calendar/business_calendar.h"
#include "common/calendar/calendar_testing.h"
#include "common/calendar/deadline.h"
#include "common/calendar/deadline_policy.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <gtest/gtest.h>

#include <optional>

namespace doleances::calendar {
namespace {

using ::doleances::calendar::testing::LocalTime;
using ::doleances::calendar::testing::MakeCalendar;

DeadlinePolicy Policy(DeadlineUnit unit, int amount, bool carry) {
  DeadlinePolicy policy;
  policy.unit = unit;
  policy.amount = amount;
  policy.carry_to_next_business_day = carry;
  return policy;
}

std::optional<absl::Time> DueAfter(const BusinessCalendar& calendar, const DeadlinePolicy& policy,
                                   absl::Time start) {
  absl::StatusOr<Deadline> deadline = ComputeDeadline(calendar, policy, start);
  EXPECT_TRUE(deadline.ok()) << deadline.status();
  return deadline.ok() ? deadline->due : std::nullopt;
}

TEST(CalendarUnitsDeadlineTest, CalendarDaysEndOnTheSameLocalDateNDaysLater) {
  const BusinessCalendar calendar = MakeCalendar();

  // Monday 2 June + 10 days = Thursday 12 June.
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kCalendarDays, 10, true),
                     LocalTime(calendar, 2025, 6, 2, 15)),
            LocalTime(calendar, 2025, 6, 12, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, WeeksEndOnTheSameWeekday) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kWeeks, 2, true),
                     LocalTime(calendar, 2025, 6, 2, 15)),
            LocalTime(calendar, 2025, 6, 16, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, MonthFromJanuary31EndsOnFebruary28) {
  const BusinessCalendar calendar = MakeCalendar();

  // 28 February 2025 is a Friday, so the carry flag plays no part.
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 1, true),
                     LocalTime(calendar, 2025, 1, 31, 10)),
            LocalTime(calendar, 2025, 2, 28, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, MonthFromJanuary31EndsOnFebruary29InALeapYear) {
  const BusinessCalendar calendar = MakeCalendar();

  // 29 February 2024 is a Thursday.
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 1, true),
                     LocalTime(calendar, 2024, 1, 31, 10)),
            LocalTime(calendar, 2024, 2, 29, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, MonthFromAugust31EndsOnSeptember30) {
  const BusinessCalendar calendar = MakeCalendar();

  // 30 September 2025 is a Tuesday.
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 1, true),
                     LocalTime(calendar, 2025, 8, 31, 10)),
            LocalTime(calendar, 2025, 9, 30, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, CarryMovesASaturdayDueDateToMonday) {
  const BusinessCalendar calendar = MakeCalendar();

  // 3 April + 1 month = Saturday 3 May 2025, carried to Monday 5 May.
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 1, true),
                     LocalTime(calendar, 2025, 4, 3, 10)),
            LocalTime(calendar, 2025, 5, 5, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, WithoutCarryASaturdayDueDateStays) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 1, false),
                     LocalTime(calendar, 2025, 4, 3, 10)),
            LocalTime(calendar, 2025, 5, 3, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, CarryPassesAWeekendFollowedByAHoliday) {
  const BusinessCalendar calendar = MakeCalendar();

  // 7 April + 2 months = Saturday 7 June 2025; Sunday 8 and Whit Monday 9 pass.
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 2, true),
                     LocalTime(calendar, 2025, 4, 7, 10)),
            LocalTime(calendar, 2025, 6, 10, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, StatutorySilenceEndsOnAHolidayWithoutCarry) {
  const BusinessCalendar calendar = MakeCalendar();

  // CRPA L231-4: two months of silence from 1 March 2025 end on 1 May (a holiday).
  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 2, false),
                     LocalTime(calendar, 2025, 3, 1, 10)),
            LocalTime(calendar, 2025, 5, 1, 23, 59, 59));
}

TEST(CalendarUnitsDeadlineTest, CarryMovesAHolidayDueDateToTheNextBusinessDay) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, Policy(DeadlineUnit::kMonths, 2, true),
                     LocalTime(calendar, 2025, 3, 1, 10)),
            LocalTime(calendar, 2025, 5, 2, 23, 59, 59));
}

}  // namespace
}  // namespace doleances::calendar
