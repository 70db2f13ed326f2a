#include "tools/doleancesctl/rules_command.h"

#include "doleances/workflow/v1/workflow_service.grpc.pb.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_split.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <sstream>

namespace doleances::cli {
namespace {

using workflow::v1::WorkflowService;

constexpr char kUsage[] =
    "rules list|create|update|disable|enable|default-queue|preview ... (see rules_command.h)";

std::unique_ptr<WorkflowService::Stub> WorkflowStub(const Invocation& invocation) {
  return WorkflowService::NewStub(OpenChannel(invocation, ServiceAddress(invocation, "workflow")));
}

int Usage(std::ostream& out) {
  out << "usage: doleancesctl " << kUsage << "\n";
  return 2;
}

// Reads --file as a RoutingRule in proto JSON; false (and a message) if it cannot.
bool ReadRule(const Invocation& invocation, workflow::v1::RoutingRule& rule, std::ostream& out) {
  const std::string file = invocation.Option("file", "", "");
  std::ifstream input(file);
  std::stringstream json;
  json << input.rdbuf();
  if (file.empty() || !input ||
      !google::protobuf::util::JsonStringToMessage(json.str(), &rule).ok()) {
    out << "error: --file must name a RoutingRule in proto JSON\n";
    return false;
  }
  return true;
}

int64_t Version(const Invocation& invocation) {
  int64_t version = 0;
  return absl::SimpleAtoi(invocation.Option("version", "", "0"), &version) ? version : -1;
}

int RunList(const Invocation& invocation, std::ostream& out) {
  workflow::v1::ListRoutingRulesRequest request;
  request.set_administration_id(invocation.Option("administration", "", ""));
  request.set_include_disabled(invocation.Option("all", "", "false") == "true");
  request.set_page_size(500);
  workflow::v1::ListRoutingRulesResponse response;
  return Report(
      WorkflowStub(invocation)->ListRoutingRules(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunCreate(const Invocation& invocation, std::ostream& out) {
  workflow::v1::CreateRoutingRuleRequest request;
  if (!ReadRule(invocation, *request.mutable_routing_rule(), out)) {
    return 2;
  }
  workflow::v1::CreateRoutingRuleResponse response;
  return Report(WorkflowStub(invocation)
                    ->CreateRoutingRule(CallContext(invocation).get(), request, &response),
                response, out);
}

int RunUpdate(const Invocation& invocation, std::ostream& out) {
  workflow::v1::UpdateRoutingRuleRequest request;
  if (!ReadRule(invocation, *request.mutable_routing_rule(), out)) {
    return 2;
  }
  for (absl::string_view path :
       absl::StrSplit(invocation.Option("mask", "", ""), ',', absl::SkipEmpty())) {
    request.mutable_update_mask()->add_paths(std::string(path));
  }
  workflow::v1::UpdateRoutingRuleResponse response;
  return Report(WorkflowStub(invocation)
                    ->UpdateRoutingRule(CallContext(invocation).get(), request, &response),
                response, out);
}

int RunSetEnabled(const Invocation& invocation, bool enabled, std::ostream& out) {
  if (invocation.words.size() != 3) {
    return Usage(out);
  }
  if (enabled) {
    workflow::v1::EnableRoutingRuleRequest request;
    request.set_routing_rule_id(invocation.words[2]);
    request.set_expected_version(Version(invocation));
    workflow::v1::EnableRoutingRuleResponse response;
    return Report(WorkflowStub(invocation)
                      ->EnableRoutingRule(CallContext(invocation).get(), request, &response),
                  response, out);
  }
  workflow::v1::DisableRoutingRuleRequest request;
  request.set_routing_rule_id(invocation.words[2]);
  request.set_expected_version(Version(invocation));
  workflow::v1::DisableRoutingRuleResponse response;
  return Report(WorkflowStub(invocation)
                    ->DisableRoutingRule(CallContext(invocation).get(), request, &response),
                response, out);
}

int RunDefaultQueue(const Invocation& invocation, std::ostream& out) {
  workflow::v1::SetDefaultQueueRequest request;
  request.set_administration_id(invocation.Option("administration", "", ""));
  request.set_queue_id(invocation.Option("queue", "", ""));
  workflow::v1::SetDefaultQueueResponse response;
  return Report(
      WorkflowStub(invocation)->SetDefaultQueue(CallContext(invocation).get(), request, &response),
      response, out);
}

// The candidate described by the options.
workflow::v1::RouteCandidate CandidateOf(const Invocation& invocation) {
  workflow::v1::RouteCandidate candidate;
  type::v1::ComplaintKind kind = type::v1::COMPLAINT_KIND_UNSPECIFIED;
  type::v1::ComplaintKind_Parse("COMPLAINT_KIND_" + invocation.Option("kind", "", ""), &kind);
  candidate.set_kind(kind);
  type::v1::Priority priority = type::v1::PRIORITY_UNSPECIFIED;
  type::v1::Priority_Parse("PRIORITY_" + invocation.Option("priority", "", ""), &priority);
  candidate.set_priority(priority);
  candidate.set_category_hint(invocation.Option("category", "", ""));
  candidate.mutable_territory()->set_commune_code(invocation.Option("commune", "", ""));
  candidate.mutable_territory()->set_department_code(invocation.Option("department", "", ""));
  candidate.set_subject(invocation.Option("subject", "", ""));
  candidate.set_description(invocation.Option("description", "", ""));
  return candidate;
}

int RunPreview(const Invocation& invocation, std::ostream& out) {
  workflow::v1::PreviewRouteRequest request;
  request.set_administration_id(invocation.Option("administration", "", ""));
  if (const std::string complaint = invocation.Option("complaint", "", ""); !complaint.empty()) {
    request.set_complaint_id(complaint);  // A stored complaint, read from intake.
  } else {
    *request.mutable_candidate() = CandidateOf(invocation);
  }
  workflow::v1::PreviewRouteResponse response;
  return Report(
      WorkflowStub(invocation)->PreviewRoute(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunRules(const Invocation& invocation, std::ostream& out) {
  const std::string action = invocation.words.size() > 1 ? invocation.words[1] : "";
  if (action == "list") {
    return RunList(invocation, out);
  }
  if (action == "create") {
    return RunCreate(invocation, out);
  }
  if (action == "update") {
    return RunUpdate(invocation, out);
  }
  if (action == "disable" || action == "enable") {
    return RunSetEnabled(invocation, action == "enable", out);
  }
  if (action == "default-queue") {
    return RunDefaultQueue(invocation, out);
  }
  if (action == "preview") {
    return RunPreview(invocation, out);
  }
  return Usage(out);
}

}  // namespace

Command RulesCommand() { return {kUsage, &RunRules}; }

}  // namespace doleances::cli
