// Workflow's routing consumer and case RPCs over real PostgreSQL and a real gRPC port.
#include "services/workflow/workflow_service.h"

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
#include "services/workflow/workflow_event_handler.h"
#include "services/workflow/workflow_permissions.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;

constexpr char kLyon[] = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b";
constexpr char kParis[] = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

class WorkflowServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(pool_, nullptr);
    for (const db::MigrationSet* set :
         {&events::EventsMigrations(), &auth::AuthMigrations(), &WorkflowMigrations()}) {
      ASSERT_THAT(db::ApplyMigrations(*pool_, *set), IsOk());
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
        IsOk());
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
                                           " administration_id, precedence, enabled, rule)"
                                           " VALUES ($1, $2, 10, true, $3)",
                                           kRoadsRule, kLyon,
                                           pqxx::binarystring(bytes.data(), bytes.size()));
                                       return absl::OkStatus();
                                     }),
                IsOk());
    supervisor_key_ = MakeKey("supervisor-lyon", {auth::Role::kSupervisor}, {kLyon});
    agent_key_ = MakeKey("agent-lyon", {auth::Role::kAgent}, {kLyon});
    paris_key_ = MakeKey("supervisor-paris", {auth::Role::kSupervisor}, {kParis});
    service_ = std::make_unique<WorkflowServiceImpl>(authorizer_, store_, notifier_, &absl::Now);
    server_ = std::make_unique<testing::LocalGrpcServer>(service_.get());
    stub_ = v1::WorkflowService::NewStub(server_->channel());
  }

  std::string MakeKey(const std::string& id, std::vector<auth::Role> roles,
                      std::vector<std::string> administrations) {
    return testing::IssueTestKey(principals_, id, std::move(roles), std::move(administrations));
  }

  // Appends what intake appends for a new complaint.
  std::string Receive(const std::string& category, const std::string& administration = kLyon) {
    const std::string complaint_id = util::NewUuid();
    events::v1::Event event;
    event.set_event_id(util::NewUuid());
    event.set_complaint_id(complaint_id);
    event.set_administration_id(administration);
    event.set_source(events::v1::EVENT_SOURCE_INTAKE);
    *event.mutable_occur_time() = ToTimestamp(absl::Now());
    events::v1::ComplaintReceived* received = event.mutable_complaint_received();
    received->set_kind(type::v1::COMPLAINT_KIND_SIGNALEMENT);
    received->set_category_hint(category);
    received->mutable_territory()->set_commune_code("69387");
    *received->mutable_receive_time() = ToTimestamp(absl::Now());
    EXPECT_THAT(db::RunInTransaction(*pool_, "publish",
                                     [&](pqxx::work& tx) {
                                       return events::EventLog::Append(
                                           tx, {complaint_id, "ComplaintReceived",
                                                event.SerializeAsString()});
                                     }),
                IsOk());
    return complaint_id;
  }

  // Runs the routing consumer until it has nothing left.
  void Route() {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (consumer_.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
      ASSERT_THAT(consumer_.PollOnce(), IsOk());
    }
  }

  int64_t Count(const std::string& sql) {
    absl::StatusOr<int64_t> count = db::RunInTransaction(*pool_, "count", [&](pqxx::work& tx) {
      return absl::StatusOr<int64_t>(tx.exec1(sql)[0].as<int64_t>());
    });
    return count.value_or(-1);
  }

  grpc::Status Transition(const std::string& key, const std::string& case_id, int64_t version,
                          type::v1::CaseState target, const std::string& motive,
                          v1::TransitionCaseResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", "Bearer " + key);
    v1::TransitionCaseRequest request;
    request.set_case_id(case_id);
    request.set_expected_version(version);
    request.set_target_state(target);
    request.set_motive(motive);
    request.set_motive_code(motive.empty() ? "" : "hors-competence");
    return stub_->TransitionCase(&context, request, response);
  }

  static constexpr char kDepartment[] = "11111111-1111-4111-8111-111111111111";
  static constexpr char kRoadsQueue[] = "22222222-2222-4222-8222-222222222222";
  static constexpr char kDefaultQueue[] = "33333333-3333-4333-8333-333333333333";
  static constexpr char kRoadsRule[] = "44444444-4444-4444-8444-444444444444";

  testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_ = database_.MakePool(
      {.prepare_hooks = {
           &events::EventLog::PrepareStatements, &events::EventConsumer::PrepareStatements,
           &auth::PrincipalStore::PrepareStatements, &PgCaseStore::PrepareStatements}});
  auth::PrincipalStore principals_{*pool_};
  auth::Authorizer authorizer_{principals_, WorkflowPermissions(), {}};
  PgCaseStore store_{*pool_};
  events::CommitNotifier notifier_{*pool_};
  events::EventConsumer consumer_{*pool_, {.group = kWorkflowConsumerGroup}, &ApplyWorkflowEvent};
  std::unique_ptr<WorkflowServiceImpl> service_;
  std::unique_ptr<testing::LocalGrpcServer> server_;
  std::unique_ptr<v1::WorkflowService::Stub> stub_;
  std::string supervisor_key_;
  std::string agent_key_;
  std::string paris_key_;
};

TEST_F(WorkflowServiceTest, ReceivedComplaintIsRoutedByRuleOrToTheDefaultQueueOnce) {
  ASSERT_THAT(consumer_.Register(), IsOk());
  const std::string roads = Receive("voirie");
  const std::string other = Receive("etat-civil");
  Route();

  absl::StatusOr<CaseRecord> routed = store_.GetByComplaint(roads);
  ASSERT_THAT(routed, IsOk());
  EXPECT_EQ(routed->state, type::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(routed->queue_id, kRoadsQueue);
  EXPECT_EQ(routed->routing_rule_id, kRoadsRule);
  absl::StatusOr<CaseRecord> fallback = store_.GetByComplaint(other);
  ASSERT_THAT(fallback, IsOk());
  EXPECT_EQ(fallback->queue_id, kDefaultQueue);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ComplaintRouted'"), 2);

  // A redelivered ComplaintReceived (a second consumer group replaying the log) changes nothing.
  events::EventConsumer replay(*pool_, {.group = "workflow-replay"}, &ApplyWorkflowEvent);
  ASSERT_THAT(replay.Register(), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (replay.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
    ASSERT_THAT(replay.PollOnce(), IsOk());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.cases"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ComplaintRouted'"), 2);
}

TEST_F(WorkflowServiceTest, WithoutRuleOrDefaultQueueTheCaseWaitsUnrouted) {
  ASSERT_THAT(consumer_.Register(), IsOk());
  const std::string complaint = Receive("voirie", kParis);
  Route();

  absl::StatusOr<CaseRecord> waiting = store_.GetByComplaint(complaint);
  ASSERT_THAT(waiting, IsOk());
  EXPECT_EQ(waiting->state, type::v1::CASE_STATE_RECEIVED);
  EXPECT_FALSE(waiting->queue_id.has_value());
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ComplaintRouted'"), 0);
}

TEST_F(WorkflowServiceTest, SupervisorRejectsWithAMotiveAndTheTransitionIsAnnounced) {
  ASSERT_THAT(consumer_.Register(), IsOk());
  const std::string complaint = Receive("voirie");
  Route();
  const CaseRecord routed = *store_.GetByComplaint(complaint);
  v1::TransitionCaseResponse response;

  ASSERT_TRUE(Transition(supervisor_key_, routed.case_id, routed.version,
                         type::v1::CASE_STATE_REJECTED, "Relève de la métropole", &response)
                  .ok());
  EXPECT_EQ(response.case_file().state(), type::v1::CASE_STATE_REJECTED);
  EXPECT_EQ(response.case_file().version(), routed.version + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'CaseTransitioned'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_history"), 2);
  absl::StatusOr<std::string> payload =
      db::RunInTransaction(*pool_, "read_event", [&](pqxx::work& tx) {
        return absl::StatusOr<std::string>(
            pqxx::binarystring(tx.exec1("SELECT payload FROM events.event_log WHERE event_type ="
                                        " 'CaseTransitioned'")[0])
                .str());
      });
  ASSERT_THAT(payload, IsOk());
  events::v1::Event event;
  ASSERT_TRUE(event.ParseFromString(*payload));
  EXPECT_EQ(event.case_transitioned().from_state(), type::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(event.case_transitioned().to_state(), type::v1::CASE_STATE_REJECTED);
  EXPECT_EQ(event.aggregate_version(), routed.version + 1);
}

TEST_F(WorkflowServiceTest, StaleVersionIsAbortedAndChangesNothing) {
  ASSERT_THAT(consumer_.Register(), IsOk());
  const std::string complaint = Receive("voirie");
  Route();
  const CaseRecord routed = *store_.GetByComplaint(complaint);
  v1::TransitionCaseResponse response;

  EXPECT_EQ(Transition(supervisor_key_, routed.case_id, routed.version + 5,
                       type::v1::CASE_STATE_REJECTED, "motif", &response)
                .error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(store_.Get(routed.case_id)->state, type::v1::CASE_STATE_ROUTED);
}

TEST_F(WorkflowServiceTest, ForbiddenOrIncompleteTransitionsAreRefusedPrecisely) {
  ASSERT_THAT(consumer_.Register(), IsOk());
  const std::string complaint = Receive("voirie");
  Route();
  const CaseRecord routed = *store_.GetByComplaint(complaint);
  v1::TransitionCaseResponse response;

  grpc::Status closed = Transition(supervisor_key_, routed.case_id, routed.version,
                                   type::v1::CASE_STATE_CLOSED, "", &response);
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(closed.error_message(), HasSubstr("CASE_STATE_ROUTED"));
  grpc::Status no_motive = Transition(supervisor_key_, routed.case_id, routed.version,
                                      type::v1::CASE_STATE_REJECTED, "", &response);
  EXPECT_EQ(no_motive.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_motive.error_message(), HasSubstr("motive"));
  EXPECT_EQ(Transition(agent_key_, routed.case_id, routed.version, type::v1::CASE_STATE_REJECTED,
                       "motif", &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Transition(paris_key_, routed.case_id, routed.version, type::v1::CASE_STATE_REJECTED,
                       "motif", &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_history"), 1);
}

}  // namespace
}  // namespace doleances::workflow
