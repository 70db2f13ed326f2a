// Mediation deadline timers over real PostgreSQL: fired once across restarts and racing replicas,
// warnings before the deadline only, proposal expiry as a fact, reads that agree with the events.
#include "services/mediation/mediation_deadline_timer.h"

#include "services/mediation/mediation_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <set>
#include <thread>

namespace doleances::mediation {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace ::doleances::mediation::testing;

constexpr absl::Duration kDay = absl::Hours(24);

class MediationDeadlineTimerTest : public MediationTest {
 protected:
  // A timer whose clock reads `offset` after the real time.
  MediationDeadlineTimer TimerAt(absl::Duration offset, int batch_size = 100) {
    return MediationDeadlineTimer(
        *pool_, metrics_, [offset] { return absl::Now() + offset; }, batch_size);
  }

  // Opens an unassigned mediation whose request reached workflow `age` ago; its id.
  std::string OpenReceived(absl::Duration age) {
    v1::OpenMediationRequest request = OpenRequest(util::NewUuid());
    *request.mutable_request_time() = util::ToTimestamp(absl::Now() - age);
    v1::OpenMediationResponse response;
    EXPECT_TRUE(Open(request, &response).ok());
    return response.mediation().mediation_id();
  }

  v1::Mediation Get(const std::string& mediation_id) {
    v1::GetMediationRequest request;
    request.set_mediation_id(mediation_id);
    v1::GetMediationResponse response;
    EXPECT_TRUE(stub_->GetMediation(Context(admin_key_).get(), request, &response).ok());
    return response.mediation();
  }

  static type::v1::ClockState StateOf(const v1::Mediation& mediation, type::v1::ClockKind clock) {
    for (const type::v1::Deadline& deadline : mediation.deadlines()) {
      if (deadline.clock() == clock) {
        return deadline.state();
      }
    }
    return type::v1::CLOCK_STATE_UNSPECIFIED;
  }

  std::string Metrics() { return prometheus::TextSerializer().Serialize(registry_.Collect()); }
};

TEST_F(MediationDeadlineTimerTest, AdmissibilityBreachDueWhileNoTimerRanFiresOnceAcrossReplicas) {
  // Thirty requests received 22 days ago, past the three weeks of R612-2; no timer ran since.
  constexpr int kMediations = 30;
  std::set<std::string> ids;
  for (int i = 0; i < kMediations; ++i) {
    ids.insert(OpenReceived(22 * kDay));
  }
  ASSERT_EQ(Count("SELECT count(*) FROM mediation.mediations WHERE next_fire_time < now()"),
            kMediations);

  // The service starts again as two replicas, whose timers race.
  MediationDeadlineTimer first = TimerAt(absl::ZeroDuration(), /*batch_size=*/4);
  MediationDeadlineTimer second = TimerAt(absl::ZeroDuration(), /*batch_size=*/4);
  absl::StatusOr<int> first_fired, second_fired;
  std::thread racer([&] { first_fired = first.FireAllDue(); });
  second_fired = second.FireAllDue();
  racer.join();
  ASSERT_THAT(first_fired, IsOk());
  ASSERT_THAT(second_fired, IsOk());

  // One breach per mediation, no stale warning, nothing left to fire.
  EXPECT_EQ(*first_fired + *second_fired, kMediations);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'DeadlineBreached'"),
            kMediations);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'DeadlineWarning'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM mediation.mediations WHERE next_fire_time IS NOT NULL"), 0);
  for (const std::string& id : ids) {
    const std::vector<events::v1::Event> breaches = EventsOf("DeadlineBreached", id);
    ASSERT_EQ(breaches.size(), 1u);
    EXPECT_EQ(breaches[0].deadline_breached().mediation_id(), id);
    EXPECT_EQ(breaches[0].deadline_breached().clock(),
              type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY);
    EXPECT_EQ(breaches[0].aggregate_version(), 2);  // Right after MediationOpened.
  }
  EXPECT_THAT(Metrics(), HasSubstr("doleances_mediation_deadline_breaches_total{clock="
                                   "\"MEDIATION_ADMISSIBILITY\"} 30"));
  const v1::Mediation read = Get(*ids.begin());
  EXPECT_EQ(StateOf(read, type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY),
            type::v1::CLOCK_STATE_BREACHED);
  EXPECT_EQ(read.version(), 2);

  // Restarting again fires nothing more.
  MediationDeadlineTimer third = TimerAt(absl::ZeroDuration());
  EXPECT_EQ(third.FireAllDue().value_or(-1), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'DeadlineBreached'"),
            kMediations);
}

TEST_F(MediationDeadlineTimerTest, WarningFiresBeforeTheDeadlineThenTheBreachOnce) {
  // Eighteen days into the three weeks: past the 80 % mark (16.8 days), not yet due.
  const std::string id = OpenReceived(18 * kDay);

  EXPECT_EQ(TimerAt(absl::ZeroDuration()).FireAllDue().value_or(-1), 1);
  const std::vector<events::v1::Event> warnings = EventsOf("DeadlineWarning", id);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].deadline_warning().clock(), type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY);
  EXPECT_EQ(StateOf(Get(id), type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY),
            type::v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(TimerAt(absl::ZeroDuration()).FireAllDue().value_or(-1), 0);

  // Four days later the deadline has passed: the breach, and no second warning.
  EXPECT_EQ(TimerAt(4 * kDay).FireAllDue().value_or(-1), 1);
  EXPECT_EQ(EventsOf("DeadlineBreached", id).size(), 1u);
  EXPECT_EQ(EventsOf("DeadlineWarning", id).size(), 1u);
  EXPECT_EQ(TimerAt(30 * kDay).FireAllDue().value_or(-1), 0);
}

TEST_F(MediationDeadlineTimerTest, NoWarningOnceTheDeadlineHasPassed) {
  const std::string id = OpenReceived(22 * kDay);

  EXPECT_EQ(TimerAt(absl::ZeroDuration()).FireAllDue().value_or(-1), 1);

  EXPECT_EQ(EventsOf("DeadlineBreached", id).size(), 1u);
  EXPECT_EQ(EventsOf("DeadlineWarning", id).size(), 0u);
}

TEST_F(MediationDeadlineTimerTest, OutcomeBreachThenAnExtensionArmsTheNewDueTime) {
  CreateMediator("mediator-alice");
  const v1::Mediation admitted = OpenAdmitted(alice_key_);
  const std::string id = admitted.mediation_id();
  EXPECT_EQ(StateOf(admitted, type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY),
            type::v1::CLOCK_STATE_MET);

  // Ninety-one days on, R612-5's ninety days have passed: the breach, without a stale warning.
  EXPECT_EQ(TimerAt(91 * kDay).FireAllDue().value_or(-1), 1);
  ASSERT_EQ(EventsOf("DeadlineBreached", id).size(), 1u);
  EXPECT_EQ(EventsOf("DeadlineBreached", id)[0].deadline_breached().clock(),
            type::v1::CLOCK_KIND_MEDIATION_OUTCOME);
  EXPECT_EQ(StateOf(Get(id), type::v1::CLOCK_KIND_MEDIATION_OUTCOME),
            type::v1::CLOCK_STATE_BREACHED);
  EXPECT_THAT(Metrics(), HasSubstr("doleances_mediation_deadline_breaches_total{clock="
                                   "\"MEDIATION_OUTCOME\"} 1"));

  // Thirty more days: a new due time (120 days), with its own warning (at 96) and breach.
  v1::ExtendDeadlineRequest extend;
  extend.set_mediation_id(id);
  extend.set_extension_days(30);
  extend.set_motive("Expertise technique nécessaire");
  v1::ExtendDeadlineResponse extended;
  ASSERT_TRUE(stub_->ExtendDeadline(Context(alice_key_).get(), extend, &extended).ok());
  EXPECT_EQ(StateOf(extended.mediation(), type::v1::CLOCK_KIND_MEDIATION_OUTCOME),
            type::v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(TimerAt(91 * kDay).FireAllDue().value_or(-1), 0);
  EXPECT_EQ(TimerAt(100 * kDay).FireAllDue().value_or(-1), 1);
  EXPECT_EQ(EventsOf("DeadlineWarning", id).size(), 1u);
  EXPECT_EQ(TimerAt(122 * kDay).FireAllDue().value_or(-1), 1);
  EXPECT_EQ(EventsOf("DeadlineBreached", id).size(), 2u);
}

TEST_F(MediationDeadlineTimerTest, ALapsedProposalExpiresOnceAsAFactNotABreach) {
  CreateMediator("mediator-alice");
  const std::string id = OpenAdmitted(alice_key_).mediation_id();
  v1::RecordProposalRequest propose;
  propose.set_mediation_id(id);
  propose.set_terms("Remise de 50 % de la majoration");
  *propose.mutable_acceptance_deadline() = util::ToTimestamp(absl::Now() + 10 * kDay);
  v1::RecordProposalResponse proposal;
  ASSERT_TRUE(stub_->RecordProposal(Context(alice_key_).get(), propose, &proposal).ok());

  // Nine days on, the parties are warned; eleven days on, the proposal has lapsed.
  EXPECT_EQ(TimerAt(9 * kDay).FireAllDue().value_or(-1), 1);
  EXPECT_EQ(TimerAt(11 * kDay).FireAllDue().value_or(-1), 1);
  EXPECT_EQ(TimerAt(12 * kDay).FireAllDue().value_or(-1), 0);

  const std::vector<events::v1::Event> warnings = EventsOf("DeadlineWarning", id);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].deadline_warning().clock(), type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE);
  const std::vector<events::v1::Event> stopped = EventsOf("ClockStopped", id);
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].clock_stopped().clock(), type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE);
  EXPECT_EQ(stopped[0].clock_stopped().state(), type::v1::CLOCK_STATE_EXPIRED);
  EXPECT_EQ(stopped[0].clock_stopped().due_time().seconds(),
            proposal.proposal().acceptance_deadline().seconds());
  EXPECT_EQ(EventsOf("DeadlineBreached", id).size(), 0u);
  EXPECT_THAT(Metrics(), Not(HasSubstr("PROPOSAL_ACCEPTANCE")));

  const v1::Mediation read = Get(id);
  ASSERT_EQ(read.proposals_size(), 1);
  EXPECT_EQ(read.proposals(0).state(), v1::PROPOSAL_STATE_EXPIRED);
  EXPECT_EQ(StateOf(read, type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE), type::v1::CLOCK_STATE_EXPIRED);
  v1::RespondToProposalRequest answer;
  answer.set_mediation_id(id);
  answer.set_proposal_id(proposal.proposal().proposal_id());
  answer.set_party(type::v1::MEDIATION_PARTY_CITIZEN);
  answer.set_decision(v1::PROPOSAL_DECISION_ACCEPT);
  v1::RespondToProposalResponse answered;
  EXPECT_EQ(stub_->RespondToProposal(Context(alice_key_).get(), answer, &answered).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace doleances::mediation
