#include "common/calendar/business_calendar.h"

#include "common/calendar/calendar_testing.h"
#include "common/calendar/french_holidays.h"
#include "common/calendar/working_hours.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace doleances::calendar {
namespace {

using ::doleances::calendar::testing::MakeCalendar;
using ::doleances::calendar::testing::Utc;
using ::testing::HasSubstr;

void ExpectInvalidArgumentNaming(const absl::StatusOr<BusinessCalendar>& calendar,
                                 const std::string& field) {
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(calendar.status().message()), HasSubstr(field));
}

TEST(BusinessCalendarTest, DefaultsToEuropeParis) {
  EXPECT_EQ(MakeCalendar().time_zone().name(), "Europe/Paris");
}

TEST(BusinessCalendarTest, CreateRejectsUnknownTimeZone) {
  CalendarConfig config;
  config.time_zone = "Europe/Atlantis";

  ExpectInvalidArgumentNaming(BusinessCalendar::Create(config), "time_zone");
}

TEST(BusinessCalendarTest, CreateRejectsClosedDayWithoutReason) {
  CalendarConfig config;
  config.closed_days = {{absl::CivilDay(2025, 5, 2), "pont"}, {absl::CivilDay(2025, 5, 30), ""}};

  ExpectInvalidArgumentNaming(BusinessCalendar::Create(config), "closed_days[1].reason");
}

TEST(BusinessCalendarTest, CreateRejectsWorkingHoursOnSaturday) {
  CalendarConfig config;
  config.working_hours.On(absl::Weekday::saturday) = {{{9, 0}, {12, 0}}};

  ExpectInvalidArgumentNaming(BusinessCalendar::Create(config), "working_hours.saturday");
}

TEST(BusinessCalendarTest, CreateRejectsOverlappingWorkingIntervals) {
  CalendarConfig config;
  config.working_hours.On(absl::Weekday::tuesday) = {{{9, 0}, {12, 0}}, {{11, 0}, {17, 0}}};

  ExpectInvalidArgumentNaming(BusinessCalendar::Create(config), "working_hours.tuesday[1]");
}

TEST(BusinessCalendarTest, CreateRejectsIntervalEndingBeforeItStarts) {
  CalendarConfig config;
  config.working_hours.On(absl::Weekday::monday) = {{{17, 0}, {9, 0}}};

  ExpectInvalidArgumentNaming(BusinessCalendar::Create(config), "working_hours.monday[0]");
}

TEST(BusinessCalendarTest, CreateRejectsCalendarWithoutWorkingHours) {
  CalendarConfig config;
  config.working_hours = WeeklyHours();

  ExpectInvalidArgumentNaming(BusinessCalendar::Create(config), "working_hours");
}

TEST(BusinessCalendarTest, OrdinaryWeekdayIsABusinessDay) {
  DayStatus status = MakeCalendar().CheckDay(absl::CivilDay(2025, 6, 4));  // a Wednesday

  EXPECT_TRUE(status.is_business_day());
  EXPECT_EQ(status.reason, NonBusinessReason::kNone);
}

TEST(BusinessCalendarTest, SaturdayAndSundayAreNotBusinessDays) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(calendar.CheckDay(absl::CivilDay(2025, 6, 7)).reason, NonBusinessReason::kSaturday);
  EXPECT_EQ(calendar.CheckDay(absl::CivilDay(2025, 6, 8)).reason, NonBusinessReason::kSunday);
}

TEST(BusinessCalendarTest, PublicHolidayIsReportedByName) {
  DayStatus status = MakeCalendar().CheckDay(absl::CivilDay(2025, 5, 8));  // a Thursday

  EXPECT_FALSE(status.is_business_day());
  EXPECT_EQ(status.reason, NonBusinessReason::kPublicHoliday);
  EXPECT_EQ(status.detail, "Victoire 1945");
  EXPECT_EQ(status.Describe(), "public holiday: Victoire 1945");
}

TEST(BusinessCalendarTest, WeekendIsReportedBeforeAHolidayOnTheSameDay) {
  // 1 May 2027 is a Saturday.
  EXPECT_EQ(MakeCalendar().CheckDay(absl::CivilDay(2027, 5, 1)).reason,
            NonBusinessReason::kSaturday);
}

TEST(BusinessCalendarTest, ClosedDayIsReportedWithItsReason) {
  CalendarConfig config;
  config.closed_days = {{absl::CivilDay(2025, 5, 2), "pont de l'Ascension"}};

  DayStatus status = MakeCalendar(config).CheckDay(absl::CivilDay(2025, 5, 2));

  EXPECT_EQ(status.reason, NonBusinessReason::kClosedDay);
  EXPECT_EQ(status.Describe(), "closed: pont de l'Ascension");
}

TEST(BusinessCalendarTest, GoodFridayIsABusinessDayOutsideAlsaceMoselle) {
  EXPECT_TRUE(MakeCalendar().IsBusinessDay(absl::CivilDay(2025, 4, 18)));
}

TEST(BusinessCalendarTest, AlsaceMoselleCalendarClosesOnGoodFriday) {
  CalendarConfig config;
  config.regional_presets = {RegionalPreset::kAlsaceMoselle};

  DayStatus status = MakeCalendar(config).CheckDay(absl::CivilDay(2025, 4, 18));

  EXPECT_EQ(status.reason, NonBusinessReason::kPublicHoliday);
  EXPECT_EQ(status.detail, "Vendredi saint");
}

TEST(BusinessCalendarTest, HolidaysOfMergesRegionalDaysInDateOrder) {
  CalendarConfig config;
  config.regional_presets = {RegionalPreset::kLaReunion};

  std::vector<Holiday> holidays = MakeCalendar(config).HolidaysOf(2025);

  ASSERT_EQ(holidays.size(), 12u);
  EXPECT_EQ(holidays[10].day, absl::CivilDay(2025, 12, 20));
  EXPECT_EQ(holidays[11].day, absl::CivilDay(2025, 12, 25));
}

TEST(BusinessCalendarTest, EndOfDayIsOneSecondBeforeLocalMidnight) {
  // Summer time: 23:59:59 +02:00.
  EXPECT_EQ(MakeCalendar().EndOfDay(absl::CivilDay(2025, 6, 3)), Utc(2025, 6, 3, 21, 59, 59));
}

TEST(BusinessCalendarTest, EndOfDayIsWellDefinedOnTheDaySummerTimeEnds) {
  // 26 October 2025 lasts 25 hours in Paris; it ends at 23:59:59 +01:00.
  EXPECT_EQ(MakeCalendar().EndOfDay(absl::CivilDay(2025, 10, 26)), Utc(2025, 10, 26, 22, 59, 59));
}

TEST(BusinessCalendarTest, LocalDayUsesTheCalendarTimeZone) {
  // 22:30 UTC on Sunday 1 June 2025 is already Monday 2 June in Paris.
  EXPECT_EQ(MakeCalendar().LocalDay(Utc(2025, 6, 1, 22, 30)), absl::CivilDay(2025, 6, 2));
}

TEST(BusinessCalendarTest, WorkingSpansAreEmptyOnNonBusinessDays) {
  EXPECT_TRUE(MakeCalendar().WorkingSpans(absl::CivilDay(2025, 5, 1)).empty());
}

TEST(BusinessCalendarTest, WorkingSpanLastsRealElapsedTimeWhenClocksSpringForward) {
  // Jerusalem moved from 02:00 to 03:00 on Friday 28 March 2025.
  CalendarConfig config;
  config.time_zone = "Asia/Jerusalem";
  config.working_hours = WeeklyHours();
  config.working_hours.On(absl::Weekday::friday) = {{{0, 0}, {6, 0}}};

  std::vector<TimeSpan> spans = MakeCalendar(config).WorkingSpans(absl::CivilDay(2025, 3, 28));

  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].begin, Utc(2025, 3, 27, 22));
  EXPECT_EQ(spans[0].end - spans[0].begin, absl::Hours(5));
}

}  // namespace
}  // namespace doleances::calendar
