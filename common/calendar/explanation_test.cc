#include "common/calendar/explanation.h"

#include "common/calendar/business_calendar.h"
#include "common/calendar/calendar_testing.h"
#include "common/calendar/deadline.h"
#include "common/calendar/deadline_policy.h"

#include <absl/status/statusor.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace doleances::calendar {
namespace {

using ::doleances::calendar::testing::LocalTime;
using ::doleances::calendar::testing::MakeCalendar;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

DeadlinePolicy Policy(DeadlineUnit unit, int amount, ResumeMode mode = ResumeMode::kContinue) {
  DeadlinePolicy policy;
  policy.unit = unit;
  policy.amount = amount;
  policy.on_resume = mode;
  return policy;
}

Explanation Explain(const BusinessCalendar& calendar, const DeadlinePolicy& policy,
                    absl::Time start, const std::vector<Pause>& pauses = {}) {
  absl::StatusOr<Deadline> deadline = ComputeDeadline(calendar, policy, start, pauses);
  EXPECT_TRUE(deadline.ok()) << deadline.status();
  return deadline.ok() ? deadline->explanation : Explanation();
}

TEST(ExplanationTest, ListsSkippedDaysWithTheirReasons) {
  const BusinessCalendar calendar = MakeCalendar();

  Explanation explanation = Explain(calendar, Policy(DeadlineUnit::kBusinessDays, 5),
                                    LocalTime(calendar, 2025, 4, 30, 9));

  EXPECT_THAT(explanation.skipped_days,
              ElementsAre(AllOf(Field(&DayStatus::day, absl::CivilDay(2025, 5, 1)),
                                Field(&DayStatus::reason, NonBusinessReason::kPublicHoliday),
                                Field(&DayStatus::detail, "Fête du Travail")),
                          AllOf(Field(&DayStatus::day, absl::CivilDay(2025, 5, 3)),
                                Field(&DayStatus::reason, NonBusinessReason::kSaturday)),
                          AllOf(Field(&DayStatus::day, absl::CivilDay(2025, 5, 4)),
                                Field(&DayStatus::reason, NonBusinessReason::kSunday)),
                          AllOf(Field(&DayStatus::day, absl::CivilDay(2025, 5, 8)),
                                Field(&DayStatus::detail, "Victoire 1945"))));
}

TEST(ExplanationTest, ListsEachCountedBusinessDayWithItsRank) {
  const BusinessCalendar calendar = MakeCalendar();

  Explanation explanation = Explain(calendar, Policy(DeadlineUnit::kBusinessDays, 5),
                                    LocalTime(calendar, 2025, 4, 30, 9));

  EXPECT_THAT(explanation.counted_days,
              ElementsAre(AllOf(Field(&CountedDay::day, absl::CivilDay(2025, 5, 2)),
                                Field(&CountedDay::ordinal, 1)),
                          Field(&CountedDay::day, absl::CivilDay(2025, 5, 5)),
                          Field(&CountedDay::day, absl::CivilDay(2025, 5, 6)),
                          Field(&CountedDay::day, absl::CivilDay(2025, 5, 7)),
                          AllOf(Field(&CountedDay::day, absl::CivilDay(2025, 5, 9)),
                                Field(&CountedDay::ordinal, 5))));
}

TEST(ExplanationTest, ListsTheBusinessTimeCountedEachDay) {
  const BusinessCalendar calendar = MakeCalendar();

  Explanation explanation = Explain(calendar, Policy(DeadlineUnit::kBusinessHours, 4),
                                    LocalTime(calendar, 2025, 6, 2, 15));

  EXPECT_THAT(explanation.counted_days,
              ElementsAre(AllOf(Field(&CountedDay::day, absl::CivilDay(2025, 6, 2)),
                                Field(&CountedDay::business_time, absl::Hours(2))),
                          AllOf(Field(&CountedDay::day, absl::CivilDay(2025, 6, 3)),
                                Field(&CountedDay::business_time, absl::Hours(2)))));
}

TEST(ExplanationTest, CarriedCalendarDeadlineShowsTheRawDateAndTheDaysPassed) {
  const BusinessCalendar calendar = MakeCalendar();

  // 7 April + 2 months = Saturday 7 June 2025, carried past Whit Monday.
  Explanation explanation =
      Explain(calendar, Policy(DeadlineUnit::kMonths, 2), LocalTime(calendar, 2025, 4, 7, 10));

  EXPECT_EQ(explanation.raw_due_day, absl::CivilDay(2025, 6, 7));
  EXPECT_THAT(explanation.skipped_days,
              ElementsAre(Field(&DayStatus::reason, NonBusinessReason::kSaturday),
                          Field(&DayStatus::reason, NonBusinessReason::kSunday),
                          Field(&DayStatus::detail, "Lundi de Pentecôte")));
}

TEST(ExplanationTest, RestartKeepsOnlyTheDaysCountedAfterTheResume) {
  const BusinessCalendar calendar = MakeCalendar();

  Explanation explanation =
      Explain(calendar, Policy(DeadlineUnit::kBusinessDays, 2, ResumeMode::kRestart),
              LocalTime(calendar, 2025, 6, 2, 10),
              {{LocalTime(calendar, 2025, 6, 4, 10), LocalTime(calendar, 2025, 6, 10, 10)}});

  EXPECT_THAT(explanation.counted_days,
              ElementsAre(Field(&CountedDay::day, absl::CivilDay(2025, 6, 11)),
                          Field(&CountedDay::day, absl::CivilDay(2025, 6, 12))));
}

TEST(ExplanationTest, ToStringReadsAsATimeline) {
  CalendarConfig config;
  config.closed_days = {{absl::CivilDay(2025, 5, 2), "pont"}};
  const BusinessCalendar calendar = MakeCalendar(config);

  Explanation explanation = Explain(calendar, Policy(DeadlineUnit::kBusinessDays, 1),
                                    LocalTime(calendar, 2025, 4, 30, 16));

  EXPECT_EQ(explanation.ToString(),
            "Deadline: 1 business day in Europe/Paris, on resume continue\n"
            "Start: 2025-04-30 16:00:00 CEST\n"
            "  2025-05-01 Thu  skipped: public holiday: Fête du Travail\n"
            "  2025-05-02 Fri  skipped: closed: pont\n"
            "  2025-05-03 Sat  skipped: Saturday\n"
            "  2025-05-04 Sun  skipped: Sunday\n"
            "  2025-05-05 Mon  counted: business day 1\n"
            "Due: 2025-05-05 23:59:59 CEST\n");
}

TEST(ExplanationTest, ToStringOfAPausedClockSaysWhatIsOwed) {
  const BusinessCalendar calendar = MakeCalendar();

  Explanation explanation =
      Explain(calendar, Policy(DeadlineUnit::kBusinessDays, 10),
              LocalTime(calendar, 2025, 6, 2, 10), {{LocalTime(calendar, 2025, 6, 5, 14), {}}});

  EXPECT_THAT(explanation.ToString(),
              HasSubstr("Pause: 2025-06-05 14:00:00 CEST -> (still paused): continue, "
                        "8 business days owed from the day after the resume\n"));
  EXPECT_THAT(explanation.ToString(), HasSubstr("Due: unknown, the clock is paused\n"));
}

TEST(ExplanationTest, ToStringMarksAnIgnoredPause) {
  const BusinessCalendar calendar = MakeCalendar();

  Explanation explanation =
      Explain(calendar, Policy(DeadlineUnit::kBusinessDays, 1), LocalTime(calendar, 2025, 6, 2, 10),
              {{LocalTime(calendar, 2025, 6, 4, 10), LocalTime(calendar, 2025, 6, 5, 10)}});

  EXPECT_THAT(explanation.ToString(), HasSubstr("ignored, the clock had already fallen due"));
}

}  // namespace
}  // namespace doleances::calendar
