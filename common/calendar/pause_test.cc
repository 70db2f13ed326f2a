#include "common/calendar/business_calendar.h"
#include "common/calendar/calendar_testing.h"
#include "common/calendar/deadline.h"
#include "common/calendar/deadline_policy.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace doleances::calendar {
namespace {

using ::doleances::calendar::testing::LocalTime;
using ::doleances::calendar::testing::MakeCalendar;
using ::testing::HasSubstr;

DeadlinePolicy Policy(DeadlineUnit unit, int amount, ResumeMode mode, bool carry = true) {
  DeadlinePolicy policy;
  policy.unit = unit;
  policy.amount = amount;
  policy.on_resume = mode;
  policy.carry_to_next_business_day = carry;
  return policy;
}

class PauseTest : public ::testing::Test {
 protected:
  absl::Time Paris(int year, int month, int day, int hour, int minute = 0, int second = 0) const {
    return LocalTime(calendar_, year, month, day, hour, minute, second);
  }

  Deadline Compute(const DeadlinePolicy& policy, absl::Time start,
                   const std::vector<Pause>& pauses) const {
    absl::StatusOr<Deadline> deadline = ComputeDeadline(calendar_, policy, start, pauses);
    EXPECT_TRUE(deadline.ok()) << deadline.status();
    return deadline.ok() ? *deadline : Deadline();
  }

  void ExpectInvalidArgumentNaming(const std::vector<Pause>& pauses,
                                   const std::string& parameter) const {
    absl::StatusOr<Deadline> deadline =
        ComputeDeadline(calendar_, Policy(DeadlineUnit::kBusinessDays, 10, ResumeMode::kContinue),
                        Paris(2025, 6, 2, 10), pauses);
    EXPECT_EQ(deadline.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(deadline.status().message()), HasSubstr(parameter));
  }

  const BusinessCalendar calendar_ = MakeCalendar();
};

// Business days. Start Monday 2 June 2025 10:00, 10 business days; without a
// pause they would end on Monday 16 June (Whit Monday 9 June is a holiday).

TEST_F(PauseTest, BusinessDaysContinueOwesTheDaysNotEndedBeforeThePause) {
  // Tuesday 3 and Wednesday 4 ended before the pause on Thursday 5; 8 days
  // are owed from Wednesday 11: 11, 12, 13, 16, 17, 18, 19, 20.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessDays, 10, ResumeMode::kContinue), Paris(2025, 6, 2, 10),
              {{Paris(2025, 6, 5, 14), Paris(2025, 6, 10, 9)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 20, 23, 59, 59));
  ASSERT_EQ(deadline.explanation.pauses.size(), 1u);
  EXPECT_EQ(deadline.explanation.pauses[0].days_owed, 8);
}

TEST_F(PauseTest, BusinessDaysRestartCountsTheFullAmountAfterTheResume) {
  // Ten business days from Wednesday 11 June end on Tuesday 24 June.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessDays, 10, ResumeMode::kRestart), Paris(2025, 6, 2, 10),
              {{Paris(2025, 6, 5, 14), Paris(2025, 6, 10, 9)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 24, 23, 59, 59));
}

TEST_F(PauseTest, BusinessDaysContinueAcrossTwoPauses) {
  // Tuesday 3 counts before the first pause; Friday 6 and Tuesday 10 before the
  // second; 7 days are owed from Monday 16: due Tuesday 24 June.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessDays, 10, ResumeMode::kContinue), Paris(2025, 6, 2, 10),
              {{Paris(2025, 6, 4, 10), Paris(2025, 6, 5, 10)},
               {Paris(2025, 6, 11, 10), Paris(2025, 6, 13, 10)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 24, 23, 59, 59));
}

TEST_F(PauseTest, OpenPauseLeavesTheDueDateUnknown) {
  Deadline deadline = Compute(Policy(DeadlineUnit::kBusinessDays, 10, ResumeMode::kContinue),
                              Paris(2025, 6, 2, 10), {{Paris(2025, 6, 5, 14), std::nullopt}});

  EXPECT_TRUE(deadline.paused());
  EXPECT_FALSE(deadline.explanation.due.has_value());
  ASSERT_EQ(deadline.explanation.pauses.size(), 1u);
  EXPECT_EQ(deadline.explanation.pauses[0].days_owed, 8);
}

TEST_F(PauseTest, PauseAfterTheDueDateIsIgnored) {
  // One business day from Monday 2 June ends on Tuesday 3.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessDays, 1, ResumeMode::kRestart), Paris(2025, 6, 2, 10),
              {{Paris(2025, 6, 4, 10), Paris(2025, 6, 5, 10)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 3, 23, 59, 59));
  ASSERT_EQ(deadline.explanation.pauses.size(), 1u);
  EXPECT_TRUE(deadline.explanation.pauses[0].ignored);
}

TEST_F(PauseTest, PauseDuringTheDueDayStillApplies) {
  // The due day had not ended: one day is owed from Thursday 5 June.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessDays, 1, ResumeMode::kContinue), Paris(2025, 6, 2, 10),
              {{Paris(2025, 6, 3, 10), Paris(2025, 6, 4, 10)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 5, 23, 59, 59));
}

// Business hours. Start Monday 2 June 09:00, 16 business hours (09:00-17:00).

TEST_F(PauseTest, BusinessHoursContinueOwesTheHoursNotCountedBeforeThePause) {
  // 4 hours counted on Monday; 12 owed from Wednesday 10:00: 7 on Wednesday,
  // 5 on Thursday.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessHours, 16, ResumeMode::kContinue), Paris(2025, 6, 2, 9),
              {{Paris(2025, 6, 2, 13), Paris(2025, 6, 4, 10)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 5, 14));
  ASSERT_EQ(deadline.explanation.pauses.size(), 1u);
  EXPECT_EQ(deadline.explanation.pauses[0].time_owed, absl::Hours(12));
}

TEST_F(PauseTest, BusinessHoursRestartCountsTheFullAmountFromTheResumeInstant) {
  // 16 hours from Wednesday 10:00: 7 on Wednesday, 8 on Thursday, 1 on Friday.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessHours, 16, ResumeMode::kRestart), Paris(2025, 6, 2, 9),
              {{Paris(2025, 6, 2, 13), Paris(2025, 6, 4, 10)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 6, 10));
}

TEST_F(PauseTest, BusinessHoursPauseAtTheDueInstantIsIgnored) {
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kBusinessHours, 3, ResumeMode::kRestart), Paris(2025, 6, 2, 10),
              {{Paris(2025, 6, 2, 13), Paris(2025, 6, 3, 9)}});

  EXPECT_EQ(deadline.due, Paris(2025, 6, 2, 13));
}

// Calendar units.

TEST_F(PauseTest, CalendarContinueMovesTheDueDateByThePausedDates) {
  // 15 January + 1 month = 15 February; paused 20 to 25 January: 20 February.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kMonths, 1, ResumeMode::kContinue, /*carry=*/false),
              Paris(2025, 1, 15, 10), {{Paris(2025, 1, 20, 10), Paris(2025, 1, 25, 16)}});

  EXPECT_EQ(deadline.due, Paris(2025, 2, 20, 23, 59, 59));
  EXPECT_EQ(deadline.explanation.pauses[0].days_shifted, 5);
}

TEST_F(PauseTest, CalendarContinueAppliesTheCarryOnceToTheShiftedDate) {
  // 3 March + 2 months = Saturday 3 May; paused Monday 10 to Wednesday 12
  // March, it becomes Monday 5 May, a business day. Carrying before shifting
  // would have given Wednesday 7 May.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kMonths, 2, ResumeMode::kContinue, /*carry=*/true),
              Paris(2025, 3, 3, 10), {{Paris(2025, 3, 10, 10), Paris(2025, 3, 12, 9)}});

  EXPECT_EQ(deadline.due, Paris(2025, 5, 5, 23, 59, 59));
}

TEST_F(PauseTest, CalendarRestartRecomputesFromTheResumeDate) {
  // Resumed on 31 January: 1 month later is 28 February.
  Deadline deadline =
      Compute(Policy(DeadlineUnit::kMonths, 1, ResumeMode::kRestart, /*carry=*/false),
              Paris(2025, 1, 15, 10), {{Paris(2025, 1, 20, 10), Paris(2025, 1, 31, 11)}});

  EXPECT_EQ(deadline.due, Paris(2025, 2, 28, 23, 59, 59));
}

TEST_F(PauseTest, CalendarOpenPauseLeavesTheDueDateUnknown) {
  Deadline deadline = Compute(Policy(DeadlineUnit::kCalendarDays, 30, ResumeMode::kContinue),
                              Paris(2025, 1, 15, 10), {{Paris(2025, 1, 20, 10), std::nullopt}});

  EXPECT_TRUE(deadline.paused());
}

// Validation.

TEST_F(PauseTest, RejectsResumeBeforeThePause) {
  ExpectInvalidArgumentNaming({{Paris(2025, 6, 5, 14), Paris(2025, 6, 4, 9)}}, "pauses[0].resume");
}

TEST_F(PauseTest, RejectsOverlappingPauses) {
  ExpectInvalidArgumentNaming({{Paris(2025, 6, 3, 10), Paris(2025, 6, 6, 10)},
                               {Paris(2025, 6, 5, 10), Paris(2025, 6, 9, 10)}},
                              "pauses[1]");
}

TEST_F(PauseTest, RejectsAPauseBeforeTheStart) {
  ExpectInvalidArgumentNaming({{Paris(2025, 6, 1, 10), Paris(2025, 6, 3, 10)}}, "pauses[0].start");
}

TEST_F(PauseTest, RejectsAnOpenPauseThatIsNotTheLast) {
  ExpectInvalidArgumentNaming(
      {{Paris(2025, 6, 3, 10), std::nullopt}, {Paris(2025, 6, 5, 10), Paris(2025, 6, 6, 10)}},
      "pauses[0]");
}

}  // namespace
}  // namespace doleances::calendar
