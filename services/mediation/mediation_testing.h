// Test fixture for mediation over real PostgreSQL and a real gRPC port: migrations, keys per
// role (workflow, Lyon's admin and agent, Paris's agent, mediators Alice and Bob), the service,
// and helpers to open, admit and inspect mediations and their events.
#pragma once

#include "common/auth/doleances_auth_migrations.h"
#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/events/doleances_events_migrations.h"
#include "common/testing/grpc_testing.h"
#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"
#include "common/util/proto_time.h"
#include "common/util/uuid.h"
#include "services/mediation/doleances_mediation_migrations.h"
#include "services/mediation/mediation_permissions.h"
#include "services/mediation/mediation_service.h"

#include <absl/time/clock.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <memory>
#include <string>
#include <vector>

namespace doleances::mediation::testing {

using ::doleances::testing::IsOk;

inline constexpr char kLyon[] = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b";
inline constexpr char kParis[] = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
inline constexpr char kRoads[] = "11111111-1111-4111-8111-111111111111";

class MediationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(pool_, nullptr);
    for (const db::MigrationSet* set :
         {&events::EventsMigrations(), &auth::AuthMigrations(), &MediationMigrations()}) {
      ASSERT_THAT(db::ApplyMigrations(*pool_, *set), IsOk());
    }
    workflow_key_ = Key("workflow", {auth::Role::kService}, {"*"});
    admin_key_ = Key("admin-lyon", {auth::Role::kAdmin}, {kLyon});
    agent_key_ = Key("agent-lyon", {auth::Role::kAgent}, {kLyon});
    paris_agent_key_ = Key("agent-paris", {auth::Role::kAgent}, {kParis});
    alice_key_ = Key("mediator-alice", {auth::Role::kMediator}, {kLyon});
    bob_key_ = Key("mediator-bob", {auth::Role::kMediator}, {kLyon});
    service_ = std::make_unique<MediationServiceImpl>(authorizer_, mediations_, mediators_,
                                                      metrics_, notifier_, &absl::Now);
    server_ = std::make_unique<::doleances::testing::LocalGrpcServer>(service_.get());
    stub_ = v1::MediationService::NewStub(server_->channel());
  }

  std::string Key(const std::string& id, std::vector<auth::Role> roles,
                  std::vector<std::string> administrations) {
    return ::doleances::testing::IssueTestKey(principals_, id, std::move(roles),
                                              std::move(administrations));
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    context->AddMetadata("authorization", "Bearer " + key);
    return context;
  }

  // Registers a mediator for Lyon through the RPC; its id.
  std::string CreateMediator(const std::string& principal_id,
                             std::vector<std::string> conflict_departments = {}) {
    v1::CreateMediatorRequest request;
    v1::Mediator* mediator = request.mutable_mediator();
    mediator->add_administration_ids(kLyon);
    mediator->set_principal_id(principal_id);
    mediator->set_display_name("Médiateur " + principal_id);
    mediator->set_capacity(10);
    for (const std::string& department : conflict_departments) {
      mediator->add_conflict_department_ids(department);
    }
    v1::CreateMediatorResponse response;
    EXPECT_TRUE(stub_->CreateMediator(Context(admin_key_).get(), request, &response).ok());
    return response.mediator().mediator_id();
  }

  v1::OpenMediationRequest OpenRequest(const std::string& complaint_id) {
    v1::OpenMediationRequest request;
    request.set_complaint_id(complaint_id);
    request.set_case_id(util::NewUuid());
    request.set_administration_id(kLyon);
    request.set_kind(type::v1::COMPLAINT_KIND_DEMANDE_MEDIATION);
    request.set_category("voirie");
    request.mutable_territory()->set_commune_code("69387");
    request.set_requested_by(type::v1::MEDIATION_PARTY_CITIZEN);
    request.set_case_summary("Contestation d'une amende de stationnement");
    request.set_disputed_department_id(kRoads);
    return request;
  }

  grpc::Status Open(const v1::OpenMediationRequest& request, v1::OpenMediationResponse* response) {
    return stub_->OpenMediation(Context(workflow_key_).get(), request, response);
  }

  // Opens a mediation (assigned automatically) and admits it as its mediator `key`.
  v1::Mediation OpenAdmitted(const std::string& key) {
    v1::OpenMediationResponse opened;
    EXPECT_TRUE(Open(OpenRequest(util::NewUuid()), &opened).ok());
    v1::DecideAdmissibilityRequest request = Decision(opened.mediation().mediation_id(), true);
    v1::DecideAdmissibilityResponse decided;
    const grpc::Status status = stub_->DecideAdmissibility(Context(key).get(), request, &decided);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return decided.mediation();
  }

  static v1::DecideAdmissibilityRequest Decision(const std::string& mediation_id, bool admissible) {
    v1::DecideAdmissibilityRequest request;
    request.set_mediation_id(mediation_id);
    request.set_decision(admissible ? v1::ADMISSIBILITY_DECISION_ADMISSIBLE
                                    : v1::ADMISSIBILITY_DECISION_INADMISSIBLE);
    for (int criterion = 1; criterion < type::v1::AdmissibilityCriterion_ARRAYSIZE; ++criterion) {
      v1::CriterionAssessment* assessment = request.add_assessments();
      assessment->set_criterion(static_cast<type::v1::AdmissibilityCriterion>(criterion));
      const bool satisfied = admissible || criterion != 2;
      assessment->set_satisfied(satisfied);
      if (!satisfied) {
        assessment->set_note("Demande manifestement infondée");
      }
    }
    if (!admissible) {
      request.set_motive("La demande est manifestement infondée");
    }
    return request;
  }

  static v1::ScheduleSessionRequest SessionAt(const std::string& mediation_id, absl::Time start) {
    v1::ScheduleSessionRequest request;
    request.set_mediation_id(mediation_id);
    v1::Session* session = request.mutable_session();
    *session->mutable_start_time() = util::ToTimestamp(start);
    session->set_time_zone("Europe/Paris");
    session->mutable_duration()->set_seconds(3600);
    session->set_place_address("Mairie du 7e, salle 2");
    for (type::v1::MediationParty party :
         {type::v1::MEDIATION_PARTY_CITIZEN, type::v1::MEDIATION_PARTY_ADMINISTRATION}) {
      v1::Participant* participant = session->add_participants();
      participant->set_party(party);
      participant->set_role(v1::PARTICIPANT_ROLE_PARTY);
    }
    return request;
  }

  int64_t Count(const std::string& sql) {
    absl::StatusOr<int64_t> count = db::RunInTransaction(*pool_, "count", [&](pqxx::work& tx) {
      return absl::StatusOr<int64_t>(tx.exec1(sql)[0].as<int64_t>());
    });
    return count.value_or(-1);
  }

  // The events of `type` about `mediation_id`, in log order.
  std::vector<events::v1::Event> EventsOf(const std::string& type,
                                          const std::string& mediation_id) {
    std::vector<events::v1::Event> found;
    EXPECT_THAT(
        db::RunInTransaction(*pool_, "read_events",
                             [&](pqxx::work& tx) {
                               for (const pqxx::row& row : tx.exec_params(
                                        "SELECT payload FROM events.event_log WHERE event_type = $1"
                                        " ORDER BY id",
                                        type)) {
                                 events::v1::Event event;
                                 event.ParseFromString(pqxx::binarystring(row[0]).str());
                                 if (event.record_id() == mediation_id) {
                                   found.push_back(event);
                                 }
                               }
                               return absl::OkStatus();
                             }),
        IsOk());
    return found;
  }

  ::doleances::testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_ = database_.MakePool(
      {.size = 16,
       .prepare_hooks = {
           &events::EventLog::PrepareStatements, &auth::PrincipalStore::PrepareStatements,
           &PgMediationStore::PrepareStatements, &PgMediatorStore::PrepareStatements}});
  auth::PrincipalStore principals_{*pool_};
  auth::Authorizer authorizer_{principals_, MediationPermissions(), {}};
  PgMediationStore mediations_{*pool_};
  PgMediatorStore mediators_{*pool_};
  prometheus::Registry registry_;
  MediationMetrics metrics_{registry_};
  events::CommitNotifier notifier_{*pool_};
  std::unique_ptr<MediationServiceImpl> service_;
  std::unique_ptr<::doleances::testing::LocalGrpcServer> server_;
  std::unique_ptr<v1::MediationService::Stub> stub_;
  std::string workflow_key_, admin_key_, agent_key_, paris_agent_key_, alice_key_, bob_key_;
};

}  // namespace doleances::mediation::testing
