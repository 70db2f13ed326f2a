// MediationService over real PostgreSQL and a real gRPC port.
#include "services/mediation/mediation_service.h"

#include "services/mediation/mediation_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace doleances::mediation {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;
using namespace ::doleances::mediation::testing;

class MediationServiceTest : public MediationTest {};

TEST_F(MediationServiceTest, RetriedOpenReturnsTheSameMediationAndAnnouncesItOnce) {
  CreateMediator("mediator-alice");
  const v1::OpenMediationRequest request = OpenRequest(util::NewUuid());
  v1::OpenMediationResponse first;
  v1::OpenMediationResponse retry;

  ASSERT_TRUE(Open(request, &first).ok());
  ASSERT_TRUE(Open(request, &retry).ok());

  EXPECT_TRUE(first.created());
  EXPECT_FALSE(retry.created());
  EXPECT_EQ(retry.mediation().mediation_id(), first.mediation().mediation_id());
  EXPECT_EQ(Count("SELECT count(*) FROM mediation.mediations"), 1);
  const std::vector<events::v1::Event> opened =
      EventsOf("MediationOpened", first.mediation().mediation_id());
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].aggregate_version(), 1);
  const std::vector<events::v1::Event> assigned =
      EventsOf("MediationAssigned", first.mediation().mediation_id());
  ASSERT_EQ(assigned.size(), 1u);
  EXPECT_EQ(assigned[0].aggregate_version(), 2);
  EXPECT_EQ(first.mediation().version(), 2);
}

TEST_F(MediationServiceTest, TenConcurrentOpensOfOneComplaintCreateOneMediation) {
  const v1::OpenMediationRequest request = OpenRequest(util::NewUuid());
  std::vector<v1::OpenMediationResponse> responses(10);
  std::vector<grpc::Status> statuses(10);
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&, i] { statuses[i] = Open(request, &responses[i]); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }

  std::set<std::string> ids;
  int created = 0;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    ids.insert(responses[i].mediation().mediation_id());
    created += responses[i].created();
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM mediation.mediations"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'MediationOpened'"), 1);
}

TEST_F(MediationServiceTest, AutomaticAssignmentSkipsTheMediatorAttachedToTheDisputedDepartment) {
  // Alice is attached to the roads department and less loaded; Bob has one mediation already.
  const std::string alice = CreateMediator("mediator-alice", {kRoads});
  v1::OpenMediationResponse first;
  ASSERT_TRUE(Open(OpenRequest(util::NewUuid()), &first).ok());
  EXPECT_EQ(first.mediation().mediator_id(), "");  // Nobody qualifies yet.
  const std::string bob = CreateMediator("mediator-bob");
  v1::OpenMediationResponse second;
  ASSERT_TRUE(Open(OpenRequest(util::NewUuid()), &second).ok());
  EXPECT_EQ(second.mediation().mediator_id(), bob);

  v1::OpenMediationResponse third;
  ASSERT_TRUE(Open(OpenRequest(util::NewUuid()), &third).ok());
  EXPECT_EQ(third.mediation().mediator_id(), bob);

  // Nor can an admin assign Alice by hand.
  v1::AssignMediatorRequest manual;
  manual.set_mediation_id(first.mediation().mediation_id());
  manual.set_mediator_id(alice);
  manual.set_motive("Disponible");
  v1::AssignMediatorResponse assigned;
  const grpc::Status refused = stub_->AssignMediator(Context(admin_key_).get(), manual, &assigned);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("conflict of interest"));
}

TEST_F(MediationServiceTest, ConcurrentOverlappingSessionsOfOneMediatorAreRefusedOnce) {
  CreateMediator("mediator-alice");
  const v1::Mediation one = OpenAdmitted(alice_key_);
  const v1::Mediation two = OpenAdmitted(alice_key_);
  const absl::Time start = absl::Now() + absl::Hours(48);
  grpc::Status statuses[2];
  v1::ScheduleSessionResponse responses[2];
  std::thread first([&] {
    statuses[0] = stub_->ScheduleSession(Context(alice_key_).get(),
                                         SessionAt(one.mediation_id(), start), &responses[0]);
  });
  std::thread second([&] {
    statuses[1] = stub_->ScheduleSession(Context(alice_key_).get(),
                                         SessionAt(two.mediation_id(), start + absl::Minutes(30)),
                                         &responses[1]);
  });
  first.join();
  second.join();

  EXPECT_NE(statuses[0].ok(), statuses[1].ok());
  const grpc::Status& refused = statuses[0].ok() ? statuses[1] : statuses[0];
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("overlapping"));
  EXPECT_EQ(Count("SELECT count(*) FROM mediation.sessions"), 1);

  // Back to back with whichever session won is fine, and a cancelled session frees the time.
  const absl::Time winner_end =
      (statuses[0].ok() ? start : start + absl::Minutes(30)) + absl::Hours(1);
  v1::ScheduleSessionResponse after;
  EXPECT_TRUE(stub_
                  ->ScheduleSession(Context(alice_key_).get(),
                                    SessionAt(two.mediation_id(), winner_end), &after)
                  .ok());
  v1::CancelSessionRequest cancel;
  cancel.set_session_id(statuses[0].ok() ? responses[0].session().session_id()
                                         : responses[1].session().session_id());
  cancel.set_motive("Empêchement");
  v1::CancelSessionResponse cancelled;
  ASSERT_TRUE(stub_->CancelSession(Context(alice_key_).get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.session().state(), v1::SESSION_STATE_CANCELLED);
  v1::ScheduleSessionResponse retaken;
  EXPECT_TRUE(stub_
                  ->ScheduleSession(Context(alice_key_).get(), SessionAt(two.mediation_id(), start),
                                    &retaken)
                  .ok());
}

TEST_F(MediationServiceTest, EveryOutcomeClosesWithAMediationClosedEventCarryingIt) {
  CreateMediator("mediator-alice");
  struct Case {
    type::v1::MediationOutcome outcome;
    std::string mediation_id;
  };
  std::vector<Case> cases;
  for (type::v1::MediationOutcome outcome :
       {type::v1::MEDIATION_OUTCOME_AGREEMENT, type::v1::MEDIATION_OUTCOME_NO_AGREEMENT,
        type::v1::MEDIATION_OUTCOME_REFERRED, type::v1::MEDIATION_OUTCOME_INADMISSIBLE}) {
    const v1::Mediation mediation = OpenAdmitted(alice_key_);
    v1::CloseMediationRequest request;
    request.set_mediation_id(mediation.mediation_id());
    request.set_expected_version(mediation.version());
    request.set_outcome(outcome);
    if (outcome == type::v1::MEDIATION_OUTCOME_AGREEMENT) {
      request.set_agreement_terms("Remise gracieuse de la majoration");
    }
    if (outcome == type::v1::MEDIATION_OUTCOME_REFERRED) {
      request.mutable_referral()->set_body(type::v1::REFERRAL_BODY_DEFENSEUR_DES_DROITS);
      request.mutable_referral()->set_reference("DDD-2024-0042");
    }
    v1::CloseMediationResponse response;
    const grpc::Status status =
        stub_->CloseMediation(Context(alice_key_).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.mediation().state(), v1::MEDIATION_STATE_CLOSED);
    cases.push_back({outcome, mediation.mediation_id()});
  }
  // Withdrawal by the administration's agent, and inadmissibility at the decision.
  const v1::Mediation withdrawn = OpenAdmitted(alice_key_);
  v1::WithdrawMediationRequest withdraw;
  withdraw.set_mediation_id(withdrawn.mediation_id());
  withdraw.set_party(type::v1::MEDIATION_PARTY_ADMINISTRATION);
  v1::WithdrawMediationResponse withdraw_response;
  ASSERT_TRUE(
      stub_->WithdrawMediation(Context(agent_key_).get(), withdraw, &withdraw_response).ok());
  cases.push_back({type::v1::MEDIATION_OUTCOME_WITHDRAWN, withdrawn.mediation_id()});
  v1::OpenMediationResponse opened;
  ASSERT_TRUE(Open(OpenRequest(util::NewUuid()), &opened).ok());
  v1::DecideAdmissibilityResponse declined;
  ASSERT_TRUE(stub_
                  ->DecideAdmissibility(Context(alice_key_).get(),
                                        Decision(opened.mediation().mediation_id(), false),
                                        &declined)
                  .ok());
  EXPECT_EQ(declined.mediation().state(), v1::MEDIATION_STATE_CLOSED);
  cases.push_back({type::v1::MEDIATION_OUTCOME_INADMISSIBLE, opened.mediation().mediation_id()});

  for (const Case& expected : cases) {
    const std::vector<events::v1::Event> closed =
        EventsOf("MediationClosed", expected.mediation_id);
    ASSERT_EQ(closed.size(), 1u) << type::v1::MediationOutcome_Name(expected.outcome);
    EXPECT_EQ(closed[0].mediation_closed().outcome(), expected.outcome);
    EXPECT_FALSE(closed[0].mediation_closed().case_id().empty());
  }
  const events::v1::Event referred = EventsOf("MediationClosed", cases[2].mediation_id).front();
  EXPECT_EQ(referred.mediation_closed().referral_body(),
            type::v1::REFERRAL_BODY_DEFENSEUR_DES_DROITS);
  const events::v1::Event withdrawal =
      EventsOf("MediationClosed", withdrawn.mediation_id()).front();
  EXPECT_EQ(withdrawal.mediation_closed().withdrawn_by(), type::v1::MEDIATION_PARTY_ADMINISTRATION);

  // Closed is terminal.
  v1::CloseMediationRequest again;
  again.set_mediation_id(cases[0].mediation_id);
  again.set_outcome(type::v1::MEDIATION_OUTCOME_NO_AGREEMENT);
  v1::CloseMediationResponse again_response;
  EXPECT_EQ(stub_->CloseMediation(Context(alice_key_).get(), again, &again_response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(MediationServiceTest, OnlyTheAssignedMediatorActsOnAMediation) {
  CreateMediator("mediator-alice");
  const v1::Mediation mediation = OpenAdmitted(alice_key_);
  CreateMediator("mediator-bob");

  v1::AddNoteRequest note;
  note.set_mediation_id(mediation.mediation_id());
  note.mutable_note()->set_visibility(v1::NOTE_VISIBILITY_CONFIDENTIAL);
  note.mutable_note()->set_text("Le requérant semble prêt à transiger");
  v1::AddNoteResponse added;
  EXPECT_EQ(stub_->AddNote(Context(bob_key_).get(), note, &added).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub_->AddNote(Context(agent_key_).get(), note, &added).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ScheduleSessionResponse session;
  EXPECT_EQ(stub_
                ->ScheduleSession(Context(bob_key_).get(),
                                  SessionAt(mediation.mediation_id(), absl::Now() + absl::Hours(5)),
                                  &session)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::CloseMediationRequest close;
  close.set_mediation_id(mediation.mediation_id());
  close.set_outcome(type::v1::MEDIATION_OUTCOME_NO_AGREEMENT);
  v1::CloseMediationResponse closed;
  EXPECT_EQ(stub_->CloseMediation(Context(bob_key_).get(), close, &closed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Reading: other mediators and other administrations do not see it at all.
  v1::GetMediationRequest get;
  get.set_mediation_id(mediation.mediation_id());
  v1::GetMediationResponse got;
  EXPECT_EQ(stub_->GetMediation(Context(bob_key_).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->GetMediation(Context(paris_agent_key_).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListMediationsRequest list;
  v1::ListMediationsResponse listed;
  ASSERT_TRUE(stub_->ListMediations(Context(bob_key_).get(), list, &listed).ok());
  EXPECT_EQ(listed.mediations_size(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM mediation.notes"), 0);
}

TEST_F(MediationServiceTest, ConfidentialAndCaucusNotesStayWithTheMediator) {
  CreateMediator("mediator-alice");
  const v1::Mediation mediation = OpenAdmitted(alice_key_);
  for (v1::NoteVisibility visibility :
       {v1::NOTE_VISIBILITY_CONFIDENTIAL, v1::NOTE_VISIBILITY_CAUCUS}) {
    v1::AddNoteRequest note;
    note.set_mediation_id(mediation.mediation_id());
    note.mutable_note()->set_visibility(visibility);
    if (visibility == v1::NOTE_VISIBILITY_CAUCUS) {
      note.mutable_note()->set_party(type::v1::MEDIATION_PARTY_CITIZEN);
    }
    note.mutable_note()->set_text("Aparté : plafond acceptable 200 €");
    v1::AddNoteResponse added;
    ASSERT_TRUE(stub_->AddNote(Context(alice_key_).get(), note, &added).ok());
  }

  v1::ListNotesRequest list;
  list.set_mediation_id(mediation.mediation_id());
  v1::ListNotesResponse notes;
  ASSERT_TRUE(stub_->ListNotes(Context(alice_key_).get(), list, &notes).ok());
  EXPECT_EQ(notes.notes_size(), 2);
  EXPECT_EQ(stub_->ListNotes(Context(agent_key_).get(), list, &notes).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The party view of the administration has neither notes nor the summary.
  v1::GetMediationRequest get;
  get.set_mediation_id(mediation.mediation_id());
  v1::GetMediationResponse party_view;
  ASSERT_TRUE(stub_->GetMediation(Context(agent_key_).get(), get, &party_view).ok());
  EXPECT_EQ(party_view.mediation().case_summary(), "");
  EXPECT_EQ(party_view.mediation().assignment_reason(), "");
  EXPECT_THAT(party_view.DebugString(), ::testing::Not(HasSubstr("plafond")));
  v1::GetMediationResponse mediator_view;
  ASSERT_TRUE(stub_->GetMediation(Context(alice_key_).get(), get, &mediator_view).ok());
  EXPECT_FALSE(mediator_view.mediation().case_summary().empty());
  // Notes never reach the event log.
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE position('plafond' in"
                  " encode(payload, 'escape')) > 0"),
            0);
}

TEST_F(MediationServiceTest, InvalidRequestsNameTheirFields) {
  CreateMediator("mediator-alice");
  v1::OpenMediationRequest open = OpenRequest("not-a-uuid");
  open.clear_case_summary();
  v1::OpenMediationResponse opened;
  const grpc::Status invalid_open = Open(open, &opened);
  EXPECT_EQ(invalid_open.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(invalid_open.error_message(), HasSubstr("complaint_id"));
  EXPECT_THAT(invalid_open.error_message(), HasSubstr("case_summary"));

  const v1::Mediation mediation = OpenAdmitted(alice_key_);
  v1::CloseMediationRequest close;
  close.set_mediation_id(mediation.mediation_id());
  close.set_outcome(type::v1::MEDIATION_OUTCOME_AGREEMENT);
  v1::CloseMediationResponse closed;
  const grpc::Status no_terms = stub_->CloseMediation(Context(alice_key_).get(), close, &closed);
  EXPECT_EQ(no_terms.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_terms.error_message(), HasSubstr("agreement_terms"));
  close.set_outcome(type::v1::MEDIATION_OUTCOME_REFERRED);
  const grpc::Status no_referral = stub_->CloseMediation(Context(alice_key_).get(), close, &closed);
  EXPECT_THAT(no_referral.error_message(), HasSubstr("referral.reference"));

  v1::ScheduleSessionRequest session = SessionAt(mediation.mediation_id(), absl::Now());
  session.mutable_session()->mutable_duration()->set_seconds(60);
  session.mutable_session()->set_time_zone("Mars/Olympus");
  v1::ScheduleSessionResponse scheduled;
  const grpc::Status bad_session =
      stub_->ScheduleSession(Context(alice_key_).get(), session, &scheduled);
  EXPECT_EQ(bad_session.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_session.error_message(), HasSubstr("session.duration"));
  EXPECT_THAT(bad_session.error_message(), HasSubstr("session.time_zone"));

  // A stale version is ABORTED and changes nothing.
  close.set_outcome(type::v1::MEDIATION_OUTCOME_NO_AGREEMENT);
  close.set_expected_version(mediation.version() + 7);
  EXPECT_EQ(stub_->CloseMediation(Context(alice_key_).get(), close, &closed).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(MediationServiceTest, ProposalAcceptedByBothPartiesAndDeadlineExtension) {
  CreateMediator("mediator-alice");
  const v1::Mediation mediation = OpenAdmitted(alice_key_);
  ASSERT_EQ(mediation.state(), v1::MEDIATION_STATE_IN_PROGRESS);
  ASSERT_EQ(mediation.deadlines_size(), 2);
  const absl::Time outcome_due = util::FromTimestamp(mediation.deadlines(1).due_time());

  v1::ExtendDeadlineRequest extend;
  extend.set_mediation_id(mediation.mediation_id());
  extend.set_extension_days(30);
  extend.set_motive("Expertise technique nécessaire");
  v1::ExtendDeadlineResponse extended;
  ASSERT_TRUE(stub_->ExtendDeadline(Context(alice_key_).get(), extend, &extended).ok());
  EXPECT_EQ(extended.mediation().extension_days(), 30);
  // Thirty more calendar days, still due at 23:59:59 Paris time whatever DST did meanwhile.
  absl::TimeZone paris;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Paris", &paris));
  const absl::Time extended_due = util::FromTimestamp(extended.mediation().deadlines(1).due_time());
  EXPECT_EQ(absl::ToCivilDay(extended_due, paris), absl::ToCivilDay(outcome_due, paris) + 30);
  EXPECT_EQ(absl::ToCivilSecond(extended_due, paris).hour(), 23);

  v1::RecordProposalRequest propose;
  propose.set_mediation_id(mediation.mediation_id());
  propose.set_terms("Remise de 50 % de la majoration");
  *propose.mutable_acceptance_deadline() = util::ToTimestamp(absl::Now() + absl::Hours(24 * 15));
  v1::RecordProposalResponse proposal;
  ASSERT_TRUE(stub_->RecordProposal(Context(alice_key_).get(), propose, &proposal).ok());
  EXPECT_EQ(proposal.proposal().mandatory_notices_size(), 3);

  v1::RespondToProposalRequest answer;
  answer.set_mediation_id(mediation.mediation_id());
  answer.set_proposal_id(proposal.proposal().proposal_id());
  answer.set_party(type::v1::MEDIATION_PARTY_CITIZEN);
  answer.set_decision(v1::PROPOSAL_DECISION_ACCEPT);
  v1::RespondToProposalResponse answered;
  // An agent answers for the administration only; the mediator records the citizen's letter.
  EXPECT_EQ(stub_->RespondToProposal(Context(agent_key_).get(), answer, &answered).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->RespondToProposal(Context(alice_key_).get(), answer, &answered).ok());
  EXPECT_EQ(answered.proposal().state(), v1::PROPOSAL_STATE_OPEN);
  EXPECT_EQ(stub_->RespondToProposal(Context(alice_key_).get(), answer, &answered).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  answer.set_party(type::v1::MEDIATION_PARTY_ADMINISTRATION);
  ASSERT_TRUE(stub_->RespondToProposal(Context(agent_key_).get(), answer, &answered).ok());
  EXPECT_EQ(answered.proposal().state(), v1::PROPOSAL_STATE_ACCEPTED);
  EXPECT_EQ(EventsOf("MediationProposalAnswered", mediation.mediation_id()).size(), 2u);
}

TEST_F(MediationServiceTest, ListedMediationsCarryTheirSessionsAndProposals) {
  CreateMediator("mediator-alice");
  const v1::Mediation with_session = OpenAdmitted(alice_key_);
  const v1::Mediation with_proposal = OpenAdmitted(alice_key_);
  v1::ScheduleSessionResponse scheduled;
  ASSERT_TRUE(
      stub_
          ->ScheduleSession(Context(alice_key_).get(),
                            SessionAt(with_session.mediation_id(), absl::Now() + absl::Hours(48)),
                            &scheduled)
          .ok());
  v1::RecordProposalRequest propose;
  propose.set_mediation_id(with_proposal.mediation_id());
  propose.set_terms("Remise de 50 % de la majoration");
  *propose.mutable_acceptance_deadline() = util::ToTimestamp(absl::Now() + absl::Hours(24 * 15));
  v1::RecordProposalResponse proposal;
  ASSERT_TRUE(stub_->RecordProposal(Context(alice_key_).get(), propose, &proposal).ok());

  v1::ListMediationsRequest request;
  v1::ListMediationsResponse listed;
  ASSERT_TRUE(stub_->ListMediations(Context(alice_key_).get(), request, &listed).ok());

  ASSERT_EQ(listed.mediations_size(), 2);
  for (const v1::Mediation& mediation : listed.mediations()) {
    if (mediation.mediation_id() == with_session.mediation_id()) {
      ASSERT_EQ(mediation.sessions_size(), 1);
      EXPECT_EQ(mediation.sessions(0).session_id(), scheduled.session().session_id());
      EXPECT_EQ(mediation.sessions(0).participants_size(), 2);
      EXPECT_EQ(mediation.proposals_size(), 0);
    } else {
      ASSERT_EQ(mediation.proposals_size(), 1);
      EXPECT_EQ(mediation.proposals(0).proposal_id(), proposal.proposal().proposal_id());
      EXPECT_EQ(mediation.proposals(0).mandatory_notices_size(), 3);
      EXPECT_EQ(mediation.sessions_size(), 0);
    }
  }
}

}  // namespace
}  // namespace doleances::mediation
