// Test fixture for workflow over real PostgreSQL and a real gRPC port: migrations, one
// administration (Lyon) with a department, two queues and a rule, keys per role, the service,
// and helpers to publish what intake publishes and run the routing consumer.
#pragma once

#include "common/auth/doleances_auth_migrations.h"
#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/events/doleances_events_migrations.h"
#include "common/events/event_consumer.h"
#include "common/testing/grpc_testing.h"
#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"
#include "common/util/uuid.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/doleances_workflow_migrations.h"
#include "services/workflow/pg_assignment_store.h"
#include "services/workflow/pg_clock_store.h"
#include "services/workflow/pg_organisation_store.h"
#include "services/workflow/pg_routing_rule_store.h"
#include "services/workflow/workflow_event_handler.h"
#include "services/workflow/workflow_permissions.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <memory>
#include <string>
#include <vector>

namespace doleances::workflow::testing {

inline constexpr char kLyon[] = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b";
inline constexpr char kParis[] = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
inline constexpr char kDepartment[] = "11111111-1111-4111-8111-111111111111";
inline constexpr char kRoadsQueue[] = "22222222-2222-4222-8222-222222222222";
inline constexpr char kDefaultQueue[] = "33333333-3333-4333-8333-333333333333";
inline constexpr char kRoadsRule[] = "44444444-4444-4444-8444-444444444444";

// What a published ComplaintReceived says.
struct Received {
  std::string category = "voirie";
  std::string administration = kLyon;
  type::v1::ComplaintKind kind = type::v1::COMPLAINT_KIND_SIGNALEMENT;
  absl::Time receive_time = absl::Now();
  std::string related_complaint;  // The complaint an appeal follows; empty for none.
};

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(pool_, nullptr);
    for (const db::MigrationSet* set :
         {&events::EventsMigrations(), &auth::AuthMigrations(), &WorkflowMigrations()}) {
      ASSERT_THAT(db::ApplyMigrations(*pool_, *set), doleances::testing::IsOk());
    }
    // Lyon: a "voirie" queue chosen by rule, and a default queue for the rest.
    ASSERT_THAT(
        pool_->Execute(absl::StrCat(
            "INSERT INTO workflow.departments VALUES ('", kDepartment, "', '", kLyon,
            "', 'Voirie et propreté');"
            "INSERT INTO workflow.queues VALUES ('",
            kRoadsQueue, "', '", kLyon, "', '", kDepartment, "', 'Chaussée'), ('", kDefaultQueue,
            "', '", kLyon, "', '", kDepartment, "', 'Accueil');",
            "INSERT INTO workflow.default_queues VALUES ('", kLyon, "', '", kDefaultQueue, "')")),
        doleances::testing::IsOk());
    v1::RoutingRule rule;
    rule.set_routing_rule_id(kRoadsRule);
    rule.set_administration_id(kLyon);
    rule.set_name("Voirie");
    rule.set_precedence(10);
    rule.add_categories("voirie");
    rule.set_target_queue_id(kRoadsQueue);
    rule.set_enabled(true);
    ASSERT_THAT(db::RunInTransaction(*pool_, "seed_rule",
                                     [&](pqxx::work& tx) {
                                       const std::string bytes = rule.SerializeAsString();
                                       tx.exec_params(
                                           "INSERT INTO workflow.routing_rules (routing_rule_id,"
                                           " administration_id, precedence, enabled, name, rule)"
                                           " VALUES ($1, $2, 10, true, 'Voirie', $3)",
                                           kRoadsRule, kLyon,
                                           pqxx::binarystring(bytes.data(), bytes.size()));
                                       return absl::OkStatus();
                                     }),
                doleances::testing::IsOk());
    admin_key_ = MakeKey("admin-lyon", {auth::Role::kAdmin}, {kLyon});
    supervisor_key_ = MakeKey("supervisor-lyon", {auth::Role::kSupervisor}, {kLyon});
    agent_key_ = MakeKey("agent-lyon", {auth::Role::kAgent}, {kLyon});
    paris_key_ = MakeKey("supervisor-paris", {auth::Role::kSupervisor}, {kParis});
    service_ = std::make_unique<WorkflowServiceImpl>(authorizer_, store_, notifier_, &absl::Now);
    server_ = std::make_unique<doleances::testing::LocalGrpcServer>(service_.get());
    stub_ = v1::WorkflowService::NewStub(server_->channel());
    ASSERT_THAT(consumer_.Register(), doleances::testing::IsOk());
  }

  std::string MakeKey(const std::string& id, std::vector<auth::Role> roles,
                      std::vector<std::string> administrations) {
    return doleances::testing::IssueTestKey(principals_, id, std::move(roles),
                                            std::move(administrations));
  }

  // A client context calling with `key`, ten seconds to answer.
  static std::unique_ptr<grpc::ClientContext> Call(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context->AddMetadata("authorization", "Bearer " + key);
    return context;
  }

  // Appends what intake appends for a new complaint; returns the complaint id.
  std::string Receive(const Received& what = {}) {
    const std::string complaint_id = util::NewUuid();
    events::v1::Event event;
    event.set_event_id(util::NewUuid());
    event.set_complaint_id(complaint_id);
    event.set_administration_id(what.administration);
    event.set_source(events::v1::EVENT_SOURCE_INTAKE);
    *event.mutable_occur_time() = ToTimestamp(what.receive_time);
    events::v1::ComplaintReceived* received = event.mutable_complaint_received();
    received->set_kind(what.kind);
    received->set_category_hint(what.category);
    received->mutable_territory()->set_commune_code("69387");
    received->set_related_complaint_id(what.related_complaint);
    *received->mutable_receive_time() = ToTimestamp(what.receive_time);
    EXPECT_THAT(db::RunInTransaction(*pool_, "publish",
                                     [&](pqxx::work& tx) {
                                       return events::EventLog::Append(
                                           tx, {complaint_id, "ComplaintReceived",
                                                event.SerializeAsString()});
                                     }),
                doleances::testing::IsOk());
    return complaint_id;
  }

  // Runs the routing consumer until it has nothing left.
  void Route() {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (consumer_.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
      ASSERT_THAT(consumer_.PollOnce(), doleances::testing::IsOk());
    }
  }

  // A complaint of `kind` received, routed and taken in hand by the supervisor: IN_PROGRESS.
  CaseRecord CaseInProgress(
      type::v1::ComplaintKind kind = type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX) {
    const std::string complaint = Receive({.kind = kind});
    Route();
    const CaseRecord routed = *store_.GetByComplaint(complaint);
    v1::TransitionCaseRequest request;
    request.set_case_id(routed.case_id);
    request.set_expected_version(routed.version);
    v1::TransitionCaseResponse response;
    for (type::v1::CaseState step :
         {type::v1::CASE_STATE_ASSIGNED, type::v1::CASE_STATE_IN_PROGRESS}) {
      request.set_target_state(step);
      EXPECT_TRUE(stub_->TransitionCase(Call(supervisor_key_).get(), request, &response).ok());
      request.set_expected_version(response.case_file().version());
    }
    return *store_.Get(routed.case_id);
  }

  int64_t Count(const std::string& sql) {
    absl::StatusOr<int64_t> count = db::RunInTransaction(*pool_, "count", [&](pqxx::work& tx) {
      return absl::StatusOr<int64_t>(tx.exec1(sql)[0].as<int64_t>());
    });
    return count.value_or(-1);
  }

  // Events of `type` in the log, parsed, in commit order.
  std::vector<events::v1::Event> EventsOfType(const std::string& type) {
    std::vector<events::v1::Event> found;
    EXPECT_THAT(db::RunInTransaction(
                    *pool_, "read_events",
                    [&](pqxx::work& tx) {
                      for (const pqxx::row& row :
                           tx.exec_params("SELECT payload FROM events.event_log WHERE"
                                          " event_type = $1 ORDER BY id",
                                          type)) {
                        found.emplace_back().ParseFromString(pqxx::binarystring(row[0]).str());
                      }
                      return absl::OkStatus();
                    }),
                doleances::testing::IsOk());
    return found;
  }

  doleances::testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_ = database_.MakePool(
      {.prepare_hooks = {
           &events::EventLog::PrepareStatements, &events::EventConsumer::PrepareStatements,
           &auth::PrincipalStore::PrepareStatements, &PgCaseStore::PrepareStatements,
           &PgClockStore::PrepareStatements, &PgOrganisationStore::PrepareStatements,
           &PgRoutingRuleStore::PrepareStatements, &PgAssignmentStore::PrepareStatements}});
  auth::PrincipalStore principals_{*pool_};
  auth::Authorizer authorizer_{principals_, WorkflowPermissions(), {}};
  PgCaseStore store_{*pool_};
  events::CommitNotifier notifier_{*pool_};
  events::EventConsumer consumer_{*pool_, {.group = kWorkflowConsumerGroup}, &ApplyWorkflowEvent};
  std::unique_ptr<WorkflowServiceImpl> service_;
  std::unique_ptr<doleances::testing::LocalGrpcServer> server_;
  std::unique_ptr<v1::WorkflowService::Stub> stub_;
  std::string admin_key_;
  std::string supervisor_key_;
  std::string agent_key_;
  std::string paris_key_;
};

}  // namespace doleances::workflow::testing
