// Routing-rule RPCs over real PostgreSQL and gRPC: precedence and name uniqueness among enabled
// rules, versioned updates, pages, the default queue, PreviewRoute's explanation, and a created
// rule routing the next complaint.
#include "services/workflow/organisation_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

class RoutingRulesTest : public OrganisationTest {
 protected:
  static v1::RoutingRule Rule(const std::string& name, int precedence) {
    v1::RoutingRule rule;
    rule.set_administration_id(kLyon);
    rule.set_name(name);
    rule.set_precedence(precedence);
    rule.set_target_queue_id(kDefaultQueue);
    return rule;
  }

  grpc::Status Create(const v1::RoutingRule& rule, v1::RoutingRule* created = nullptr) {
    v1::CreateRoutingRuleRequest request;
    *request.mutable_routing_rule() = rule;
    v1::CreateRoutingRuleResponse response;
    grpc::Status status = stub_->CreateRoutingRule(Call(admin_key_).get(), request, &response);
    if (created != nullptr) {
      *created = response.routing_rule();
    }
    return status;
  }
};

TEST_F(RoutingRulesTest, CreatedRuleIsEnabledAtVersionOne) {
  v1::RoutingRule created;
  ASSERT_TRUE(Create(Rule("Propreté", 20), &created).ok());

  EXPECT_FALSE(created.routing_rule_id().empty());
  EXPECT_TRUE(created.enabled());
  EXPECT_EQ(created.version(), 1);
  EXPECT_TRUE(created.has_create_time());
}

TEST_F(RoutingRulesTest, EnabledRulesShareNeitherPrecedenceNorName) {
  const grpc::Status same_precedence = Create(Rule("Autre", 10));  // The seeded rule's.
  const grpc::Status same_name = Create(Rule("Voirie", 11));

  EXPECT_EQ(same_precedence.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(same_precedence.error_message(), HasSubstr("precedence 10"));
  EXPECT_THAT(same_precedence.error_message(), HasSubstr(kRoadsRule));
  EXPECT_EQ(same_name.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(same_name.error_message(), HasSubstr("name 'Voirie'"));
}

TEST_F(RoutingRulesTest, DisabledRuleFreesItsPrecedenceAndCannotBeEnabledOverItsSuccessor) {
  v1::DisableRoutingRuleRequest disable;
  disable.set_routing_rule_id(kRoadsRule);
  v1::DisableRoutingRuleResponse disabled;
  ASSERT_TRUE(stub_->DisableRoutingRule(Call(admin_key_).get(), disable, &disabled).ok());
  EXPECT_FALSE(disabled.routing_rule().enabled());
  ASSERT_TRUE(Create(Rule("Voirie bis", 10)).ok());

  v1::EnableRoutingRuleRequest enable;
  enable.set_routing_rule_id(kRoadsRule);
  v1::EnableRoutingRuleResponse enabled;
  const grpc::Status status = stub_->EnableRoutingRule(Call(admin_key_).get(), enable, &enabled);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr("precedence 10"));
}

TEST_F(RoutingRulesTest, UpdateNeedsTheCurrentVersionAndBumpsIt) {
  v1::RoutingRule created;
  ASSERT_TRUE(Create(Rule("Propreté", 20), &created).ok());
  v1::UpdateRoutingRuleRequest request;
  *request.mutable_routing_rule() = created;
  request.mutable_routing_rule()->set_precedence(30);
  request.mutable_update_mask()->add_paths("precedence");
  v1::UpdateRoutingRuleResponse updated;
  ASSERT_TRUE(stub_->UpdateRoutingRule(Call(admin_key_).get(), request, &updated).ok());

  v1::UpdateRoutingRuleResponse stale;
  const grpc::Status status = stub_->UpdateRoutingRule(Call(admin_key_).get(), request, &stale);

  EXPECT_EQ(updated.routing_rule().precedence(), 30);
  EXPECT_EQ(updated.routing_rule().version(), 2);
  EXPECT_EQ(updated.routing_rule().name(), "Propreté");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(status.error_message(), HasSubstr("version 2, not 1"));
}

TEST_F(RoutingRulesTest, UpdateRefusesImmutableFieldsAndClashes) {
  v1::RoutingRule created;
  ASSERT_TRUE(Create(Rule("Propreté", 20), &created).ok());
  v1::UpdateRoutingRuleRequest request;
  *request.mutable_routing_rule() = created;
  request.mutable_update_mask()->add_paths("administration_id");
  v1::UpdateRoutingRuleResponse response;
  const grpc::Status immutable =
      stub_->UpdateRoutingRule(Call(admin_key_).get(), request, &response);
  request.mutable_update_mask()->Clear();
  request.mutable_routing_rule()->set_precedence(10);
  const grpc::Status clash = stub_->UpdateRoutingRule(Call(admin_key_).get(), request, &response);

  EXPECT_EQ(immutable.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(immutable.error_message(), HasSubstr("update_mask"));
  EXPECT_EQ(clash.error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(RoutingRulesTest, InvalidRulesAndForeignQueuesAreInvalidArguments) {
  const grpc::Status unnamed = Create(Rule("", 20));
  v1::RoutingRule elsewhere = Rule("Ailleurs", 20);
  elsewhere.set_target_queue_id("99999999-9999-4999-8999-999999999999");
  const grpc::Status foreign = Create(elsewhere);
  v1::RoutingRule paris = Rule("Paris", 20);
  paris.set_administration_id(kParis);
  const grpc::Status other_administration = Create(paris);

  EXPECT_EQ(unnamed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(unnamed.error_message(), HasSubstr("name"));
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(foreign.error_message(), HasSubstr("routing_rule.target_queue_id"));
  EXPECT_EQ(other_administration.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RoutingRulesTest, ListPagesByPrecedenceWithTheDefaultQueue) {
  ASSERT_TRUE(Create(Rule("Trois", 30)).ok());
  ASSERT_TRUE(Create(Rule("Un", 1)).ok());
  ASSERT_TRUE(Create(Rule("Vingt", 20)).ok());
  v1::ListRoutingRulesRequest request;
  request.set_administration_id(kLyon);
  request.set_page_size(3);
  std::vector<std::string> names;
  v1::ListRoutingRulesResponse first;
  ASSERT_TRUE(stub_->ListRoutingRules(Call(supervisor_key_).get(), request, &first).ok());
  request.set_page_token(first.next_page_token());
  v1::ListRoutingRulesResponse second;
  ASSERT_TRUE(stub_->ListRoutingRules(Call(supervisor_key_).get(), request, &second).ok());
  for (const auto* page : {&first, &second}) {
    for (const v1::RoutingRule& rule : page->routing_rules()) {
      names.push_back(rule.name());
    }
  }

  EXPECT_THAT(names, ElementsAre("Un", "Voirie", "Vingt", "Trois"));
  EXPECT_EQ(first.default_queue_id(), kDefaultQueue);
  EXPECT_FALSE(first.next_page_token().empty());
  EXPECT_TRUE(second.next_page_token().empty());
  v1::ListRoutingRulesResponse refused;
  EXPECT_EQ(stub_->ListRoutingRules(Call(paris_key_).get(), request, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RoutingRulesTest, SetDefaultQueueTakesOnlyAQueueOfTheAdministration) {
  v1::SetDefaultQueueRequest request;
  request.set_administration_id(kLyon);
  request.set_queue_id(kRoadsQueue);
  v1::SetDefaultQueueResponse response;
  ASSERT_TRUE(stub_->SetDefaultQueue(Call(admin_key_).get(), request, &response).ok());
  v1::ListRoutingRulesRequest list;
  list.set_administration_id(kLyon);
  v1::ListRoutingRulesResponse listed;
  ASSERT_TRUE(stub_->ListRoutingRules(Call(admin_key_).get(), list, &listed).ok());
  request.set_queue_id("99999999-9999-4999-8999-999999999999");

  EXPECT_EQ(listed.default_queue_id(), kRoadsQueue);
  EXPECT_EQ(stub_->SetDefaultQueue(Call(admin_key_).get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RoutingRulesTest, PreviewRouteExplainsAnAccentInsensitiveKeywordMatch) {
  v1::RoutingRule pruning = Rule("Élagage", 5);
  pruning.add_keywords("elagage");
  pruning.set_target_queue_id(kRoadsQueue);
  pruning.set_assign_category("espaces-verts");
  v1::RoutingRule created;
  ASSERT_TRUE(Create(pruning, &created).ok());
  v1::PreviewRouteRequest request;
  request.set_administration_id(kLyon);
  v1::RouteCandidate* candidate = request.mutable_candidate();
  candidate->set_kind(type::v1::COMPLAINT_KIND_SIGNALEMENT);
  candidate->set_category_hint("proprete");
  candidate->set_subject("Demande d'ÉLAGAGE des platanes");
  v1::PreviewRouteResponse response;

  ASSERT_TRUE(stub_->PreviewRoute(Call(agent_key_).get(), request, &response).ok());

  EXPECT_EQ(response.method(), type::v1::ROUTE_METHOD_RULE);
  EXPECT_EQ(response.routing_rule_id(), created.routing_rule_id());
  EXPECT_EQ(response.queue_id(), kRoadsQueue);
  EXPECT_EQ(response.department_id(), kDepartment);
  EXPECT_EQ(response.category(), "espaces-verts");
  ASSERT_EQ(response.rule_evaluations_size(), 1);
  EXPECT_TRUE(response.rule_evaluations(0).matched());
  EXPECT_THAT(response.rule_evaluations(0).matched_keywords(), ElementsAre("elagage"));
  EXPECT_THAT(response.explanation(), HasSubstr("Élagage"));
}

TEST_F(RoutingRulesTest, PreviewRouteFallsBackToTheDefaultQueueAndSaysWhy) {
  v1::PreviewRouteRequest request;
  request.set_administration_id(kLyon);
  request.mutable_candidate()->set_kind(type::v1::COMPLAINT_KIND_RECLAMATION);
  request.mutable_candidate()->set_category_hint("etat-civil");
  v1::PreviewRouteResponse response;

  ASSERT_TRUE(stub_->PreviewRoute(Call(agent_key_).get(), request, &response).ok());

  EXPECT_EQ(response.method(), type::v1::ROUTE_METHOD_DEFAULT_QUEUE);
  EXPECT_EQ(response.queue_id(), kDefaultQueue);
  ASSERT_EQ(response.rule_evaluations_size(), 1);
  EXPECT_FALSE(response.rule_evaluations(0).matched());
  EXPECT_FALSE(response.explanation().empty());
  // A stored complaint is read from intake; this server was given no intake client.
  request.set_complaint_id("99999999-9999-4999-8999-999999999999");
  EXPECT_EQ(stub_->PreviewRoute(Call(agent_key_).get(), request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  request.set_complaint_id("not-a-uuid");
  EXPECT_EQ(stub_->PreviewRoute(Call(agent_key_).get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RoutingRulesTest, CreatedRuleRoutesTheNextReceivedComplaint) {
  v1::RoutingRule rhone = Rule("Propreté Rhône", 5);
  rhone.add_categories("proprete");
  rhone.add_territory_prefixes("69");
  rhone.set_target_queue_id(kRoadsQueue);
  v1::RoutingRule created;
  ASSERT_TRUE(Create(rhone, &created).ok());

  const std::string complaint = WorkflowTest::Receive({.category = "proprete"});
  Route();

  absl::StatusOr<CaseRecord> routed = store_.GetByComplaint(complaint);
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->queue_id, kRoadsQueue);
  EXPECT_EQ(routed->routing_rule_id, created.routing_rule_id());
}

}  // namespace
}  // namespace doleances::workflow
