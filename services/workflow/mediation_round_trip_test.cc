// Workflow -> mediation -> workflow over real gRPC and PostgreSQL: a case sent to mediation while
// mediation is down reaches it once it is up, and the outcome recorded while workflow's consumer
// is stopped moves the case when it starts again.
#include "services/mediation/doleances_mediation_migrations.h"
#include "services/mediation/mediation_metrics.h"
#include "services/mediation/mediation_permissions.h"
#include "services/mediation/mediation_service.h"
#include "services/mediation/pg_mediation_store.h"
#include "services/mediation/pg_mediator_store.h"
#include "services/workflow/mediation_requester.h"
#include "services/workflow/workflow_testing.h"

#include <gmock/gmock.h>
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using namespace ::doleances::workflow::testing;

class MediationRoundTripTest : public WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    ASSERT_THAT(db::ApplyMigrations(*pool_, mediation::MediationMigrations()), IsOk());
    workflow_key_ = MakeKey("workflow", {auth::Role::kService}, {"*"});
    mediation_admin_key_ = MakeKey("mediation-admin", {auth::Role::kAdmin}, {kLyon});
    alice_key_ = MakeKey("mediator-alice", {auth::Role::kMediator}, {kLyon});
  }

  // Mediation's service on a port of its own, as a separate process would have.
  void StartMediation() {
    mediation_service_ = std::make_unique<mediation::MediationServiceImpl>(
        mediation_authorizer_, mediations_, mediators_, mediation_metrics_, notifier_, &absl::Now);
    mediation_server_ =
        std::make_unique<doleances::testing::LocalGrpcServer>(mediation_service_.get());
    mediation_stub_ = mediation::v1::MediationService::NewStub(mediation_server_->channel());
    mediation::v1::CreateMediatorRequest request;
    request.mutable_mediator()->add_administration_ids(kLyon);
    request.mutable_mediator()->set_principal_id("mediator-alice");
    request.mutable_mediator()->set_display_name("Alice Martin");
    request.mutable_mediator()->set_capacity(10);
    mediation::v1::CreateMediatorResponse created;
    ASSERT_TRUE(
        mediation_stub_->CreateMediator(Call(mediation_admin_key_).get(), request, &created).ok());
  }

  MediationRequester Requester(std::shared_ptr<grpc::Channel> channel) {
    return MediationRequester(
        *pool_, std::move(channel), [this] { return workflow_key_; }, &absl::Now);
  }

  v1::SendToMediationResponse SendToMediation(const CaseRecord& record) {
    v1::SendToMediationRequest request;
    request.set_case_id(record.case_id);
    request.set_expected_version(record.version);
    request.set_requested_by(type::v1::MEDIATION_PARTY_CITIZEN);
    request.set_case_summary("Contestation du refus de remise gracieuse d'une majoration");
    v1::SendToMediationResponse response;
    const grpc::Status status =
        stub_->SendToMediation(Call(supervisor_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Admits the mediation as its mediator and closes it with `outcome`.
  // Ends the mediation with `outcome` as the parties and the mediator would: a withdrawal by the
  // administration, an inadmissibility decision, or admission then closure.
  void Close(const std::string& mediation_id, type::v1::MediationOutcome outcome) {
    grpc::Status status;
    if (outcome == type::v1::MEDIATION_OUTCOME_WITHDRAWN) {
      mediation::v1::WithdrawMediationRequest withdraw;
      withdraw.set_mediation_id(mediation_id);
      withdraw.set_party(type::v1::MEDIATION_PARTY_ADMINISTRATION);
      mediation::v1::WithdrawMediationResponse withdrawn;
      status = mediation_stub_->WithdrawMediation(Call(agent_key_).get(), withdraw, &withdrawn);
      ASSERT_TRUE(status.ok()) << status.error_message();
      return;
    }
    const bool admissible = outcome != type::v1::MEDIATION_OUTCOME_INADMISSIBLE;
    mediation::v1::DecideAdmissibilityRequest decide;
    decide.set_mediation_id(mediation_id);
    decide.set_decision(admissible ? mediation::v1::ADMISSIBILITY_DECISION_ADMISSIBLE
                                   : mediation::v1::ADMISSIBILITY_DECISION_INADMISSIBLE);
    for (int criterion = 1; criterion < type::v1::AdmissibilityCriterion_ARRAYSIZE; ++criterion) {
      mediation::v1::CriterionAssessment* assessment = decide.add_assessments();
      assessment->set_criterion(static_cast<type::v1::AdmissibilityCriterion>(criterion));
      assessment->set_satisfied(admissible || criterion != 2);
      if (!assessment->satisfied()) {
        assessment->set_note("Demande manifestement infondée");
      }
    }
    if (!admissible) {
      decide.set_motive("La demande est manifestement infondée");
    }
    mediation::v1::DecideAdmissibilityResponse decided;
    status = mediation_stub_->DecideAdmissibility(Call(alice_key_).get(), decide, &decided);
    ASSERT_TRUE(status.ok()) << status.error_message();
    if (!admissible) {
      return;
    }
    mediation::v1::CloseMediationRequest close;
    close.set_mediation_id(mediation_id);
    close.set_expected_version(decided.mediation().version());
    close.set_outcome(outcome);
    if (outcome == type::v1::MEDIATION_OUTCOME_AGREEMENT) {
      close.set_agreement_terms("Remise de la majoration, paiement du principal sous 30 jours");
    }
    if (outcome == type::v1::MEDIATION_OUTCOME_REFERRED) {
      close.mutable_referral()->set_body(type::v1::REFERRAL_BODY_DEFENSEUR_DES_DROITS);
      close.mutable_referral()->set_reference("DDD-2026-0042");
    }
    mediation::v1::CloseMediationResponse closed;
    status = mediation_stub_->CloseMediation(Call(alice_key_).get(), close, &closed);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Runs workflow's consumer until it has nothing left, as a freshly started process would.
  void RestartWorkflowConsumer() {
    events::EventConsumer restarted(*pool_, {.group = kWorkflowConsumerGroup}, &ApplyWorkflowEvent);
    ASSERT_THAT(restarted.Register(), IsOk());
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (restarted.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
      ASSERT_THAT(restarted.PollOnce(), IsOk());
    }
  }

  auth::Authorizer mediation_authorizer_{principals_, mediation::MediationPermissions(), {}};
  std::unique_ptr<db::ConnectionPool> mediation_pool_ =
      database_.MakePool({.prepare_hooks = {&events::EventLog::PrepareStatements,
                                            &auth::PrincipalStore::PrepareStatements,
                                            &mediation::PgMediationStore::PrepareStatements,
                                            &mediation::PgMediatorStore::PrepareStatements}});
  mediation::PgMediationStore mediations_{*mediation_pool_};
  mediation::PgMediatorStore mediators_{*mediation_pool_};
  prometheus::Registry registry_;
  mediation::MediationMetrics mediation_metrics_{registry_};
  std::unique_ptr<mediation::MediationServiceImpl> mediation_service_;
  std::unique_ptr<doleances::testing::LocalGrpcServer> mediation_server_;
  std::unique_ptr<mediation::v1::MediationService::Stub> mediation_stub_;
  std::string workflow_key_;
  std::string mediation_admin_key_;
  std::string alice_key_;
};

TEST_F(MediationRoundTripTest, ARequestMadeWhileMediationIsDownIsDeliveredOnceItIsUp) {
  const CaseRecord record = CaseInProgress();
  const v1::SendToMediationResponse sent = SendToMediation(record);
  EXPECT_EQ(sent.case_file().state(), type::v1::CASE_STATE_IN_MEDIATION);
  EXPECT_TRUE(sent.mediation_id().empty());  // Not acknowledged yet.
  EXPECT_EQ(EventsOfType("MediationRequested").size(), 1u);

  // Mediation is down: the attempt fails, the request waits with a backoff.
  MediationRequester down =
      Requester(grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  EXPECT_EQ(down.SendDue().value_or(-1), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.mediation_requests WHERE attempts = 1 AND"
                  " mediation_id IS NULL AND last_error <> '' AND next_attempt_time > now()"),
            1);
  EXPECT_EQ(down.SendDue().value_or(-1), 0);  // Not due again before its backoff.
  EXPECT_EQ(Count("SELECT attempts FROM workflow.mediation_requests"), 1);

  // Mediation is up; the backoff elapses; the request is delivered, once, even if sent twice.
  StartMediation();
  ASSERT_THAT(pool_->Execute("UPDATE workflow.mediation_requests SET next_attempt_time = now()"),
              IsOk());
  MediationRequester up = Requester(mediation_server_->channel());
  EXPECT_EQ(up.SendDue().value_or(-1), 1);
  EXPECT_EQ(up.SendDue().value_or(-1), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM mediation.mediations"), 1);
  const CaseRecord waiting = *store_.Get(record.case_id);
  ASSERT_TRUE(waiting.mediation_id.has_value());
  EXPECT_EQ(waiting.state, type::v1::CASE_STATE_IN_MEDIATION);
}

TEST_F(MediationRoundTripTest, AnOutcomeRecordedWhileWorkflowIsStoppedMovesTheCaseOnRestart) {
  StartMediation();
  const CaseRecord agreed = CaseInProgress();
  const CaseRecord failed = CaseInProgress();
  SendToMediation(agreed);
  SendToMediation(failed);
  MediationRequester requester = Requester(mediation_server_->channel());
  ASSERT_EQ(requester.SendDue().value_or(-1), 2);
  const CaseRecord agreed_sent = *store_.Get(agreed.case_id);
  const CaseRecord failed_sent = *store_.Get(failed.case_id);

  // Workflow's consumer is stopped while the mediator closes both mediations.
  Close(*agreed_sent.mediation_id, type::v1::MEDIATION_OUTCOME_AGREEMENT);
  Close(*failed_sent.mediation_id, type::v1::MEDIATION_OUTCOME_NO_AGREEMENT);
  EXPECT_EQ(store_.Get(agreed.case_id)->state, type::v1::CASE_STATE_IN_MEDIATION);

  // Workflow starts again: a new consumer of the same group picks the outcomes up from the log.
  RestartWorkflowConsumer();
  EXPECT_EQ(store_.Get(agreed.case_id)->state, type::v1::CASE_STATE_CLOSED);
  const CaseRecord resumed = *store_.Get(failed.case_id);
  EXPECT_EQ(resumed.state, type::v1::CASE_STATE_IN_PROGRESS);

  // The statutory silence paused during mediation runs again after NO_AGREEMENT.
  v1::GetCaseRequest get;
  get.set_case_id(failed.case_id);
  v1::GetCaseResponse shown;
  ASSERT_TRUE(stub_->GetCase(Call(supervisor_key_).get(), get, &shown).ok());
  bool statutory_running = false;
  for (const type::v1::Deadline& deadline : shown.case_file().deadlines()) {
    if (deadline.clock() == type::v1::CLOCK_KIND_STATUTORY_REPLY) {
      statutory_running =
          deadline.state() == type::v1::CLOCK_STATE_RUNNING && deadline.has_due_time();
    }
  }
  EXPECT_TRUE(statutory_running) << shown.DebugString();
  EXPECT_EQ(EventsOfType("ClockResumed").size(), 1u);

  // The same outcome reported again by RPC is recognised as applied, and changes nothing.
  v1::ReportMediationOutcomeRequest report;
  report.set_mediation_id(*agreed_sent.mediation_id);
  report.set_case_id(agreed.case_id);
  report.set_complaint_id(agreed.complaint_id);
  report.set_outcome(type::v1::MEDIATION_OUTCOME_AGREEMENT);
  v1::ReportMediationOutcomeResponse reported;
  ASSERT_TRUE(stub_->ReportMediationOutcome(Call(workflow_key_).get(), report, &reported).ok());
  EXPECT_TRUE(reported.already_applied());
  EXPECT_EQ(reported.case_file().state(), type::v1::CASE_STATE_CLOSED);
  report.set_outcome(type::v1::MEDIATION_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(
      stub_->ReportMediationOutcome(Call(workflow_key_).get(), report, &reported).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(MediationRoundTripTest, EveryOutcomeMovesTheCaseToItsState) {
  StartMediation();
  const std::vector<std::pair<type::v1::MediationOutcome, type::v1::CaseState>> expected = {
      {type::v1::MEDIATION_OUTCOME_AGREEMENT, type::v1::CASE_STATE_CLOSED},
      {type::v1::MEDIATION_OUTCOME_NO_AGREEMENT, type::v1::CASE_STATE_IN_PROGRESS},
      {type::v1::MEDIATION_OUTCOME_WITHDRAWN, type::v1::CASE_STATE_IN_PROGRESS},
      {type::v1::MEDIATION_OUTCOME_INADMISSIBLE, type::v1::CASE_STATE_IN_PROGRESS},
      {type::v1::MEDIATION_OUTCOME_REFERRED, type::v1::CASE_STATE_CLOSED}};
  std::vector<std::string> case_ids;
  for (size_t i = 0; i < expected.size(); ++i) {
    const CaseRecord record = CaseInProgress();
    SendToMediation(record);
    case_ids.push_back(record.case_id);
  }
  MediationRequester requester = Requester(mediation_server_->channel());
  ASSERT_EQ(requester.SendDue().value_or(-1), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    Close(*store_.Get(case_ids[i])->mediation_id, expected[i].first);
  }
  RestartWorkflowConsumer();
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(store_.Get(case_ids[i])->state, expected[i].second)
        << type::v1::MediationOutcome_Name(expected[i].first);
  }
}

}  // namespace
}  // namespace doleances::workflow
