// AssignCase, ClaimNextCase and automatic assignment on routing over real PostgreSQL and gRPC.
#include "services/workflow/organisation_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace doleances::workflow {
namespace {

using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

class AssignmentTest : public OrganisationTest {
 protected:
  grpc::Status Assign(const CaseRecord& record, const std::string& agent_id,
                      const std::string& reason, v1::AssignCaseResponse* response) {
    v1::AssignCaseRequest request;
    request.set_case_id(record.case_id);
    request.set_expected_version(record.version);
    request.set_agent_id(agent_id);
    request.set_reason(reason);
    return stub_->AssignCase(Call(supervisor_key_).get(), request, response);
  }

  // Claims with `key` until nothing waits; returns the case ids claimed, in order.
  std::vector<std::string> ClaimAll(const std::string& key) {
    std::vector<std::string> claimed;
    for (;;) {
      v1::ClaimNextCaseResponse response;
      const grpc::Status status =
          stub_->ClaimNextCase(Call(key).get(), v1::ClaimNextCaseRequest(), &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok() || !response.has_case_file()) {
        return claimed;
      }
      claimed.push_back(response.case_file().case_id());
    }
  }

  void SetNextDue(const CaseRecord& record, const std::string& due) {
    Exec(absl::StrCat("UPDATE workflow.cases SET next_due_time = ", due, " WHERE case_id = '",
                      record.case_id, "'"));
  }
};

TEST_F(AssignmentTest, AutomaticAssignmentPicksTheLeastLoadedQualifiedAgentPresent) {
  const v1::Agent busy = CreateAgent("busy", 12, {"voirie"});
  const v1::Agent light = CreateAgent("light", 12);
  const v1::Agent unqualified = CreateAgent("unqualified", 12, {"etat-civil"});
  const v1::Agent full = CreateAgent("full", 1);
  const v1::Agent away = CreateAgent("away", 12);
  GiveOpenCases(busy, 4);
  GiveOpenCases(light, 3);
  GiveOpenCases(full, 1);
  v1::UpdateAgentRequest absence;
  *absence.mutable_agent() = away;
  absence.mutable_agent()->add_absences()->mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now() - absl::Hours(1)));
  absence.mutable_update_mask()->add_paths("absences");
  v1::UpdateAgentResponse absent;
  ASSERT_TRUE(stub_->UpdateAgent(Call(admin_key_).get(), absence, &absent).ok());
  const CaseRecord routed = RoutedCase();
  v1::AssignCaseResponse response;

  ASSERT_TRUE(Assign(routed, "", "", &response).ok());

  EXPECT_EQ(response.case_file().assignee_id(), light.agent_id());
  EXPECT_EQ(response.case_file().state(), type::v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(response.method(), type::v1::ASSIGNMENT_METHOD_AUTOMATIC);
  EXPECT_EQ(response.reason(), "least loaded qualified agent: 3 of 12 open (2 qualified of 5)");
  const std::vector<events::v1::Event> assigned = EventsOfType("CaseAssigned");
  ASSERT_EQ(assigned.size(), 1u);
  EXPECT_EQ(assigned[0].case_assigned().agent_id(), light.agent_id());
  EXPECT_EQ(assigned[0].case_assigned().method(), type::v1::ASSIGNMENT_METHOD_AUTOMATIC);
  EXPECT_EQ(assigned[0].case_assigned().department_id(), kDepartment);
  const std::vector<CaseHistoryEntry> history = *store_.History(routed.case_id);
  EXPECT_EQ(history.back().to_state, type::v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(history.back().internal_note, response.reason());
}

TEST_F(AssignmentTest, AutomaticAssignmentWithNobodyQualifiedIsFailedPrecondition) {
  CreateAgent("unqualified", 12, {"etat-civil"});
  const CaseRecord routed = RoutedCase();
  v1::AssignCaseResponse response;

  const grpc::Status status = Assign(routed, "", "", &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("not qualified for category 'voirie'"));
}

TEST_F(AssignmentTest, ManualAssignmentNeedsAReasonAQualifiedAgentAndTheCurrentVersion) {
  const v1::Agent specialist = CreateAgent("specialist", 12, {"etat-civil"});
  const v1::Agent agent = CreateAgent("agent-lyon", 12);
  const CaseRecord routed = RoutedCase();
  v1::AssignCaseResponse response;

  EXPECT_EQ(Assign(routed, agent.agent_id(), "", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Assign(routed, specialist.agent_id(), "renfort", &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Assign(routed, agent.agent_id(), "connaît le quartier", &response).ok());
  EXPECT_EQ(response.method(), type::v1::ASSIGNMENT_METHOD_MANUAL);
  EXPECT_EQ(response.case_file().assignee_id(), agent.agent_id());
  EXPECT_EQ(Assign(routed, agent.agent_id(), "encore", &response).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(AssignmentTest, ASupervisorReassignsAnAssignedCaseInPlace) {
  const v1::Agent first = CreateAgent("agent-lyon", 12);
  const v1::Agent second = CreateAgent("agent-lyon-2", 12);
  const CaseRecord routed = RoutedCase();
  v1::AssignCaseResponse assigned;
  ASSERT_TRUE(Assign(routed, first.agent_id(), "premier arrivé", &assigned).ok());
  const CaseRecord after_first = *store_.Get(routed.case_id);

  EXPECT_EQ(Assign(after_first, first.agent_id(), "encore lui", &assigned).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::AssignCaseResponse reassigned;
  const grpc::Status status = Assign(after_first, second.agent_id(), "congé maladie", &reassigned);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reassigned.case_file().state(), type::v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(reassigned.case_file().assignee_id(), second.agent_id());
  const std::vector<events::v1::Event> events = EventsOfType("CaseAssigned");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].case_assigned().agent_id(), second.agent_id());
  EXPECT_EQ(events[1].case_assigned().previous_agent_id(), first.agent_id());
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM workflow.case_history WHERE case_id = '",
                               routed.case_id,
                               "' AND entry_type = ", v1::CASE_HISTORY_ENTRY_TYPE_ASSIGNED,
                               " AND internal_note = 'congé maladie'")),
            1);
}

TEST_F(AssignmentTest, ClaimNextCaseHandsOutTheMostUrgentCaseFirst) {
  CreateAgent("agent-lyon", 0);
  const CaseRecord later = RoutedCase();
  const CaseRecord sooner = RoutedCase();
  const CaseRecord undated_urgent = RoutedCase(type::v1::PRIORITY_URGENT);
  const CaseRecord undated_normal = RoutedCase();
  SetNextDue(later, "now() + interval '5 days'");
  SetNextDue(sooner, "now() + interval '1 day'");
  SetNextDue(undated_urgent, "NULL");
  SetNextDue(undated_normal, "NULL");

  EXPECT_EQ(ClaimAll(agent_key_),
            (std::vector<std::string>{sooner.case_id, later.case_id, undated_urgent.case_id,
                                      undated_normal.case_id}));
  EXPECT_EQ(EventsOfType("CaseAssigned").back().case_assigned().method(),
            type::v1::ASSIGNMENT_METHOD_CLAIMED);
}

TEST_F(AssignmentTest, TheAgentWhoClaimedACaseWorksOnIt) {
  const v1::Agent agent = CreateAgent("agent-lyon", 0);
  RoutedCase();
  v1::ClaimNextCaseResponse claimed;
  ASSERT_TRUE(
      stub_->ClaimNextCase(Call(agent_key_).get(), v1::ClaimNextCaseRequest(), &claimed).ok());
  v1::TransitionCaseRequest start;
  start.set_case_id(claimed.case_file().case_id());
  start.set_expected_version(claimed.case_file().version());
  start.set_target_state(type::v1::CASE_STATE_IN_PROGRESS);
  v1::TransitionCaseResponse started;

  const grpc::Status status = stub_->TransitionCase(Call(agent_key_).get(), start, &started);

  EXPECT_EQ(claimed.case_file().assignee_id(), agent.agent_id());
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(started.case_file().state(), type::v1::CASE_STATE_IN_PROGRESS);
}

TEST_F(AssignmentTest, ClaimNextCaseNeedsAnAgentRecordAndOwnQueues) {
  v1::ClaimNextCaseResponse response;
  const grpc::Status unregistered =
      stub_->ClaimNextCase(Call(agent_key_).get(), v1::ClaimNextCaseRequest(), &response);
  CreateAgent("agent-lyon", 0);
  v1::ClaimNextCaseRequest foreign;
  foreign.add_queue_ids("99999999-9999-4999-8999-999999999999");
  const grpc::Status not_mine = stub_->ClaimNextCase(Call(agent_key_).get(), foreign, &response);

  EXPECT_EQ(unregistered.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(not_mine.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AssignmentTest, ConcurrentClaimersNeverGetTheSameCase) {
  CreateAgent("agent-lyon", 0);
  CreateAgent("agent-2", 0);
  const std::string second_key = MakeKey("agent-2", {auth::Role::kAgent}, {kLyon});
  for (int i = 0; i < 20; ++i) {
    WorkflowTest::Receive();
  }
  Route();
  std::vector<std::string> first;
  std::vector<std::string> second;

  std::thread one([&] { first = ClaimAll(agent_key_); });
  std::thread two([&] { second = ClaimAll(second_key); });
  one.join();
  two.join();

  std::set<std::string> distinct(first.begin(), first.end());
  distinct.insert(second.begin(), second.end());
  EXPECT_EQ(first.size() + second.size(), 20u);
  EXPECT_EQ(distinct.size(), 20u);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.cases WHERE state = 3"), 20);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'CaseAssigned'"), 20);
}

TEST_F(AssignmentTest, AutoAssignQueueAssignsNewCasesOnRouting) {
  const v1::Agent agent = CreateAgent("agent-lyon", 5);
  Exec(absl::StrCat("UPDATE workflow.queues SET auto_assign = true WHERE queue_id = '", kRoadsQueue,
                    "'"));

  const std::string complaint = WorkflowTest::Receive();
  Route();

  const CaseRecord record = *store_.GetByComplaint(complaint);
  EXPECT_EQ(record.state, type::v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(record.assignee_id, agent.agent_id());
  ASSERT_EQ(EventsOfType("CaseAssigned").size(), 1u);
  EXPECT_EQ(EventsOfType("CaseAssigned")[0].case_assigned().method(),
            type::v1::ASSIGNMENT_METHOD_AUTOMATIC);
}

}  // namespace
}  // namespace doleances::workflow
