// WorkflowService RPCs of deadlines: policies, calendars and ExplainDeadlines.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "services/workflow/calendar_mapping.h"
#include "services/workflow/clock_engine.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/clock_mapping.h"
#include "services/workflow/deadline_policies.h"
#include "services/workflow/offset_paging.h"
#include "services/workflow/pg_clock_store.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

grpc::Status Fail(const absl::Status& status) { return common::ToGrpcStatus(status); }

}  // namespace

grpc::Status WorkflowServiceImpl::SetDeadlinePolicy(grpc::ServerContext* context,
                                                    const v1::SetDeadlinePolicyRequest* request,
                                                    v1::SetDeadlinePolicyResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SetDeadlinePolicy");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  if (std::vector<common::FieldViolation> violations =
          ValidateDeadlinePolicy(request->policy(), "policy.");
      !violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed =
          CheckAdministration(*caller->principal, request->policy().administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::DeadlinePolicy> stored = db::RunInTransaction(
      store_.pool(), "workflow_set_deadline_policy",
      [&](pqxx::work& tx) { return PgClockStore::SavePolicy(tx, request->policy(), now); });
  if (!stored.ok()) {
    return Fail(stored.status());
  }
  *response->mutable_policy() = *std::move(stored);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListDeadlinePolicies(
    grpc::ServerContext* context, const v1::ListDeadlinePoliciesRequest* request,
    v1::ListDeadlinePoliciesResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListDeadlinePolicies");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->administration_id().empty()) {
    violations.push_back({"administration_id", "is required"});
  }
  const OffsetPage page = ParseOffsetPage(request->page_size(), request->page_token(), violations);
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  absl::StatusOr<std::vector<v1::DeadlinePolicy>> policies =
      db::RunInTransaction(store_.pool(), "workflow_list_deadline_policies", [&](pqxx::work& tx) {
        return absl::StatusOr<std::vector<v1::DeadlinePolicy>>(
            PgClockStore::LoadPolicies(tx, request->administration_id()));
      });
  if (!policies.ok()) {
    return Fail(policies.status());
  }
  std::vector<v1::DeadlinePolicy> selected;
  for (v1::DeadlinePolicy& policy : *policies) {
    if (request->clocks().empty() || std::find(request->clocks().begin(), request->clocks().end(),
                                               policy.clock()) != request->clocks().end()) {
      selected.push_back(std::move(policy));
    }
  }
  // Policies per administration are few (clocks x kinds x categories): one read, then a page.
  response->set_next_page_token(TakePage(selected, page, [&](v1::DeadlinePolicy policy) {
    *response->add_policies() = std::move(policy);
  }));
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::DeleteDeadlinePolicy(
    grpc::ServerContext* context, const v1::DeleteDeadlinePolicyRequest* request,
    v1::DeleteDeadlinePolicyResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "DeleteDeadlinePolicy");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  if (request->policy_id().empty()) {
    return Fail(common::InvalidArguments({{"policy_id", "is required"}}));
  }
  absl::Status deleted = db::RunInTransaction(
      store_.pool(), "workflow_delete_deadline_policy", [&](pqxx::work& tx) -> absl::Status {
        std::optional<v1::DeadlinePolicy> policy =
            PgClockStore::FindPolicy(tx, request->policy_id());
        if (!policy.has_value() ||
            !caller->principal->MayAccessAdministration(policy->administration_id())) {
          return absl::NotFoundError(absl::StrCat("policy ", request->policy_id(), " not found"));
        }
        if (request->expected_version() != 0 && request->expected_version() != policy->version()) {
          return absl::AbortedError(absl::StrCat("policy ", request->policy_id(), " is at version ",
                                                 policy->version(), ", not ",
                                                 request->expected_version()));
        }
        PgClockStore::DeletePolicy(tx, request->policy_id());
        return absl::OkStatus();
      });
  if (!deleted.ok()) {
    return Fail(deleted);
  }
  response->set_policy_id(request->policy_id());
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::SetCalendar(grpc::ServerContext* context,
                                              const v1::SetCalendarRequest* request,
                                              v1::SetCalendarResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SetCalendar");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  if (std::vector<common::FieldViolation> violations = ValidateCalendar(request->calendar());
      !violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed =
          CheckAdministration(*caller->principal, request->calendar().administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  v1::Calendar calendar = request->calendar();
  if (calendar.time_zone().empty()) {
    calendar.set_time_zone("Europe/Paris");
  }
  calendar.set_national_holidays(true);
  const absl::Time now = clock_();
  absl::StatusOr<v1::Calendar> stored = db::RunInTransaction(
      store_.pool(), "workflow_set_calendar",
      [&](pqxx::work& tx) { return PgClockStore::SaveCalendar(tx, calendar, now); });
  if (!stored.ok()) {
    return Fail(stored.status());
  }
  *response->mutable_calendar() = *std::move(stored);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::GetCalendar(grpc::ServerContext* context,
                                              const v1::GetCalendarRequest* request,
                                              v1::GetCalendarResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "GetCalendar");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->administration_id().empty()) {
    violations.push_back({"administration_id", "is required"});
  }
  if (request->year() != 0 && (request->year() < 1900 || request->year() > 2200)) {
    violations.push_back({"year", "must be 1900-2200, or 0 for none"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  absl::StatusOr<v1::Calendar> calendar =
      db::RunInTransaction(store_.pool(), "workflow_get_calendar", [&](pqxx::work& tx) {
        return absl::StatusOr<v1::Calendar>(
            PgClockStore::LoadCalendar(tx, request->administration_id())
                .value_or(DefaultCalendar(request->administration_id())));
      });
  if (!calendar.ok()) {
    return Fail(calendar.status());
  }
  if (request->year() != 0) {
    absl::StatusOr<std::shared_ptr<const calendar::BusinessCalendar>> business =
        BusinessCalendarFor(*calendar);
    if (!business.ok()) {
      return Fail(business.status());
    }
    for (type::v1::SkippedDay& day : NonBusinessDays(**business, request->year())) {
      *response->add_non_business_days() = std::move(day);
    }
  }
  *response->mutable_calendar() = *std::move(calendar);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ExplainDeadlines(grpc::ServerContext* context,
                                                   const v1::ExplainDeadlinesRequest* request,
                                                   v1::ExplainDeadlinesResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ExplainDeadlines");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  absl::StatusOr<CaseRecord> record = VisibleCase(*caller->principal, request->case_id());
  if (!record.ok()) {
    return Fail(record.status());
  }
  absl::StatusOr<ClockKeeper::Snapshot> snapshot =
      db::RunInTransaction(store_.pool(), "workflow_explain_deadlines",
                           [&](pqxx::work& tx) { return ClockKeeper::Load(tx, *record); });
  if (!snapshot.ok()) {
    return Fail(snapshot.status());
  }
  // Recomputed from the history on today's calendar: a corrected calendar corrects the dates.
  const ClockEngine engine(*snapshot->calendar,
                           [](type::v1::ClockKind) { return std::optional<ResolvedPolicy>(); });
  response->set_case_id(record->case_id);
  for (const ClockRecord& clock : snapshot->clocks) {
    if (!request->clocks().empty() && std::find(request->clocks().begin(), request->clocks().end(),
                                                clock.clock) == request->clocks().end()) {
      continue;
    }
    absl::StatusOr<calendar::Deadline> deadline = engine.Compute(clock);
    if (!deadline.ok()) {
      return Fail(deadline.status());
    }
    *response->add_explanations() = ToExplanation(clock, *deadline);
  }
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
