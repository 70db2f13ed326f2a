#include "common/calendar/business_calendar.h"
#include "common/calendar/calendar_testing.h"
#include "common/calendar/deadline.h"
#include "common/calendar/deadline_policy.h"
#include "common/calendar/working_hours.h"

#include <absl/status/statusor.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gtest/gtest.h>

#include <optional>

namespace doleances::calendar {
namespace {

using ::doleances::calendar::testing::LocalTime;
using ::doleances::calendar::testing::MakeCalendar;
using ::doleances::calendar::testing::Utc;

// Due instant of `amount` business hours from `start`; nothing on error.
std::optional<absl::Time> DueAfter(const BusinessCalendar& calendar, int amount, absl::Time start) {
  DeadlinePolicy policy;
  policy.unit = DeadlineUnit::kBusinessHours;
  policy.amount = amount;
  absl::StatusOr<Deadline> deadline = ComputeDeadline(calendar, policy, start);
  EXPECT_TRUE(deadline.ok()) << deadline.status();
  return deadline.ok() ? deadline->due : std::nullopt;
}

// Default hours are Monday to Friday, 09:00-17:00.

TEST(BusinessHoursDeadlineTest, CountsWithinOneWorkingDay) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, 3, LocalTime(calendar, 2025, 6, 2, 10)),
            LocalTime(calendar, 2025, 6, 2, 13));
}

TEST(BusinessHoursDeadlineTest, EndsAtClosingTimeWhenTheHoursFitExactly) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, 2, LocalTime(calendar, 2025, 6, 2, 15)),
            LocalTime(calendar, 2025, 6, 2, 17));
}

TEST(BusinessHoursDeadlineTest, SkipsTheNight) {
  const BusinessCalendar calendar = MakeCalendar();

  // Monday 15:00: two hours on Monday, two on Tuesday morning.
  EXPECT_EQ(DueAfter(calendar, 4, LocalTime(calendar, 2025, 6, 2, 15)),
            LocalTime(calendar, 2025, 6, 3, 11));
}

TEST(BusinessHoursDeadlineTest, StartBeforeOpeningCountsFromOpening) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, 2, LocalTime(calendar, 2025, 6, 2, 7)),
            LocalTime(calendar, 2025, 6, 2, 11));
}

TEST(BusinessHoursDeadlineTest, StartAfterClosingCountsFromNextOpening) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 6, 2, 18)),
            LocalTime(calendar, 2025, 6, 3, 10));
}

TEST(BusinessHoursDeadlineTest, SkipsTheWeekend) {
  const BusinessCalendar calendar = MakeCalendar();

  // Friday 13 June 16:00 to Monday 16 June 10:00.
  EXPECT_EQ(DueAfter(calendar, 2, LocalTime(calendar, 2025, 6, 13, 16)),
            LocalTime(calendar, 2025, 6, 16, 10));
}

TEST(BusinessHoursDeadlineTest, SkipsAHoliday) {
  const BusinessCalendar calendar = MakeCalendar();

  // Wednesday 30 April 16:00: one hour, 1 May passes, one hour on Friday 2 May.
  EXPECT_EQ(DueAfter(calendar, 2, LocalTime(calendar, 2025, 4, 30, 16)),
            LocalTime(calendar, 2025, 5, 2, 10));
}

TEST(BusinessHoursDeadlineTest, SkipsTheLunchBreak) {
  CalendarConfig config;
  for (absl::Weekday weekday :
       {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
        absl::Weekday::thursday, absl::Weekday::friday}) {
    config.working_hours.On(weekday) = {{{9, 0}, {12, 0}}, {{14, 0}, {17, 0}}};
  }
  const BusinessCalendar calendar = MakeCalendar(config);

  EXPECT_EQ(DueAfter(calendar, 2, LocalTime(calendar, 2025, 6, 2, 11)),
            LocalTime(calendar, 2025, 6, 2, 15));
}

TEST(BusinessHoursDeadlineTest, KeepsLocalOpeningHoursAcrossTheSpringDstWeekend) {
  const BusinessCalendar calendar = MakeCalendar();

  // Friday 28 March 2025 15:00 +01:00 (14:00 UTC); Paris springs forward on
  // Sunday 30 March; due Monday 31 March 11:00 +02:00 (09:00 UTC).
  EXPECT_EQ(DueAfter(calendar, 4, Utc(2025, 3, 28, 14)), Utc(2025, 3, 31, 9));
}

TEST(BusinessHoursDeadlineTest, KeepsLocalOpeningHoursAcrossTheAutumnDstWeekend) {
  const BusinessCalendar calendar = MakeCalendar();

  // Friday 24 October 2025 15:00 +02:00 (13:00 UTC); Paris falls back on
  // Sunday 26 October; due Monday 27 October 11:00 +01:00 (10:00 UTC).
  EXPECT_EQ(DueAfter(calendar, 4, Utc(2025, 10, 24, 13)), Utc(2025, 10, 27, 10));
}

TEST(BusinessHoursDeadlineTest, CountsRealElapsedTimeOnA23HourDay) {
  // Jerusalem springs forward at 02:00 on Friday 28 March 2025: 00:00-06:00
  // local holds five real hours.
  CalendarConfig config;
  config.time_zone = "Asia/Jerusalem";
  config.working_hours = WeeklyHours();
  config.working_hours.On(absl::Weekday::friday) = {{{0, 0}, {6, 0}}};
  const BusinessCalendar calendar = MakeCalendar(config);

  // From 00:00 +02:00 (22:00 UTC on the 27th) to 06:00 +03:00 (03:00 UTC).
  EXPECT_EQ(DueAfter(calendar, 5, Utc(2025, 3, 27, 22)), Utc(2025, 3, 28, 3));
}

TEST(BusinessHoursDeadlineTest, CountsRealElapsedTimeOnA25HourDay) {
  // Tehran fell back at midnight ending Tuesday 21 September 2021 (+04:30 to
  // +03:30): 22:00-24:00 local holds three real hours.
  CalendarConfig config;
  config.time_zone = "Asia/Tehran";
  config.working_hours = WeeklyHours();
  config.working_hours.On(absl::Weekday::tuesday) = {{{22, 0}, {24, 0}}};
  const BusinessCalendar calendar = MakeCalendar(config);

  // From 22:00 +04:30 (17:30 UTC) to 24:00 +03:30 (20:30 UTC).
  EXPECT_EQ(DueAfter(calendar, 3, Utc(2021, 9, 21, 17, 30)), Utc(2021, 9, 21, 20, 30));
}

}  // namespace
}  // namespace doleances::calendar
