// Departments, queues and agents over real PostgreSQL and gRPC: versioned updates (ABORTED),
// uniqueness (ALREADY_EXISTS) and scoping to the caller's administrations.
#include "services/workflow/organisation_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

class OrganisationRpcsTest : public OrganisationTest {
 protected:
  grpc::Status CreateDepartment(const std::string& key, const std::string& administration,
                                const std::string& name, v1::Department* created = nullptr) {
    v1::CreateDepartmentRequest request;
    request.mutable_department()->set_administration_id(administration);
    request.mutable_department()->set_name(name);
    v1::CreateDepartmentResponse response;
    grpc::Status status = stub_->CreateDepartment(Call(key).get(), request, &response);
    if (created != nullptr) {
      *created = response.department();
    }
    return status;
  }

  grpc::Status CreateQueue(const std::string& department, const std::string& name,
                           v1::Queue* created = nullptr) {
    v1::CreateQueueRequest request;
    request.mutable_queue()->set_department_id(department);
    request.mutable_queue()->set_name(name);
    v1::CreateQueueResponse response;
    grpc::Status status = stub_->CreateQueue(Call(admin_key_).get(), request, &response);
    if (created != nullptr) {
      *created = response.queue();
    }
    return status;
  }
};

TEST_F(OrganisationRpcsTest, DepartmentNamesAreUniqueInTheAdministration) {
  v1::Department created;
  ASSERT_TRUE(CreateDepartment(admin_key_, kLyon, "Urbanisme", &created).ok());
  const grpc::Status duplicate = CreateDepartment(admin_key_, kLyon, "Urbanisme");
  const std::string paris_admin = MakeKey("admin-paris", {auth::Role::kAdmin}, {kParis});

  EXPECT_TRUE(created.active());
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(duplicate.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(duplicate.error_message(), HasSubstr("'Urbanisme'"));
  EXPECT_TRUE(CreateDepartment(paris_admin, kParis, "Urbanisme").ok());
  EXPECT_EQ(CreateDepartment(paris_admin, kLyon, "Sports").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(OrganisationRpcsTest, DepartmentUpdateIsVersionedAndScoped) {
  v1::Department created;
  ASSERT_TRUE(CreateDepartment(admin_key_, kLyon, "Urbanisme", &created).ok());
  v1::UpdateDepartmentRequest request;
  *request.mutable_department() = created;
  request.mutable_department()->set_name("Urbanisme et habitat");
  request.mutable_department()->set_parent_department_id(kDepartment);
  v1::UpdateDepartmentResponse updated;
  ASSERT_TRUE(stub_->UpdateDepartment(Call(admin_key_).get(), request, &updated).ok());
  v1::UpdateDepartmentResponse response;
  const grpc::Status stale = stub_->UpdateDepartment(Call(admin_key_).get(), request, &response);
  const std::string paris_admin = MakeKey("admin-paris", {auth::Role::kAdmin}, {kParis});
  *request.mutable_department() = updated.department();
  const grpc::Status foreign = stub_->UpdateDepartment(Call(paris_admin).get(), request, &response);
  request.mutable_department()->set_name("Voirie et propreté");
  const grpc::Status renamed_onto =
      stub_->UpdateDepartment(Call(admin_key_).get(), request, &response);

  EXPECT_EQ(updated.department().name(), "Urbanisme et habitat");
  EXPECT_EQ(updated.department().parent_department_id(), kDepartment);
  EXPECT_EQ(updated.department().version(), 2);
  EXPECT_TRUE(updated.department().active());  // Not in an empty mask.
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(renamed_onto.error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(OrganisationRpcsTest, ListDepartmentsByNameHidesInactiveOnes) {
  v1::Department archived;
  ASSERT_TRUE(CreateDepartment(admin_key_, kLyon, "Archives", &archived).ok());
  ASSERT_TRUE(CreateDepartment(admin_key_, kLyon, "Culture").ok());
  v1::UpdateDepartmentRequest deactivate;
  *deactivate.mutable_department() = archived;
  deactivate.mutable_department()->set_active(false);
  deactivate.mutable_update_mask()->add_paths("active");
  v1::UpdateDepartmentResponse deactivated;
  ASSERT_TRUE(stub_->UpdateDepartment(Call(admin_key_).get(), deactivate, &deactivated).ok());
  v1::ListDepartmentsRequest request;
  request.set_administration_id(kLyon);
  v1::ListDepartmentsResponse active;
  ASSERT_TRUE(stub_->ListDepartments(Call(agent_key_).get(), request, &active).ok());
  request.set_include_inactive(true);
  v1::ListDepartmentsResponse all;
  ASSERT_TRUE(stub_->ListDepartments(Call(agent_key_).get(), request, &all).ok());

  std::vector<std::string> active_names;
  for (const v1::Department& department : active.departments()) {
    active_names.push_back(department.name());
  }
  EXPECT_THAT(active_names, ElementsAre("Culture", "Voirie et propreté"));
  EXPECT_EQ(all.departments_size(), 3);
  EXPECT_FALSE(deactivated.department().active());
}

TEST_F(OrganisationRpcsTest, QueueNamesAreUniqueInTheirDepartment) {
  v1::Department other;
  ASSERT_TRUE(CreateDepartment(admin_key_, kLyon, "Urbanisme", &other).ok());
  v1::Queue created;
  ASSERT_TRUE(CreateQueue(kDepartment, "Trottoirs", &created).ok());

  EXPECT_EQ(created.administration_id(), kLyon);
  EXPECT_TRUE(created.active());
  EXPECT_EQ(CreateQueue(kDepartment, "Trottoirs").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(CreateQueue(other.department_id(), "Trottoirs").ok());
  EXPECT_EQ(CreateQueue("99999999-9999-4999-8999-999999999999", "Trottoirs").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrganisationRpcsTest, QueueUpdateIsVersionedAndListShowsOpenCases) {
  const CaseRecord routed = RoutedCase();
  v1::ListQueuesRequest list;
  list.set_administration_id(kLyon);
  list.set_department_id(kDepartment);
  v1::ListQueuesResponse listed;
  ASSERT_TRUE(stub_->ListQueues(Call(agent_key_).get(), list, &listed).ok());
  ASSERT_EQ(listed.queues_size(), 2);
  const v1::Queue roads = listed.queues(1);  // "Accueil", then "Chaussée".
  v1::UpdateQueueRequest request;
  *request.mutable_queue() = roads;
  request.mutable_queue()->set_auto_assign(true);
  request.mutable_update_mask()->add_paths("auto_assign");
  v1::UpdateQueueResponse updated;
  ASSERT_TRUE(stub_->UpdateQueue(Call(admin_key_).get(), request, &updated).ok());
  v1::UpdateQueueResponse response;

  EXPECT_EQ(roads.queue_id(), kRoadsQueue);
  EXPECT_EQ(roads.open_case_count(), 1);
  EXPECT_TRUE(updated.queue().auto_assign());
  EXPECT_EQ(updated.queue().name(), "Chaussée");
  EXPECT_EQ(updated.queue().version(), 2);
  EXPECT_EQ(stub_->UpdateQueue(Call(admin_key_).get(), request, &response).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(routed.queue_id, kRoadsQueue);
}

TEST_F(OrganisationRpcsTest, AgentPrincipalsAreUnique) {
  const v1::Agent created = CreateAgent("agent-lyon", 10, {"voirie"});
  v1::CreateAgentRequest again;
  *again.mutable_agent() = created;
  v1::CreateAgentResponse response;
  const grpc::Status duplicate = stub_->CreateAgent(Call(admin_key_).get(), again, &response);
  again.mutable_agent()->set_principal_id("agent-2");
  again.mutable_agent()->add_queue_ids("99999999-9999-4999-8999-999999999999");
  const grpc::Status foreign_queue = stub_->CreateAgent(Call(admin_key_).get(), again, &response);

  EXPECT_TRUE(created.active());
  EXPECT_EQ(created.version(), 1);
  EXPECT_THAT(created.categories(), ElementsAre("voirie"));
  EXPECT_EQ(duplicate.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(duplicate.error_message(), HasSubstr("agent-lyon"));
  EXPECT_EQ(foreign_queue.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(foreign_queue.error_message(), HasSubstr("agent.queue_ids[0]"));
}

TEST_F(OrganisationRpcsTest, SupervisorsChangeOnlyCapacityAbsencesAndQueuesOfTheirAgents) {
  CreateAgent("supervisor-lyon", 0, {}, v1::AGENT_ROLE_SUPERVISOR);
  const v1::Agent agent = CreateAgent("agent-lyon", 10);
  v1::UpdateAgentRequest request;
  *request.mutable_agent() = agent;
  request.mutable_agent()->set_capacity(3);
  request.mutable_update_mask()->add_paths("capacity");
  v1::UpdateAgentResponse updated;
  ASSERT_TRUE(stub_->UpdateAgent(Call(supervisor_key_).get(), request, &updated).ok());
  v1::UpdateAgentResponse response;
  const grpc::Status stale = stub_->UpdateAgent(Call(supervisor_key_).get(), request, &response);
  *request.mutable_agent() = updated.agent();
  request.mutable_update_mask()->add_paths("display_name");
  const grpc::Status renaming = stub_->UpdateAgent(Call(supervisor_key_).get(), request, &response);

  EXPECT_EQ(updated.agent().capacity(), 3);
  EXPECT_EQ(updated.agent().version(), 2);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(renaming.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(OrganisationRpcsTest, ListAgentsFiltersByRoleAndQueue) {
  CreateAgent("supervisor-lyon", 0, {}, v1::AGENT_ROLE_SUPERVISOR);
  CreateAgent("agent-lyon", 10);
  v1::ListAgentsRequest request;
  request.set_administration_id(kLyon);
  request.set_role(v1::AGENT_ROLE_AGENT);
  request.set_queue_id(kRoadsQueue);
  v1::ListAgentsResponse agents;
  ASSERT_TRUE(stub_->ListAgents(Call(admin_key_).get(), request, &agents).ok());
  v1::ListAgentsResponse refused;

  ASSERT_EQ(agents.agents_size(), 1);
  EXPECT_EQ(agents.agents(0).principal_id(), "agent-lyon");
  EXPECT_EQ(stub_->ListAgents(Call(paris_key_).get(), request, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace doleances::workflow
