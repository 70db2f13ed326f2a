#include "services/mediation/mediation_state_machine.h"

#include "common/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::mediation {
namespace {

using ::doleances::testing::StatusIs;
using ::testing::HasSubstr;

constexpr v1::MediationState kAwaiting = v1::MEDIATION_STATE_AWAITING_ADMISSIBILITY;
constexpr v1::MediationState kInProgress = v1::MEDIATION_STATE_IN_PROGRESS;
constexpr v1::MediationState kClosed = v1::MEDIATION_STATE_CLOSED;

TEST(MediationStateMachineTest, AdmissionMovesToInProgressAndInadmissibilityCloses) {
  EXPECT_EQ(*CheckAction(kAwaiting, Action::kAdmit, "m"), kInProgress);
  EXPECT_EQ(*CheckAction(kAwaiting, Action::kDeclareInadmissible, "m"), kClosed);
}

TEST(MediationStateMachineTest, SessionsAndProposalsNeedAnAdmittedMediation) {
  for (Action action : {Action::kScheduleSession, Action::kChangeSession, Action::kRecordProposal,
                        Action::kRespondToProposal, Action::kExtendDeadline}) {
    EXPECT_THAT(CheckAction(kAwaiting, action, "mediation/1"),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("AWAITING")))
        << ActionName(action);
    EXPECT_EQ(*CheckAction(kInProgress, action, "m"), kInProgress) << ActionName(action);
  }
}

TEST(MediationStateMachineTest, EitherPartyMayWithdrawAtAnyTimeBeforeClosing) {
  EXPECT_EQ(*CheckAction(kAwaiting, Action::kWithdraw, "m"), kClosed);
  EXPECT_EQ(*CheckAction(kInProgress, Action::kWithdraw, "m"), kClosed);
}

TEST(MediationStateMachineTest, NothingHappensToAClosedMediation) {
  for (const ActionRule& rule : ActionRules()) {
    EXPECT_THAT(CheckAction(kClosed, rule.action, "m"),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << ActionName(rule.action);
  }
  EXPECT_FALSE(IsOpen(kClosed));
  EXPECT_TRUE(IsOpen(kInProgress));
}

TEST(MediationStateMachineTest, EveryActionHasExactlyOneRule) {
  for (Action action :
       {Action::kAssign, Action::kAdmit, Action::kDeclareInadmissible, Action::kScheduleSession,
        Action::kChangeSession, Action::kRecordProposal, Action::kRespondToProposal,
        Action::kAddNote, Action::kExtendDeadline, Action::kWithdraw, Action::kClose}) {
    int rules = 0;
    for (const ActionRule& rule : ActionRules()) {
      rules += rule.action == action;
    }
    EXPECT_EQ(rules, 1) << ActionName(action);
  }
}

}  // namespace
}  // namespace doleances::mediation
