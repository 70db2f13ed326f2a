// What transitions and timers do to a case's clocks, on the French calendar of 2024.
#include "services/workflow/clock_engine.h"

#include "common/calendar/calendar_testing.h"
#include "common/util/proto_time.h"

#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using calendar::testing::LocalTime;
using calendar::testing::MakeCalendar;

class ClockEngineTest : public ::testing::Test {
 protected:
  ClockEngine Engine(int kind) {
    return ClockEngine(calendar_, [this, kind](type::v1::ClockKind clock) {
      return ResolvePolicy(policies_, clock, {kind, "voirie", type::v1::PRIORITY_NORMAL});
    });
  }

  void AddPolicy(type::v1::ClockKind clock, int amount, type::v1::DeadlineUnit unit,
                 int warning_percent = 0,
                 type::v1::ResumeMode resume = type::v1::RESUME_MODE_CONTINUE) {
    v1::DeadlinePolicy& policy = policies_.emplace_back();
    policy.set_policy_id("policy-" + std::to_string(policies_.size()));
    policy.set_clock(clock);
    policy.mutable_spec()->set_amount(amount);
    policy.mutable_spec()->set_unit(unit);
    policy.mutable_spec()->set_resume_mode(resume);
    policy.set_warning_percent(warning_percent);
  }

  absl::Time Paris(int month, int day, int hour, int minute = 0) {
    return LocalTime(calendar_, 2024, month, day, hour, minute);
  }

  const ClockRecord& Clock(type::v1::ClockKind kind) {
    for (const ClockRecord& clock : clocks_) {
      if (clock.clock == kind) {
        return clock;
      }
    }
    ADD_FAILURE() << "no clock " << type::v1::ClockKind_Name(kind);
    static const ClockRecord kNone;
    return kNone;
  }

  std::vector<events::v1::Event> Apply(ClockEffect effect, int kind, absl::Time now) {
    return Engine(kind).Apply(effect, context_, now, clocks_).value();
  }

  std::vector<events::v1::Event> Fire(int kind, absl::Time now) {
    return Engine(kind).FireDue(context_, now, clocks_).value();
  }

  const calendar::BusinessCalendar calendar_ = MakeCalendar();
  std::vector<v1::DeadlinePolicy> policies_;
  // Received on Tuesday 30 April 2024, before 1 May, 8 May and Ascension (9 May).
  ClockCaseContext context_{"case-1", "queue-1", "department-1",
                            LocalTime(calendar_, 2024, 4, 30, 10)};
  std::vector<ClockRecord> clocks_;
};

constexpr int kRecours = type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX;
constexpr int kSignalement = type::v1::COMPLAINT_KIND_SIGNALEMENT;

TEST_F(ClockEngineTest, ARecoursStartsItsLegalClocksFromReceipt) {
  const std::vector<events::v1::Event> events =
      Apply(ClockEffect::kStart, kRecours, context_.receive_time + absl::Minutes(1));

  ASSERT_EQ(events.size(), 2u);  // No internal SLA without a policy.
  EXPECT_EQ(events[0].clock_started().clock(), type::v1::CLOCK_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(events[1].clock_started().clock(), type::v1::CLOCK_KIND_STATUTORY_REPLY);
  // Five business days after 30 April: 2, 3, 6, 7 and 10 May (1, 8 and 9 May are holidays).
  EXPECT_EQ(*Clock(type::v1::CLOCK_KIND_ACKNOWLEDGEMENT).due_time,
            Paris(5, 10, 23, 59) + absl::Seconds(59));
  // Two months of silence: 30 June, a Sunday, not carried (CRPA L231-4).
  EXPECT_EQ(*Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).due_time,
            Paris(6, 30, 23, 59) + absl::Seconds(59));
  EXPECT_EQ(util::FromTimestamp(events[1].clock_started().due_time()),
            *Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).due_time);
  EXPECT_TRUE(Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).dirty);
}

TEST_F(ClockEngineTest, ASignalementHasNoStatutoryClockButRunsItsPolicies) {
  AddPolicy(type::v1::CLOCK_KIND_RESOLUTION, 10, type::v1::DEADLINE_UNIT_BUSINESS_DAYS, 80);
  Apply(ClockEffect::kStart, kSignalement, context_.receive_time);

  ASSERT_EQ(clocks_.size(), 2u);
  EXPECT_EQ(clocks_[1].clock, type::v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(clocks_[1].policy_id, "policy-1");
  ASSERT_TRUE(clocks_[1].warning_time.has_value());
  EXPECT_LT(*clocks_[1].warning_time, *clocks_[1].due_time);
  EXPECT_GT(*clocks_[1].warning_time, context_.receive_time);
}

TEST_F(ClockEngineTest, AwaitingTheCitizenPausesAndAContinuingResumeShiftsTheDueDate) {
  Apply(ClockEffect::kStart, kRecours, context_.receive_time);
  // A request for information on 13 May is the first substantive answer: acknowledgement met.
  const std::vector<events::v1::Event> paused =
      Apply(ClockEffect::kPauseAwaitingCitizen, kRecours, Paris(5, 13, 9));
  ASSERT_EQ(paused.size(), 2u);
  EXPECT_EQ(paused[0].clock_stopped().state(), type::v1::CLOCK_STATE_MISSED);  // Due 10 May.
  EXPECT_EQ(paused[1].clock_paused().reason(), type::v1::PAUSE_REASON_AWAITING_CITIZEN);
  EXPECT_TRUE(Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).paused());
  EXPECT_FALSE(Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).due_time.has_value());

  // Answer on 23 May: ten calendar dates later, so the silence ends ten days later.
  const std::vector<events::v1::Event> resumed =
      Apply(ClockEffect::kResumeFromCitizen, kRecours, Paris(5, 23, 15));
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(util::FromTimestamp(resumed[0].clock_resumed().due_time()),
            Paris(7, 10, 23, 59) + absl::Seconds(59));
  EXPECT_EQ(resumed[0].clock_resumed().paused_duration().seconds(),
            absl::ToInt64Seconds(Paris(5, 23, 15) - Paris(5, 13, 9)));
}

TEST_F(ClockEngineTest, ARestartingResumeCountsTheFullAmountAgain) {
  AddPolicy(type::v1::CLOCK_KIND_RESOLUTION, 3, type::v1::DEADLINE_UNIT_BUSINESS_DAYS, 0,
            type::v1::RESUME_MODE_RESTART);
  Apply(ClockEffect::kStart, kSignalement, context_.receive_time);
  Apply(ClockEffect::kPauseAwaitingCitizen, kSignalement, Paris(5, 2, 9));
  const std::vector<events::v1::Event> resumed =
      Apply(ClockEffect::kResumeFromCitizen, kSignalement, Paris(5, 14, 11));

  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_TRUE(resumed[0].clock_started().restart());
  EXPECT_EQ(util::FromTimestamp(resumed[0].clock_started().start_time()), Paris(5, 14, 11));
  // 15, 16, 17 May.
  EXPECT_EQ(*Clock(type::v1::CLOCK_KIND_RESOLUTION).due_time,
            Paris(5, 17, 23, 59) + absl::Seconds(59));
}

TEST_F(ClockEngineTest, TimersFireTheWarningThenTheBreachEachOnce) {
  AddPolicy(type::v1::CLOCK_KIND_RESOLUTION, 2, type::v1::DEADLINE_UNIT_BUSINESS_DAYS, 50);
  Apply(ClockEffect::kStart, kSignalement, context_.receive_time);
  const absl::Time warning = *Clock(type::v1::CLOCK_KIND_RESOLUTION).warning_time;
  const absl::Time due = *Clock(type::v1::CLOCK_KIND_RESOLUTION).due_time;

  EXPECT_TRUE(Fire(kSignalement, warning - absl::Seconds(1)).empty());
  const std::vector<events::v1::Event> warned = Fire(kSignalement, warning);
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].deadline_warning().queue_id(), "queue-1");
  EXPECT_TRUE(Fire(kSignalement, due - absl::Seconds(1)).empty());
  const std::vector<events::v1::Event> breached = Fire(kSignalement, due + absl::Hours(1));
  ASSERT_EQ(breached.size(), 1u);
  EXPECT_EQ(breached[0].deadline_breached().clock(), type::v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(Clock(type::v1::CLOCK_KIND_RESOLUTION).state, type::v1::CLOCK_STATE_BREACHED);
  EXPECT_TRUE(Fire(kSignalement, due + absl::Hours(48)).empty());
  EXPECT_FALSE(Clock(type::v1::CLOCK_KIND_RESOLUTION).NextFireTime().has_value());
}

TEST_F(ClockEngineTest, ADeadlineMissedWhileDownBreachesWithoutAStaleWarning) {
  AddPolicy(type::v1::CLOCK_KIND_RESOLUTION, 2, type::v1::DEADLINE_UNIT_BUSINESS_DAYS, 80);
  Apply(ClockEffect::kStart, kSignalement, context_.receive_time);
  const std::vector<events::v1::Event> fired = Fire(kSignalement, Paris(6, 1, 12));
  ASSERT_EQ(fired.size(), 2u);  // Acknowledgement and resolution, no warning.
  EXPECT_TRUE(fired[0].has_deadline_breached());
  EXPECT_TRUE(fired[1].has_deadline_breached());
}

TEST_F(ClockEngineTest, StatutorySilenceIsAnImplicitRejectionThatOpensTheAppealWindow) {
  Apply(ClockEffect::kStart, kRecours, context_.receive_time);
  const std::vector<events::v1::Event> fired = Fire(kRecours, Paris(7, 1, 8));

  // Acknowledgement breached, silence expired, implicit rejection, appeal window started.
  ASSERT_EQ(fired.size(), 4u);
  EXPECT_TRUE(fired[0].has_deadline_breached());
  EXPECT_EQ(fired[1].clock_stopped().state(), type::v1::CLOCK_STATE_EXPIRED);
  EXPECT_EQ(fired[2].implicit_decision_reached().decision(),
            events::v1::IMPLICIT_DECISION_REJECTION);
  EXPECT_EQ(fired[3].clock_started().clock(), type::v1::CLOCK_KIND_APPEAL_WINDOW);
  // Two months from 30 June: 30 August 2024, a Friday.
  EXPECT_EQ(*Clock(type::v1::CLOCK_KIND_APPEAL_WINDOW).due_time,
            Paris(8, 30, 23, 59) + absl::Seconds(59));
  EXPECT_TRUE(Fire(kRecours, Paris(7, 2, 8)).empty());
}

TEST_F(ClockEngineTest, ADecisionStopsTheClocksAndOpensTheAppealWindow) {
  AddPolicy(type::v1::CLOCK_KIND_RESOLUTION, 2, type::v1::DEADLINE_UNIT_BUSINESS_DAYS);
  Apply(ClockEffect::kStart, kRecours, context_.receive_time);
  Fire(kRecours, Paris(5, 6, 8));  // Resolution breached on 3 May.
  const std::vector<events::v1::Event> decided =
      Apply(ClockEffect::kStopForDecision, kRecours, Paris(5, 6, 10));

  EXPECT_EQ(Clock(type::v1::CLOCK_KIND_ACKNOWLEDGEMENT).state, type::v1::CLOCK_STATE_MET);
  EXPECT_EQ(Clock(type::v1::CLOCK_KIND_RESOLUTION).state, type::v1::CLOCK_STATE_MISSED);
  EXPECT_EQ(Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).state, type::v1::CLOCK_STATE_MET);
  EXPECT_TRUE(Clock(type::v1::CLOCK_KIND_APPEAL_WINDOW).running());
  ASSERT_FALSE(decided.empty());
  EXPECT_EQ(decided.back().clock_started().clock(), type::v1::CLOCK_KIND_APPEAL_WINDOW);
}

TEST_F(ClockEngineTest, AWithdrawalCancelsEveryClock) {
  Apply(ClockEffect::kStart, kRecours, context_.receive_time);
  const std::vector<events::v1::Event> cancelled =
      Apply(ClockEffect::kCancel, kRecours, Paris(5, 3, 10));
  ASSERT_EQ(cancelled.size(), 2u);
  for (const ClockRecord& clock : clocks_) {
    EXPECT_EQ(clock.state, type::v1::CLOCK_STATE_CANCELLED);
    EXPECT_FALSE(clock.NextFireTime().has_value());
  }
}

TEST_F(ClockEngineTest, MediationPausesTheLegalClocksAndResumesThem) {
  Apply(ClockEffect::kStart, kRecours, context_.receive_time);
  Apply(ClockEffect::kPauseInMediation, kRecours, Paris(5, 2, 9));
  EXPECT_EQ(Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).pauses.back().reason,
            type::v1::PAUSE_REASON_IN_MEDIATION);
  EXPECT_TRUE(Clock(type::v1::CLOCK_KIND_ACKNOWLEDGEMENT).running());
  // A resume for the citizen leaves a mediation pause alone.
  EXPECT_TRUE(Apply(ClockEffect::kResumeFromCitizen, kRecours, Paris(5, 3, 9)).empty());
  EXPECT_EQ(Apply(ClockEffect::kResumeFromMediation, kRecours, Paris(5, 3, 9)).size(), 1u);
  EXPECT_EQ(*Clock(type::v1::CLOCK_KIND_STATUTORY_REPLY).due_time,
            Paris(7, 1, 23, 59) + absl::Seconds(59));
}

}  // namespace
}  // namespace doleances::workflow
