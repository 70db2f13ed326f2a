#include "common/calendar/business_calendar.h"
#include "common/calendar/calendar_testing.h"
#include "common/calendar/deadline.h"
#include "common/calendar/deadline_policy.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace doleances::calendar {
namespace {

using ::doleances::calendar::testing::LocalTime;
using ::doleances::calendar::testing::MakeCalendar;
using ::doleances::calendar::testing::Utc;
using ::testing::HasSubstr;

DeadlinePolicy BusinessDays(int amount) {
  DeadlinePolicy policy;
  policy.unit = DeadlineUnit::kBusinessDays;
  policy.amount = amount;
  return policy;
}

// Due instant of `amount` business days from `start`; nothing on error.
std::optional<absl::Time> DueAfter(const BusinessCalendar& calendar, int amount, absl::Time start) {
  absl::StatusOr<Deadline> deadline = ComputeDeadline(calendar, BusinessDays(amount), start);
  EXPECT_TRUE(deadline.ok()) << deadline.status();
  return deadline.ok() ? deadline->due : std::nullopt;
}

TEST(BusinessDaysDeadlineTest, StartDayNeverCounts) {
  const BusinessCalendar calendar = MakeCalendar();

  // Monday 2 June 2025 at 10:00: one business day is Tuesday's.
  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 6, 2, 10)),
            LocalTime(calendar, 2025, 6, 3, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, SkipsTheWeekend) {
  const BusinessCalendar calendar = MakeCalendar();

  // Thursday 12 June 2025: Friday 13, then Monday 16.
  EXPECT_EQ(DueAfter(calendar, 2, LocalTime(calendar, 2025, 6, 12, 15)),
            LocalTime(calendar, 2025, 6, 16, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, StartOnSaturdayCountsFromMonday) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 6, 14, 11)),
            LocalTime(calendar, 2025, 6, 16, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, SkipsFirstAndEighthOfMay) {
  const BusinessCalendar calendar = MakeCalendar();

  // Wednesday 30 April 2025: 2, 5, 6, 7 and 9 May (1 and 8 May are holidays).
  EXPECT_EQ(DueAfter(calendar, 5, LocalTime(calendar, 2025, 4, 30, 9)),
            LocalTime(calendar, 2025, 5, 9, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, SkipsAscensionThursday) {
  const BusinessCalendar calendar = MakeCalendar();

  // Ascension 2025 is Thursday 29 May.
  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 5, 28, 16)),
            LocalTime(calendar, 2025, 5, 30, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, GoodFridayCountsOutsideAlsaceMoselle) {
  const BusinessCalendar calendar = MakeCalendar();

  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 4, 17, 10)),
            LocalTime(calendar, 2025, 4, 18, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, AlsaceMoselleSkipsGoodFridayAndEasterMonday) {
  CalendarConfig config;
  config.regional_presets = {RegionalPreset::kAlsaceMoselle};
  const BusinessCalendar calendar = MakeCalendar(config);

  // Thursday 17 April 2025: Good Friday, the weekend and Easter Monday pass; Tuesday 22.
  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 4, 17, 10)),
            LocalTime(calendar, 2025, 4, 22, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, AlsaceMoselleSkipsSaintStephensDay) {
  CalendarConfig config;
  config.regional_presets = {RegionalPreset::kAlsaceMoselle};
  const BusinessCalendar calendar = MakeCalendar(config);

  // Wednesday 24 December 2025: 25 and 26 December, then the weekend; Monday 29.
  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 12, 24, 10)),
            LocalTime(calendar, 2025, 12, 29, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, SkipsTheAdministrationsClosedDays) {
  CalendarConfig config;
  config.closed_days = {{absl::CivilDay(2025, 5, 2), "pont"}};
  const BusinessCalendar calendar = MakeCalendar(config);

  // 1 May holiday, 2 May closed, weekend: Monday 5 May.
  EXPECT_EQ(DueAfter(calendar, 1, LocalTime(calendar, 2025, 4, 30, 10)),
            LocalTime(calendar, 2025, 5, 5, 23, 59, 59));
}

TEST(BusinessDaysDeadlineTest, CountsFromTheLocalDateOfTheStart) {
  const BusinessCalendar calendar = MakeCalendar();

  // 22:30 UTC on Sunday 1 June is 00:30 on Monday 2 June in Paris: due Tuesday 3.
  EXPECT_EQ(DueAfter(calendar, 1, Utc(2025, 6, 1, 22, 30)), Utc(2025, 6, 3, 21, 59, 59));
}

TEST(BusinessDaysDeadlineTest, DueAtLocalEndOfDayAfterSpringingForward) {
  const BusinessCalendar calendar = MakeCalendar();

  // Friday 28 March 2025 (+01:00) to Monday 31 March 23:59:59 (+02:00).
  EXPECT_EQ(DueAfter(calendar, 1, Utc(2025, 3, 28, 14)), Utc(2025, 3, 31, 21, 59, 59));
}

TEST(BusinessDaysDeadlineTest, RejectsNonPositiveAmount) {
  absl::StatusOr<Deadline> deadline =
      ComputeDeadline(MakeCalendar(), BusinessDays(0), Utc(2025, 6, 2, 8));

  EXPECT_EQ(deadline.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(deadline.status().message()), HasSubstr("policy.amount"));
}

TEST(BusinessDaysDeadlineTest, RejectsInfiniteStart) {
  absl::StatusOr<Deadline> deadline =
      ComputeDeadline(MakeCalendar(), BusinessDays(1), absl::InfiniteFuture());

  EXPECT_EQ(deadline.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(deadline.status().message()), HasSubstr("start"));
}

}  // namespace
}  // namespace doleances::calendar
