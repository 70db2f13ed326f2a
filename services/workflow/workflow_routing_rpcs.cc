// WorkflowService RPCs of routing rules: create, update, disable, enable, list, the default queue
// and PreviewRoute. A rule's target queue must be an active queue of the rule's administration:
// another administration's queue (or none) is INVALID_ARGUMENT, like any wrong field value, and
// does not reveal whether the id exists elsewhere; an inactive queue of the administration is
// FAILED_PRECONDITION (activate it first).
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/util/uuid.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/pg_organisation_store.h"
#include "services/workflow/pg_routing_rule_store.h"
#include "services/workflow/routing.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

constexpr size_t kMaxDescriptionCharacters = 1000;
constexpr size_t kMaxSubjectCharacters = 200;
constexpr size_t kMaxDescriptionBytes = 65536;

// Fields UpdateRoutingRule may replace (administration_id is immutable, the rest output only).
const std::vector<std::string>& MutableRulePaths() {
  static const auto* const paths = new std::vector<std::string>{"name",
                                                                "description",
                                                                "precedence",
                                                                "kinds",
                                                                "categories",
                                                                "territory_prefixes",
                                                                "keywords",
                                                                "priorities",
                                                                "target_queue_id",
                                                                "assign_category",
                                                                "assign_priority"};
  return *paths;
}

grpc::Status Fail(const absl::Status& status) { return common::ToGrpcStatus(status); }

// What ValidateRule does not check: the administration, the description, assign_priority, and
// the UUID form of the target queue. Field names are prefixed with "routing_rule.".
std::vector<common::FieldViolation> RuleViolations(const v1::RoutingRule& rule) {
  std::vector<common::FieldViolation> violations;
  CheckUuid("routing_rule.administration_id", rule.administration_id(), true, violations);
  if (absl::Status valid = ValidateRule(RuleFromProto(rule)); !valid.ok()) {
    violations.push_back({"routing_rule", std::string(valid.message())});
  } else {
    CheckUuid("routing_rule.target_queue_id", rule.target_queue_id(), true, violations);
  }
  if (CountCharacters(rule.description()) > kMaxDescriptionCharacters) {
    violations.push_back({"routing_rule.description", "must be at most 1,000 characters"});
  }
  if (!type::v1::Priority_IsValid(rule.assign_priority())) {
    violations.push_back({"routing_rule.assign_priority", "must be a known priority"});
  }
  return violations;
}

// `queue_id` as the target of something of `administration_id` (see the file comment).
absl::Status CheckTargetQueue(pqxx::transaction_base& tx, const std::string& administration_id,
                              const std::string& queue_id, const std::string& field) {
  const std::optional<v1::Queue> queue = PgOrganisationStore::FindQueue(tx, queue_id);
  if (!queue.has_value() || queue->administration_id() != administration_id) {
    return common::InvalidArguments(
        {{field,
          absl::StrCat("no queue of administration ", administration_id, " has id ", queue_id)}});
  }
  if (!queue->active()) {
    return absl::FailedPreconditionError(absl::StrCat("queue ", queue_id, " is inactive"));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status WorkflowServiceImpl::CreateRoutingRule(grpc::ServerContext* context,
                                                    const v1::CreateRoutingRuleRequest* request,
                                                    v1::CreateRoutingRuleResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "CreateRoutingRule");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  v1::RoutingRule rule = request->routing_rule();
  if (std::vector<common::FieldViolation> violations = RuleViolations(rule); !violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, rule.administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  rule.set_routing_rule_id(util::NewUuid());
  rule.set_enabled(true);
  const absl::Time now = clock_();
  absl::StatusOr<v1::RoutingRule> created = db::RunInTransaction(
      store_.pool(), "workflow_create_routing_rule",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::RoutingRule> {
        RETURN_IF_ERROR(CheckTargetQueue(tx, rule.administration_id(), rule.target_queue_id(),
                                         "routing_rule.target_queue_id"));
        RETURN_IF_ERROR(PgRoutingRuleStore::CheckNoClash(tx, rule));
        return PgRoutingRuleStore::Insert(tx, rule, now);
      });
  if (!created.ok()) {
    return Fail(created.status());
  }
  *response->mutable_routing_rule() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::UpdateRoutingRule(grpc::ServerContext* context,
                                                    const v1::UpdateRoutingRuleRequest* request,
                                                    v1::UpdateRoutingRuleResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "UpdateRoutingRule");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const v1::RoutingRule& requested = request->routing_rule();
  std::vector<common::FieldViolation> violations;
  CheckUuid("routing_rule.routing_rule_id", requested.routing_rule_id(), true, violations);
  if (requested.version() <= 0) {
    violations.push_back({"routing_rule.version", "is required (the version you read)"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::RoutingRule> updated = db::RunInTransaction(
      store_.pool(), "workflow_update_routing_rule",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::RoutingRule> {
        std::optional<v1::RoutingRule> stored =
            PgRoutingRuleStore::Lock(tx, requested.routing_rule_id());
        RETURN_IF_ERROR(CheckStoredVersion(stored, *caller->principal, "routing rule",
                                           requested.routing_rule_id(), requested.version()));
        v1::RoutingRule rule = *stored;
        RETURN_IF_ERROR(
            ApplyUpdateMask(requested, request->update_mask(), MutableRulePaths(), rule));
        if (std::vector<common::FieldViolation> invalid = RuleViolations(rule); !invalid.empty()) {
          return common::InvalidArguments(invalid);
        }
        RETURN_IF_ERROR(CheckTargetQueue(tx, rule.administration_id(), rule.target_queue_id(),
                                         "routing_rule.target_queue_id"));
        RETURN_IF_ERROR(PgRoutingRuleStore::CheckNoClash(tx, rule));
        return PgRoutingRuleStore::Update(tx, rule, now);
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  *response->mutable_routing_rule() = *std::move(updated);
  return grpc::Status::OK;
}

absl::StatusOr<v1::RoutingRule> WorkflowServiceImpl::SetRoutingRuleEnabled(
    const auth::Principal& caller, const std::string& routing_rule_id, int64_t expected_version,
    bool enabled) {
  std::vector<common::FieldViolation> violations;
  CheckUuid("routing_rule_id", routing_rule_id, true, violations);
  if (expected_version < 0) {
    violations.push_back({"expected_version", "must be the version you read, or 0"});
  }
  if (!violations.empty()) {
    return common::InvalidArguments(violations);
  }
  const absl::Time now = clock_();
  return db::RunInTransaction(
      store_.pool(), enabled ? "workflow_enable_routing_rule" : "workflow_disable_routing_rule",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::RoutingRule> {
        std::optional<v1::RoutingRule> stored = PgRoutingRuleStore::Lock(tx, routing_rule_id);
        RETURN_IF_ERROR(
            CheckStoredVersion(stored, caller, "routing rule", routing_rule_id, expected_version));
        if (stored->enabled() == enabled) {
          return *stored;  // Already so: nothing to record.
        }
        v1::RoutingRule rule = *stored;
        rule.set_enabled(enabled);
        RETURN_IF_ERROR(PgRoutingRuleStore::CheckNoClash(tx, rule));
        return PgRoutingRuleStore::Update(tx, rule, now);
      });
}

grpc::Status WorkflowServiceImpl::DisableRoutingRule(grpc::ServerContext* context,
                                                     const v1::DisableRoutingRuleRequest* request,
                                                     v1::DisableRoutingRuleResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "DisableRoutingRule");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  absl::StatusOr<v1::RoutingRule> rule = SetRoutingRuleEnabled(
      *caller->principal, request->routing_rule_id(), request->expected_version(), false);
  if (!rule.ok()) {
    return Fail(rule.status());
  }
  *response->mutable_routing_rule() = *std::move(rule);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::EnableRoutingRule(grpc::ServerContext* context,
                                                    const v1::EnableRoutingRuleRequest* request,
                                                    v1::EnableRoutingRuleResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "EnableRoutingRule");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  absl::StatusOr<v1::RoutingRule> rule = SetRoutingRuleEnabled(
      *caller->principal, request->routing_rule_id(), request->expected_version(), true);
  if (!rule.ok()) {
    return Fail(rule.status());
  }
  *response->mutable_routing_rule() = *std::move(rule);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListRoutingRules(grpc::ServerContext* context,
                                                   const v1::ListRoutingRulesRequest* request,
                                                   v1::ListRoutingRulesResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListRoutingRules");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  CheckUuid("administration_id", request->administration_id(), true, violations);
  const ListWindow window = PageWindow(request->page_size(), request->page_token(), violations);
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  absl::Status listed = db::RunInTransaction(
      store_.pool(), "workflow_list_routing_rules", [&](pqxx::work& tx) -> absl::Status {
        std::vector<v1::RoutingRule> rules = PgRoutingRuleStore::List(
            tx, request->administration_id(), request->include_disabled(), window);
        response->set_next_page_token(TrimPage(rules, window));
        for (v1::RoutingRule& rule : rules) {
          *response->add_routing_rules() = std::move(rule);
        }
        response->set_default_queue_id(
            PgCaseStore::LoadRoutingConfig(tx, request->administration_id())
                .default_queue_id.value_or(""));
        return absl::OkStatus();
      });
  return Fail(listed);
}

grpc::Status WorkflowServiceImpl::SetDefaultQueue(grpc::ServerContext* context,
                                                  const v1::SetDefaultQueueRequest* request,
                                                  v1::SetDefaultQueueResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SetDefaultQueue");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  CheckUuid("administration_id", request->administration_id(), true, violations);
  CheckUuid("queue_id", request->queue_id(), true, violations);
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  const absl::Time now = clock_();
  absl::Status set = db::RunInTransaction(
      store_.pool(), "workflow_set_default_queue", [&](pqxx::work& tx) -> absl::Status {
        RETURN_IF_ERROR(
            CheckTargetQueue(tx, request->administration_id(), request->queue_id(), "queue_id"));
        PgRoutingRuleStore::SetDefaultQueue(tx, request->administration_id(), request->queue_id(),
                                            now);
        return absl::OkStatus();
      });
  if (!set.ok()) {
    return Fail(set);
  }
  response->set_administration_id(request->administration_id());
  response->set_queue_id(request->queue_id());
  *response->mutable_update_time() = ToTimestamp(now);
  return grpc::Status::OK;
}

absl::StatusOr<RouteInput> WorkflowServiceImpl::StoredComplaintInput(
    const auth::Principal& caller, const std::string& complaint_id) {
  if (texts_ == nullptr) {
    return absl::FailedPreconditionError(
        "this server reads no complaint from intake: describe it as a candidate");
  }
  absl::StatusOr<ComplaintText> text = texts_->Text(complaint_id);
  if (!text.ok()) {
    return text.status();
  }
  if (!caller.MayAccessAdministration(text->administration_id)) {
    return absl::NotFoundError(absl::StrCat("complaint ", complaint_id, " not found"));
  }
  RouteInput input;
  input.kind = text->kind;
  input.category = text->category_hint;
  input.commune_code = text->commune_code;
  input.department_code = text->department_code;
  input.subject = std::move(text->subject);
  input.description = std::move(text->description);
  input.priority = text->priority;
  return input;
}

grpc::Status WorkflowServiceImpl::PreviewRoute(grpc::ServerContext* context,
                                               const v1::PreviewRouteRequest* request,
                                               v1::PreviewRouteResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "PreviewRoute");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  CheckUuid("administration_id", request->administration_id(), true, violations);
  const v1::RouteCandidate& candidate = request->candidate();
  switch (request->source_case()) {
    case v1::PreviewRouteRequest::kCandidate:
      if (candidate.kind() == type::v1::COMPLAINT_KIND_UNSPECIFIED ||
          !type::v1::ComplaintKind_IsValid(candidate.kind())) {
        violations.push_back({"candidate.kind", "is required"});
      }
      if (!type::v1::Priority_IsValid(candidate.priority())) {
        violations.push_back({"candidate.priority", "must be a known priority"});
      }
      if (CountCharacters(candidate.subject()) > kMaxSubjectCharacters) {
        violations.push_back({"candidate.subject", "must be at most 200 characters"});
      }
      if (candidate.description().size() > kMaxDescriptionBytes) {
        violations.push_back({"candidate.description", "must be at most 65,536 bytes"});
      }
      break;
    case v1::PreviewRouteRequest::kComplaintId:
      CheckUuid("complaint_id", request->complaint_id(), true, violations);
      break;
    default:
      violations.push_back({"candidate", "is required (or complaint_id)"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  RouteInput input = RouteInputFromCandidate(candidate);
  if (request->source_case() == v1::PreviewRouteRequest::kComplaintId) {
    absl::StatusOr<RouteInput> stored =
        StoredComplaintInput(*caller->principal, request->complaint_id());
    if (!stored.ok()) {
      return Fail(stored.status());
    }
    input = *std::move(stored);
  }
  if (input.priority == type::v1::PRIORITY_UNSPECIFIED) {
    input.priority = type::v1::PRIORITY_NORMAL;
  }
  absl::Status previewed = db::RunInTransaction(
      store_.pool(), "workflow_preview_route", [&](pqxx::work& tx) -> absl::Status {
        const auto [rules, default_queue] =
            PgRoutingRuleStore::LoadForRouting(tx, request->administration_id());
        *response = ToPreviewRouteResponse(Route(rules, default_queue, input));
        if (!response->queue_id().empty()) {
          const std::optional<v1::Queue> queue =
              PgOrganisationStore::FindQueue(tx, response->queue_id());
          response->set_department_id(queue.has_value() ? queue->department_id() : "");
        }
        return absl::OkStatus();
      });
  return Fail(previewed);
}

}  // namespace doleances::workflow
