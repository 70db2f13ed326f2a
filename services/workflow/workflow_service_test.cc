// Workflow's routing consumer and case RPCs over real PostgreSQL and a real gRPC port.
#include "services/workflow/workflow_service.h"

#include "services/workflow/workflow_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

class WorkflowServiceTest : public testing::WorkflowTest {
 protected:
  std::string Receive(const std::string& category, const std::string& administration = kLyon) {
    return WorkflowTest::Receive({.category = category, .administration = administration});
  }

  grpc::Status Transition(const std::string& key, const std::string& case_id, int64_t version,
                          type::v1::CaseState target, const std::string& motive,
                          v1::TransitionCaseResponse* response) {
    v1::TransitionCaseRequest request;
    request.set_case_id(case_id);
    request.set_expected_version(version);
    request.set_target_state(target);
    request.set_motive(motive);
    request.set_motive_code(motive.empty() ? "" : "hors-competence");
    return stub_->TransitionCase(Call(key).get(), request, response);
  }
};

TEST_F(WorkflowServiceTest, ReceivedComplaintIsRoutedByRuleOrToTheDefaultQueueOnce) {
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
  const std::string complaint = Receive("voirie", kParis);
  Route();

  absl::StatusOr<CaseRecord> waiting = store_.GetByComplaint(complaint);
  ASSERT_THAT(waiting, IsOk());
  EXPECT_EQ(waiting->state, type::v1::CASE_STATE_RECEIVED);
  EXPECT_FALSE(waiting->queue_id.has_value());
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ComplaintRouted'"), 0);
}

TEST_F(WorkflowServiceTest, SupervisorRejectsWithAMotiveAndTheTransitionIsAnnounced) {
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
  // After ComplaintRouted (1) and the acknowledgement clock's ClockStarted (2).
  EXPECT_EQ(routed.event_version, 2);
  EXPECT_EQ(event.aggregate_version(), routed.event_version + 1);
}

TEST_F(WorkflowServiceTest, StaleVersionIsAbortedAndChangesNothing) {
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

TEST_F(WorkflowServiceTest, TwoReplicasRacingOnAThousandComplaintsRouteEachOnce) {
  constexpr int kComplaints = 1000;
  for (int i = 0; i < kComplaints; ++i) {
    Receive(i % 3 == 0 ? "voirie" : "etat-civil");
  }
  // Two workflow processes: two members of one consumer group on the same log.
  events::EventConsumer first(*pool_, {.group = kWorkflowConsumerGroup}, &ApplyWorkflowEvent);
  events::EventConsumer second(*pool_, {.group = kWorkflowConsumerGroup}, &ApplyWorkflowEvent);
  ASSERT_THAT(first.Register(), IsOk());
  ASSERT_THAT(second.Register(), IsOk());
  const auto drain = [](events::EventConsumer& consumer) {
    const absl::Time deadline = absl::Now() + absl::Seconds(120);
    while (consumer.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
      ASSERT_THAT(consumer.PollOnce(), IsOk());
    }
  };
  std::thread racer([&] { drain(first); });
  drain(second);
  racer.join();

  EXPECT_EQ(Count("SELECT count(*) FROM workflow.cases"), kComplaints);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ComplaintRouted'"),
            kComplaints);
  EXPECT_EQ(Count("SELECT count(DISTINCT aggregate_id) FROM events.event_log WHERE event_type ="
                  " 'ComplaintRouted'"),
            kComplaints);
  // Each case armed its acknowledgement clock once.
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ClockStarted'"),
            kComplaints);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.cases WHERE queue_id = '" +
                  std::string(kRoadsQueue) + "'"),
            (kComplaints + 2) / 3);
}

TEST_F(WorkflowServiceTest, ListCasesPagesTheMostUrgentFirstAndFilters) {
  // Five complaints received 2, 4, 6, 8 and 10 days ago: the acknowledgement clocks fall due in
  // that order, oldest first.
  std::vector<std::string> complaints;
  for (int days : {4, 10, 2, 8, 6}) {
    complaints.push_back(
        WorkflowTest::Receive({.category = days % 4 == 0 ? "voirie" : "etat-civil",
                               .receive_time = absl::Now() - absl::Hours(24 * days)}));
  }
  Route();
  const std::vector<std::string> expected = {complaints[1], complaints[3], complaints[4],
                                             complaints[0], complaints[2]};
  v1::ListCasesRequest request;
  request.set_administration_id(kLyon);
  request.set_page_size(2);
  std::vector<std::string> listed;
  for (int page = 0; page < 5; ++page) {
    v1::ListCasesResponse response;
    ASSERT_TRUE(stub_->ListCases(Call(agent_key_).get(), request, &response).ok());
    for (const v1::Case& listed_case : response.cases()) {
      listed.push_back(listed_case.complaint_id());
      EXPECT_TRUE(listed_case.has_next_due_time());
    }
    if (response.next_page_token().empty()) {
      break;
    }
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(listed, expected);

  // Filters: the roads queue only; cases past due already.
  v1::ListCasesRequest roads;
  roads.set_administration_id(kLyon);
  roads.add_queue_ids(kRoadsQueue);
  v1::ListCasesResponse response;
  ASSERT_TRUE(stub_->ListCases(Call(agent_key_).get(), roads, &response).ok());
  EXPECT_EQ(response.cases_size(), 2);  // 4 and 8 days ago.
  v1::ListCasesRequest overdue;
  overdue.set_administration_id(kLyon);
  overdue.mutable_breaching_within()->set_seconds(0);
  ASSERT_TRUE(stub_->ListCases(Call(agent_key_).get(), overdue, &response).ok());
  EXPECT_EQ(response.cases_size(), 3);  // 6, 8 and 10 days ago: more than 5 business days.

  // A token is bound to its filters; another administration is not the caller's.
  roads.set_page_token(request.page_token());
  EXPECT_EQ(stub_->ListCases(Call(agent_key_).get(), roads, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListCasesRequest paris;
  paris.set_administration_id(kParis);
  EXPECT_EQ(stub_->ListCases(Call(agent_key_).get(), paris, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace doleances::workflow
