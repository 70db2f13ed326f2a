// Hierarchical recourse over real PostgreSQL and gRPC: by a supervisor, and by the timer when a
// policy escalates a breach.
#include "services/workflow/deadline_timer.h"
#include "services/workflow/workflow_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

constexpr char kDirection[] = "55555555-5555-4555-8555-555555555555";
constexpr char kRecoursQueue[] = "66666666-6666-4666-8666-666666666666";

class EscalationTest : public WorkflowTest {
 protected:
  // The Direction générale of Lyon handles its departments' escalations.
  void GiveTheDepartmentAnEscalationQueue() {
    ASSERT_THAT(pool_->Execute(absl::StrCat(
                    "INSERT INTO workflow.departments (department_id, administration_id, name)"
                    " VALUES ('",
                    kDirection, "', '", kLyon,
                    "', 'Direction générale');"
                    "INSERT INTO workflow.queues (queue_id, administration_id, department_id,"
                    " name) VALUES ('",
                    kRecoursQueue, "', '", kLyon, "', '", kDirection,
                    "', 'Recours hiérarchiques');"
                    "UPDATE workflow.departments SET escalation_queue_id = '",
                    kRecoursQueue, "' WHERE department_id = '", kDepartment, "'")),
                IsOk());
  }

  grpc::Status Escalate(const CaseRecord& record, const std::string& motive,
                        v1::EscalateCaseResponse* response) {
    v1::EscalateCaseRequest request;
    request.set_case_id(record.case_id);
    request.set_expected_version(record.version);
    request.set_motive(motive);
    request.set_public_message("Votre dossier est transmis à la Direction générale.");
    return stub_->EscalateCase(Call(supervisor_key_).get(), request, response);
  }
};

TEST_F(EscalationTest, ASupervisorSendsTheCaseToTheHierarchicalAuthority) {
  const CaseRecord record = CaseInProgress();
  v1::EscalateCaseResponse response;
  EXPECT_EQ(Escalate(record, "Recours hiérarchique", &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // No escalation queue yet.
  GiveTheDepartmentAnEscalationQueue();
  const grpc::Status no_motive = Escalate(record, "", &response);
  EXPECT_EQ(no_motive.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_motive.error_message(), HasSubstr("motive"));

  ASSERT_TRUE(Escalate(record, "Recours hiérarchique", &response).ok());
  EXPECT_EQ(response.case_file().state(), type::v1::CASE_STATE_ESCALATED);
  EXPECT_EQ(response.case_file().queue_id(), kRecoursQueue);
  EXPECT_EQ(response.case_file().department_id(), kDirection);
  EXPECT_EQ(response.case_file().escalation_level(), 1);
  EXPECT_TRUE(response.case_file().assignee_id().empty());
  const std::vector<events::v1::Event> escalated = EventsOfType("CaseEscalated");
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_FALSE(escalated[0].case_escalated().automatic());
  EXPECT_EQ(escalated[0].case_escalated().from_department_id(), kDepartment);
  EXPECT_EQ(escalated[0].case_escalated().to_queue_id(), kRecoursQueue);
  EXPECT_EQ(Escalate(record, "Encore", &response).error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(EscalationTest, APolicyEscalatesABreachOnceThroughTheTimer) {
  GiveTheDepartmentAnEscalationQueue();
  v1::SetDeadlinePolicyRequest set;
  v1::DeadlinePolicy* policy = set.mutable_policy();
  policy->set_administration_id(kLyon);
  policy->set_clock(type::v1::CLOCK_KIND_RESOLUTION);
  policy->mutable_spec()->set_amount(2);
  policy->mutable_spec()->set_unit(type::v1::DEADLINE_UNIT_BUSINESS_DAYS);
  policy->set_escalate_on_breach(true);
  v1::SetDeadlinePolicyResponse stored;
  ASSERT_TRUE(stub_->SetDeadlinePolicy(Call(admin_key_).get(), set, &stored).ok());
  const std::string complaint = Receive({.receive_time = absl::Now() - absl::Hours(24 * 21)});
  Route();

  DeadlineTimer timer(*pool_, &absl::Now);
  ASSERT_THAT(timer.FireAllDue(), IsOk());
  const CaseRecord record = *store_.GetByComplaint(complaint);
  EXPECT_EQ(record.state, type::v1::CASE_STATE_ESCALATED);
  EXPECT_EQ(record.queue_id, kRecoursQueue);
  const std::vector<events::v1::Event> escalated = EventsOfType("CaseEscalated");
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_TRUE(escalated[0].case_escalated().automatic());
  EXPECT_EQ(escalated[0].case_escalated().breached_clock(), type::v1::CLOCK_KIND_RESOLUTION);
  // The authority's own resolution clock runs from the escalation; nothing more is due.
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_clocks WHERE clock = 3 AND state = 1"
                  " AND due_time > now()"),
            1);
  EXPECT_EQ(timer.FireAllDue().value_or(-1), 0);
  EXPECT_EQ(EventsOfType("CaseEscalated").size(), 1u);
}

}  // namespace
}  // namespace doleances::workflow
