// Helpers over WorkflowTest for the organisation, routing-rule and assignment tests: create
// records through the RPCs, and shape cases directly in the database.
#pragma once

#include "services/workflow/workflow_testing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace doleances::workflow::testing {

class OrganisationTest : public WorkflowTest {
 protected:
  // An agent of kDepartment working for Lyon, created by the admin; fails the test otherwise.
  v1::Agent CreateAgent(const std::string& principal_id, int capacity,
                        std::vector<std::string> categories = {},
                        v1::AgentRole role = v1::AGENT_ROLE_AGENT) {
    v1::CreateAgentRequest request;
    v1::Agent* agent = request.mutable_agent();
    agent->set_administration_id(kLyon);
    agent->set_principal_id(principal_id);
    agent->set_display_name(absl::StrCat("Agent ", principal_id));
    agent->set_role(role);
    agent->add_department_ids(kDepartment);
    agent->set_capacity(capacity);
    for (const std::string& category : categories) {
      agent->add_categories(category);
    }
    v1::CreateAgentResponse response;
    const grpc::Status status = stub_->CreateAgent(Call(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.agent();
  }

  // A routed "voirie" case of Lyon; returns it as stored.
  CaseRecord RoutedCase(type::v1::Priority priority = type::v1::PRIORITY_NORMAL) {
    const std::string complaint = Receive();
    Route();
    absl::StatusOr<CaseRecord> record = store_.GetByComplaint(complaint);
    EXPECT_TRUE(record.ok()) << record.status();
    if (priority != type::v1::PRIORITY_NORMAL) {
      Exec(absl::StrCat("UPDATE workflow.cases SET priority = ", static_cast<int>(priority),
                        " WHERE case_id = '", record->case_id, "'"));
    }
    return *record;
  }

  // Gives `agent` `count` open cases of their own (ASSIGNED), as load.
  void GiveOpenCases(const v1::Agent& agent, int count) {
    for (int i = 0; i < count; ++i) {
      const CaseRecord record = RoutedCase();
      Exec(absl::StrCat("UPDATE workflow.cases SET state = 3, assignee_id = '", agent.agent_id(),
                        "' WHERE case_id = '", record.case_id, "'"));
    }
  }

  void Exec(const std::string& sql) {
    ASSERT_THAT(pool_->Execute(sql), doleances::testing::IsOk());
  }
};

}  // namespace doleances::workflow::testing
