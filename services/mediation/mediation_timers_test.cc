#include "services/mediation/mediation_timers.h"

#include "doleances/mediation/v1/mediation_service.pb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::mediation {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);
const absl::Time kDue = kStart + absl::Hours(24 * 21);

MediationRecord Awaiting() {
  MediationRecord m;
  m.state = v1::MEDIATION_STATE_AWAITING_ADMISSIBILITY;
  m.request_time = kStart;
  m.admissibility_due = kDue;
  return m;
}

MediationRecord InProgress(absl::Time saisine, absl::Time due) {
  MediationRecord m = Awaiting();
  m.state = v1::MEDIATION_STATE_IN_PROGRESS;
  m.admissibility_stop = saisine;
  m.saisine_notify_time = saisine;
  m.outcome_due = due;
  return m;
}

ProposalRecord OpenProposal(absl::Time create, absl::Time deadline) {
  ProposalRecord p;
  p.proposal_id = "p1";
  p.state = v1::PROPOSAL_STATE_OPEN;
  p.create_time = create;
  p.acceptance_deadline = deadline;
  return p;
}

auto Is(TimerClock clock, TimerKind kind) {
  return AllOf(Field(&Firing::clock, clock), Field(&Firing::kind, kind));
}

TEST(MediationTimersTest, WarningFallsAtEightyPercentOfTheTimeAllowed) {
  EXPECT_EQ(WarningTime(kStart, kStart + absl::Hours(100)), kStart + absl::Hours(80));
  EXPECT_EQ(NextFireTime(Awaiting(), {}), WarningTime(kStart, kDue));
}

TEST(MediationTimersTest, WarningFiresOnceThenTheBreachOnceAtTheDueTime) {
  MediationRecord m = Awaiting();
  std::vector<ProposalRecord> none;
  const absl::Time warning = WarningTime(kStart, kDue);

  EXPECT_THAT(FireDue(m, none, warning - absl::Seconds(1)), IsEmpty());
  EXPECT_THAT(FireDue(m, none, warning),
              ElementsAre(Is(TimerClock::kAdmissibility, TimerKind::kWarning)));
  EXPECT_THAT(FireDue(m, none, warning + absl::Hours(1)), IsEmpty());
  EXPECT_EQ(NextFireTime(m, none), kDue);
  EXPECT_THAT(FireDue(m, none, kDue),
              ElementsAre(Is(TimerClock::kAdmissibility, TimerKind::kBreach)));
  EXPECT_THAT(FireDue(m, none, kDue + absl::Hours(24 * 365)), IsEmpty());
  EXPECT_EQ(NextFireTime(m, none), std::nullopt);
}

TEST(MediationTimersTest, ADeadlineFoundPassedBreachesWithoutAStaleWarning) {
  MediationRecord m = Awaiting();
  std::vector<ProposalRecord> none;

  EXPECT_THAT(FireDue(m, none, kDue + absl::Hours(1)),
              ElementsAre(Is(TimerClock::kAdmissibility, TimerKind::kBreach)));
  EXPECT_TRUE(m.admissibility_warning_fired);
  EXPECT_TRUE(m.admissibility_breach_fired);
}

TEST(MediationTimersTest, StoppedOrClosedClocksHaveNoTimer) {
  MediationRecord decided = InProgress(kStart + absl::Hours(1), kStart + absl::Hours(24 * 90));
  decided.state = v1::MEDIATION_STATE_CLOSED;
  EXPECT_EQ(NextFireTime(decided, {}), std::nullopt);
  std::vector<ProposalRecord> none;
  EXPECT_THAT(FireDue(decided, none, kStart + absl::Hours(24 * 1000)), IsEmpty());
}

TEST(MediationTimersTest, OutcomeClockReplacesTheAdmissibilityClockOnceAdmitted) {
  const absl::Time saisine = kStart + absl::Hours(24);
  const absl::Time due = saisine + absl::Hours(24 * 90);
  MediationRecord m = InProgress(saisine, due);
  std::vector<ProposalRecord> none;

  EXPECT_EQ(NextFireTime(m, none), WarningTime(saisine, due));
  EXPECT_THAT(FireDue(m, none, due), ElementsAre(Is(TimerClock::kOutcome, TimerKind::kBreach)));
  EXPECT_FALSE(m.admissibility_breach_fired);
}

TEST(MediationTimersTest, ALapsedProposalExpiresAfterItsWarning) {
  const absl::Time saisine = kStart;
  MediationRecord m = InProgress(saisine, saisine + absl::Hours(24 * 90));
  const absl::Time created = saisine + absl::Hours(24);
  const absl::Time deadline = created + absl::Hours(24 * 10);
  std::vector<ProposalRecord> proposals = {OpenProposal(created, deadline)};

  EXPECT_EQ(NextFireTime(m, proposals), WarningTime(created, deadline));
  EXPECT_THAT(FireDue(m, proposals, WarningTime(created, deadline)),
              ElementsAre(Is(TimerClock::kProposalAcceptance, TimerKind::kWarning)));
  const std::vector<Firing> expired = FireDue(m, proposals, deadline);
  ASSERT_THAT(expired, ElementsAre(Is(TimerClock::kProposalAcceptance, TimerKind::kExpiry)));
  EXPECT_EQ(expired[0].proposal_id, "p1");
  EXPECT_EQ(expired[0].due, deadline);
  EXPECT_EQ(proposals[0].state, v1::PROPOSAL_STATE_EXPIRED);
  EXPECT_EQ(NextFireTime(m, proposals), WarningTime(saisine, *m.outcome_due));
}

TEST(MediationTimersTest, AfterFiringTheNextTimerIsAlwaysLater) {
  for (int hours = 0; hours < 24 * 120; hours += 7) {
    MediationRecord m = InProgress(kStart, kStart + absl::Hours(24 * 90));
    std::vector<ProposalRecord> proposals = {
        OpenProposal(kStart + absl::Hours(5), kStart + absl::Hours(24 * 30))};
    const absl::Time now = kStart + absl::Hours(hours);
    FireDue(m, proposals, now);
    const std::optional<absl::Time> next = NextFireTime(m, proposals);
    EXPECT_TRUE(!next.has_value() || *next > now) << hours;
  }
}

}  // namespace
}  // namespace doleances::mediation
