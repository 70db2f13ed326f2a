#include "services/workflow/case_state_machine.h"

#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"

#include "doleances/type/v1/complaint.pb.h"
#include "doleances/type/v1/errors.pb.h"
#include "doleances/type/v1/mediation.pb.h"

#include <absl/status/status.h>
#include <absl/strings/cord.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace doleances::workflow {
namespace {

using ::doleances::common::FieldViolation;
using ::doleances::common::FieldViolationsOf;
using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using type::v1::CaseState;

constexpr Trigger kAllTriggers[] = {Trigger::kAssignee, Trigger::kSupervisor, Trigger::kSystem,
                                    Trigger::kCitizen, Trigger::kMediationOutcome};

// Every value of the generated enum, CASE_STATE_UNSPECIFIED included.
std::vector<CaseState> AllCaseStates() {
  std::vector<CaseState> states;
  const google::protobuf::EnumDescriptor* descriptor = type::v1::CaseState_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    states.push_back(static_cast<CaseState>(descriptor->value(i)->number()));
  }
  return states;
}

std::vector<CaseState> NonFinalStates() {
  std::vector<CaseState> states;
  for (CaseState state : AllCaseStates()) {
    if (state != type::v1::CASE_STATE_UNSPECIFIED && !IsFinal(state)) {
      states.push_back(state);
    }
  }
  return states;
}

bool HasTrigger(const TransitionRule& rule, Trigger trigger) {
  return std::find(rule.triggers.begin(), rule.triggers.end(), trigger) != rule.triggers.end();
}

std::string Describe(CaseState from, CaseState to) {
  return absl::StrCat(type::v1::CaseState_Name(from), " -> ", type::v1::CaseState_Name(to));
}

std::optional<type::v1::PreconditionFailure> PreconditionFailureOf(const absl::Status& status) {
  const auto payload =
      status.GetPayload("type.googleapis.com/doleances.type.v1.PreconditionFailure");
  type::v1::PreconditionFailure failure;
  if (!payload.has_value() || !failure.ParseFromString(std::string(*payload))) {
    return std::nullopt;
  }
  return failure;
}

TEST(CaseStateMachineTest, EveryRuleIsAcceptedForEachOfItsTriggers) {
  for (const TransitionRule& rule : TransitionRules()) {
    for (Trigger trigger : rule.triggers) {
      SCOPED_TRACE(absl::StrCat(Describe(rule.from, rule.to), " by ", TriggerName(trigger)));
      EXPECT_THAT(CheckTransition(rule.from, rule.to, trigger, rule.requires_motive,
                                  rule.requires_public_message),
                  IsOk());
      EXPECT_THAT(CheckTransition(rule.from, rule.to, trigger, /*has_motive=*/true,
                                  /*has_public_message=*/true),
                  IsOk());
    }
  }
}

TEST(CaseStateMachineTest, EveryPairOutsideTheTableIsRefusedForEveryTrigger) {
  int allowed_pairs = 0;
  int refused_pairs = 0;
  for (CaseState from : AllCaseStates()) {
    for (CaseState to : AllCaseStates()) {
      if (FindTransitionRule(from, to) != nullptr) {
        ++allowed_pairs;
        continue;
      }
      ++refused_pairs;
      for (Trigger trigger : kAllTriggers) {
        SCOPED_TRACE(absl::StrCat(Describe(from, to), " by ", TriggerName(trigger)));
        EXPECT_THAT(
            CheckTransition(from, to, trigger, /*has_motive=*/true, /*has_public_message=*/true),
            StatusIs(absl::StatusCode::kFailedPrecondition,
                     AllOf(HasSubstr(absl::StrCat("transition ", Describe(from, to))),
                           HasSubstr("is not allowed"))));
      }
    }
  }
  const int state_count = static_cast<int>(AllCaseStates().size());
  EXPECT_EQ(allowed_pairs, static_cast<int>(TransitionRules().size()));
  EXPECT_EQ(allowed_pairs + refused_pairs, state_count * state_count);
}

TEST(CaseStateMachineTest, RefusalCarriesTransitionNotAllowedDetail) {
  const absl::Status status =
      CheckTransition(type::v1::CASE_STATE_RESPONDED, type::v1::CASE_STATE_ASSIGNED,
                      Trigger::kSupervisor, false, false, "case/0b6f2d1a");

  ASSERT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  const std::optional<type::v1::PreconditionFailure> failure = PreconditionFailureOf(status);
  ASSERT_TRUE(failure.has_value());
  ASSERT_EQ(failure->violations_size(), 1);
  EXPECT_EQ(failure->violations(0).type(), "TRANSITION_NOT_ALLOWED");
  EXPECT_EQ(failure->violations(0).subject(), "case/0b6f2d1a");
  EXPECT_EQ(failure->violations(0).description(), status.message());
}

TEST(CaseStateMachineTest, EveryTriggerOutsideARuleIsRefused) {
  for (const TransitionRule& rule : TransitionRules()) {
    for (Trigger trigger : kAllTriggers) {
      if (HasTrigger(rule, trigger)) {
        continue;
      }
      SCOPED_TRACE(absl::StrCat(Describe(rule.from, rule.to), " by ", TriggerName(trigger)));
      EXPECT_THAT(CheckTransition(rule.from, rule.to, trigger, true, true),
                  StatusIs(absl::StatusCode::kFailedPrecondition,
                           HasSubstr(absl::StrCat("for ", TriggerName(trigger)))));
    }
  }
}

TEST(CaseStateMachineTest, AgentCannotTakeACaseOutOfMediation) {
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_IN_MEDIATION, type::v1::CASE_STATE_IN_PROGRESS,
                              Trigger::kAssignee, false, false),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("only mediation_outcome")));
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_IN_MEDIATION, type::v1::CASE_STATE_IN_PROGRESS,
                              Trigger::kMediationOutcome, false, false),
              IsOk());
}

TEST(CaseStateMachineTest, AgentCannotWithdrawForTheCitizen) {
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_WITHDRAWN,
                              Trigger::kAssignee, false, false),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CaseStateMachineTest, RejectWithoutMotiveIsInvalidArgumentNamingMotive) {
  const absl::Status status =
      CheckTransition(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_REJECTED,
                      Trigger::kAssignee, /*has_motive=*/false, /*has_public_message=*/true);

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("motive")));
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Field(&FieldViolation::field, "motive")));
}

TEST(CaseStateMachineTest, AwaitingCitizenWithoutPublicMessageIsInvalidArgument) {
  const absl::Status status =
      CheckTransition(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_AWAITING_CITIZEN,
                      Trigger::kAssignee, /*has_motive=*/true, /*has_public_message=*/false);

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("public_message")));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Field(&FieldViolation::field, "public_message")));
}

TEST(CaseStateMachineTest, EveryMissingRequirementIsInvalidArgument) {
  for (const TransitionRule& rule : TransitionRules()) {
    SCOPED_TRACE(Describe(rule.from, rule.to));
    const Trigger trigger = rule.triggers.front();
    if (rule.requires_motive) {
      EXPECT_THAT(FieldViolationsOf(CheckTransition(rule.from, rule.to, trigger, false, true)),
                  ElementsAre(Field(&FieldViolation::field, "motive")));
    }
    if (rule.requires_public_message) {
      EXPECT_THAT(FieldViolationsOf(CheckTransition(rule.from, rule.to, trigger, true, false)),
                  ElementsAre(Field(&FieldViolation::field, "public_message")));
    }
  }
}

TEST(CaseStateMachineTest, RequirementsFollowTheContract) {
  for (const TransitionRule& rule : TransitionRules()) {
    SCOPED_TRACE(Describe(rule.from, rule.to));
    // TransitionCaseRequest.motive: required to move to REJECTED or REOPENED; EscalateCase and
    // TransferCase require one too.
    const bool needs_motive =
        rule.to == type::v1::CASE_STATE_REJECTED || rule.to == type::v1::CASE_STATE_REOPENED ||
        rule.to == type::v1::CASE_STATE_ESCALATED || rule.to == type::v1::CASE_STATE_TRANSFERRED;
    EXPECT_EQ(rule.requires_motive, needs_motive);
    // TransitionCaseRequest.public_message: required to move to AWAITING_CITIZEN; a response is
    // itself a public message.
    const bool needs_message = rule.to == type::v1::CASE_STATE_AWAITING_CITIZEN ||
                               rule.to == type::v1::CASE_STATE_RESPONDED;
    EXPECT_EQ(rule.requires_public_message, needs_message);
  }
}

TEST(CaseStateMachineTest, FinalStatesAreExactlyClosedRejectedWithdrawnTransferred) {
  std::vector<CaseState> finals;
  for (CaseState state : AllCaseStates()) {
    if (IsFinal(state)) {
      finals.push_back(state);
    }
  }
  EXPECT_THAT(finals, UnorderedElementsAre(
                          type::v1::CASE_STATE_CLOSED, type::v1::CASE_STATE_REJECTED,
                          type::v1::CASE_STATE_WITHDRAWN, type::v1::CASE_STATE_TRANSFERRED));
}

TEST(CaseStateMachineTest, FinalStatesHaveNoWayOutButReopening) {
  for (const TransitionRule& rule : TransitionRules()) {
    if (IsFinal(rule.from)) {
      SCOPED_TRACE(Describe(rule.from, rule.to));
      EXPECT_EQ(rule.to, type::v1::CASE_STATE_REOPENED);
    }
  }
  for (Trigger trigger : kAllTriggers) {
    EXPECT_THAT(NextStates(type::v1::CASE_STATE_WITHDRAWN, trigger), IsEmpty());
    EXPECT_THAT(NextStates(type::v1::CASE_STATE_TRANSFERRED, trigger), IsEmpty());
  }
  EXPECT_THAT(NextStates(type::v1::CASE_STATE_CLOSED, Trigger::kAssignee),
              ElementsAre(type::v1::CASE_STATE_REOPENED));
  EXPECT_THAT(NextStates(type::v1::CASE_STATE_REJECTED, Trigger::kSupervisor),
              ElementsAre(type::v1::CASE_STATE_REOPENED));
}

TEST(CaseStateMachineTest, TableIsWellFormed) {
  std::set<std::pair<CaseState, CaseState>> pairs;
  for (const TransitionRule& rule : TransitionRules()) {
    SCOPED_TRACE(Describe(rule.from, rule.to));
    EXPECT_NE(rule.from, type::v1::CASE_STATE_UNSPECIFIED);
    EXPECT_NE(rule.to, type::v1::CASE_STATE_UNSPECIFIED);
    EXPECT_TRUE(type::v1::CaseState_IsValid(rule.from));
    EXPECT_TRUE(type::v1::CaseState_IsValid(rule.to));
    EXPECT_NE(rule.from, rule.to);
    EXPECT_TRUE(pairs.insert({rule.from, rule.to}).second) << "duplicate pair";
    EXPECT_THAT(rule.triggers, Not(IsEmpty()));
    EXPECT_EQ(std::set<Trigger>(rule.triggers.begin(), rule.triggers.end()).size(),
              rule.triggers.size())
        << "duplicate trigger";
  }
  EXPECT_FALSE(IsFinal(type::v1::CASE_STATE_UNSPECIFIED));
  for (Trigger trigger : kAllTriggers) {
    EXPECT_THAT(NextStates(type::v1::CASE_STATE_UNSPECIFIED, trigger), IsEmpty());
  }
}

TEST(CaseStateMachineTest, StandardFlowIsAllowed) {
  struct Step {
    CaseState from;
    CaseState to;
    Trigger trigger;
    ClockEffect clock_effect;
  };
  const Step flow[] = {
      {type::v1::CASE_STATE_RECEIVED, type::v1::CASE_STATE_ROUTED, Trigger::kSystem,
       ClockEffect::kStart},
      {type::v1::CASE_STATE_ROUTED, type::v1::CASE_STATE_ASSIGNED, Trigger::kAssignee,
       ClockEffect::kNone},
      {type::v1::CASE_STATE_ASSIGNED, type::v1::CASE_STATE_IN_PROGRESS, Trigger::kAssignee,
       ClockEffect::kNone},
      {type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_AWAITING_CITIZEN, Trigger::kAssignee,
       ClockEffect::kPauseAwaitingCitizen},
      {type::v1::CASE_STATE_AWAITING_CITIZEN, type::v1::CASE_STATE_IN_PROGRESS, Trigger::kCitizen,
       ClockEffect::kResumeFromCitizen},
      {type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_RESPONDED, Trigger::kAssignee,
       ClockEffect::kStopForDecision},
      {type::v1::CASE_STATE_RESPONDED, type::v1::CASE_STATE_CLOSED, Trigger::kSystem,
       ClockEffect::kStop},
  };
  for (const Step& step : flow) {
    SCOPED_TRACE(Describe(step.from, step.to));
    EXPECT_THAT(CheckTransition(step.from, step.to, step.trigger, true, true), IsOk());
    const TransitionRule* rule = FindTransitionRule(step.from, step.to);
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->clock_effect, step.clock_effect);
  }
}

TEST(CaseStateMachineTest, EscalationMediationAndReopeningAreAllowed) {
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_ESCALATED,
                              Trigger::kSystem, true, false),
              IsOk());
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_IN_MEDIATION,
                              Trigger::kSupervisor, false, false),
              IsOk());
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_RESPONDED, type::v1::CASE_STATE_REOPENED,
                              Trigger::kAssignee, true, false),
              IsOk());
  EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_CLOSED, type::v1::CASE_STATE_REOPENED,
                              Trigger::kSupervisor, true, false),
              IsOk());
  EXPECT_THAT(NextStates(type::v1::CASE_STATE_REOPENED, Trigger::kAssignee),
              Contains(type::v1::CASE_STATE_IN_PROGRESS));
}

TEST(CaseStateMachineTest, CitizenCanWithdrawFromEveryNonFinalState) {
  for (CaseState state : NonFinalStates()) {
    SCOPED_TRACE(type::v1::CaseState_Name(state));
    const TransitionRule* rule = FindTransitionRule(state, type::v1::CASE_STATE_WITHDRAWN);
    ASSERT_NE(rule, nullptr);
    EXPECT_THAT(rule->triggers, ElementsAre(Trigger::kCitizen));
    EXPECT_EQ(rule->clock_effect, ClockEffect::kCancel);
  }
}

TEST(CaseStateMachineTest, TransferHappensOnlyBeforeADecision) {
  int transfers = 0;
  for (const TransitionRule& rule : TransitionRules()) {
    if (rule.to != type::v1::CASE_STATE_TRANSFERRED) {
      continue;
    }
    ++transfers;
    SCOPED_TRACE(Describe(rule.from, rule.to));
    EXPECT_FALSE(IsFinal(rule.from));
    EXPECT_NE(rule.from, type::v1::CASE_STATE_RESPONDED);
    EXPECT_NE(rule.from, type::v1::CASE_STATE_IN_MEDIATION);
    EXPECT_FALSE(HasTrigger(rule, Trigger::kCitizen));
    EXPECT_EQ(rule.clock_effect, ClockEffect::kCancel);
  }
  EXPECT_GT(transfers, 0);
}

TEST(CaseStateMachineTest, ClockEffectsMatchTheStates) {
  for (const TransitionRule& rule : TransitionRules()) {
    SCOPED_TRACE(Describe(rule.from, rule.to));
    if (rule.to == type::v1::CASE_STATE_AWAITING_CITIZEN) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kPauseAwaitingCitizen);
    }
    if (rule.from == type::v1::CASE_STATE_AWAITING_CITIZEN) {
      EXPECT_THAT(rule.clock_effect, AnyOf(ClockEffect::kResumeFromCitizen,
                                           ClockEffect::kStopForDecision, ClockEffect::kCancel));
    }
    if (rule.to == type::v1::CASE_STATE_IN_MEDIATION) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kPauseInMediation);
    }
    if (rule.from == type::v1::CASE_STATE_IN_MEDIATION) {
      EXPECT_THAT(rule.clock_effect, AnyOf(ClockEffect::kResumeFromMediation, ClockEffect::kStop,
                                           ClockEffect::kCancel));
    }
    if (rule.to == type::v1::CASE_STATE_RESPONDED || rule.to == type::v1::CASE_STATE_REJECTED) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kStopForDecision);  // Starts the appeal window.
    }
    if (rule.to == type::v1::CASE_STATE_CLOSED) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kStop);
    }
    if (rule.to == type::v1::CASE_STATE_WITHDRAWN || rule.to == type::v1::CASE_STATE_TRANSFERRED) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kCancel);
    }
    if (rule.to == type::v1::CASE_STATE_REOPENED) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kRestartForRecourse);
    }
    if (rule.to == type::v1::CASE_STATE_ESCALATED) {
      EXPECT_EQ(rule.clock_effect, ClockEffect::kEscalate);
    }
  }
}

TEST(CaseStateMachineTest, EveryStateIsReachableFromReceived) {
  std::set<CaseState> reached = {type::v1::CASE_STATE_RECEIVED};
  std::deque<CaseState> pending = {type::v1::CASE_STATE_RECEIVED};
  while (!pending.empty()) {
    const CaseState from = pending.front();
    pending.pop_front();
    for (const TransitionRule& rule : TransitionRules()) {
      if (rule.from == from && reached.insert(rule.to).second) {
        pending.push_back(rule.to);
      }
    }
  }
  for (CaseState state : AllCaseStates()) {
    if (state != type::v1::CASE_STATE_UNSPECIFIED) {
      EXPECT_TRUE(reached.contains(state)) << type::v1::CaseState_Name(state);
    }
  }
}

TEST(CaseStateMachineTest, EveryNonFinalStateHasAWayForward) {
  for (CaseState state : NonFinalStates()) {
    SCOPED_TRACE(type::v1::CaseState_Name(state));
    bool forward = false;
    for (Trigger trigger : kAllTriggers) {
      for (CaseState next : NextStates(state, trigger)) {
        forward = forward || next != type::v1::CASE_STATE_WITHDRAWN;
      }
    }
    EXPECT_TRUE(forward);
  }
}

TEST(CaseStateMachineTest, NextStatesListsWhatATriggerMayDo) {
  EXPECT_THAT(NextStates(type::v1::CASE_STATE_AWAITING_CITIZEN, Trigger::kCitizen),
              ElementsAre(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_WITHDRAWN));
  EXPECT_THAT(NextStates(type::v1::CASE_STATE_IN_MEDIATION, Trigger::kMediationOutcome),
              ElementsAre(type::v1::CASE_STATE_IN_PROGRESS, type::v1::CASE_STATE_CLOSED));
  EXPECT_THAT(NextStates(type::v1::CASE_STATE_RECEIVED, Trigger::kAssignee), IsEmpty());
}

TEST(CaseStateMachineTest, MediationOutcomesMapToAllowedTransitions) {
  const google::protobuf::EnumDescriptor* descriptor = type::v1::MediationOutcome_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto outcome = static_cast<type::v1::MediationOutcome>(descriptor->value(i)->number());
    SCOPED_TRACE(descriptor->value(i)->name());
    if (outcome == type::v1::MEDIATION_OUTCOME_UNSPECIFIED) {
      continue;
    }
    absl::StatusOr<CaseState> next = StateAfterMediation(outcome);
    ASSERT_THAT(next, IsOk());
    EXPECT_THAT(CheckTransition(type::v1::CASE_STATE_IN_MEDIATION, *next,
                                Trigger::kMediationOutcome, false, false),
                IsOk());
  }
  EXPECT_EQ(*StateAfterMediation(type::v1::MEDIATION_OUTCOME_AGREEMENT),
            type::v1::CASE_STATE_CLOSED);
  EXPECT_EQ(*StateAfterMediation(type::v1::MEDIATION_OUTCOME_REFERRED),
            type::v1::CASE_STATE_CLOSED);
  EXPECT_EQ(*StateAfterMediation(type::v1::MEDIATION_OUTCOME_NO_AGREEMENT),
            type::v1::CASE_STATE_IN_PROGRESS);
  EXPECT_EQ(*StateAfterMediation(type::v1::MEDIATION_OUTCOME_WITHDRAWN),
            type::v1::CASE_STATE_IN_PROGRESS);
  EXPECT_EQ(*StateAfterMediation(type::v1::MEDIATION_OUTCOME_INADMISSIBLE),
            type::v1::CASE_STATE_IN_PROGRESS);
}

TEST(CaseStateMachineTest, UnspecifiedMediationOutcomeIsInvalidArgument) {
  EXPECT_THAT(StateAfterMediation(type::v1::MEDIATION_OUTCOME_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outcome")));
  EXPECT_THAT(StateAfterMediation(static_cast<type::v1::MediationOutcome>(99)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CaseStateMachineTest, UnknownStateValueIsRefusedWithItsNumber) {
  EXPECT_THAT(CheckTransition(static_cast<CaseState>(99), type::v1::CASE_STATE_CLOSED,
                              Trigger::kSupervisor, true, true),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CaseState(99)")));
}

TEST(CaseStateMachineTest, MarkdownHasOneRowPerRule) {
  const std::string markdown = TransitionTableMarkdown();
  const std::vector<std::string> lines = absl::StrSplit(markdown, '\n', absl::SkipEmpty());

  EXPECT_EQ(lines.size(), TransitionRules().size() + 2);
  EXPECT_THAT(markdown, HasSubstr("| IN_PROGRESS | AWAITING_CITIZEN | assignee, supervisor | "
                                  "public_message | pause_awaiting_citizen |\n"));
  EXPECT_THAT(markdown, HasSubstr("| RECEIVED | ROUTED | system | - | start |\n"));
}

TEST(CaseStateMachineTest, GraphvizHasOneEdgePerRule) {
  const std::string graph = TransitionGraphviz();

  EXPECT_THAT(graph, HasSubstr("digraph case_states {"));
  for (const TransitionRule& rule : TransitionRules()) {
    std::string from = type::v1::CaseState_Name(rule.from).substr(11);
    std::string to = type::v1::CaseState_Name(rule.to).substr(11);
    EXPECT_THAT(graph, HasSubstr(absl::StrCat("  ", from, " -> ", to, " [label=\"")));
  }
  EXPECT_THAT(graph, HasSubstr("CLOSED [shape=doubleoctagon]"));
}

TEST(CaseStateMachineTest, NamesAreDistinctAndKnown) {
  std::set<std::string> names;
  for (Trigger trigger : kAllTriggers) {
    EXPECT_NE(TriggerName(trigger), "unknown");
    names.insert(std::string(TriggerName(trigger)));
  }
  EXPECT_EQ(names.size(), std::size(kAllTriggers));
  for (const TransitionRule& rule : TransitionRules()) {
    EXPECT_NE(ClockEffectName(rule.clock_effect), "unknown");
  }
}

}  // namespace
}  // namespace doleances::workflow
