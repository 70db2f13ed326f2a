// WorkflowService RPCs of mediation: SendToMediation and ReportMediationOutcome.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "common/util/proto_time.h"
#include "doleances/mediation/v1/mediation_service.pb.h"
#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/mediation_outcome.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

constexpr size_t kMaxSummaryBytes = 16384;

grpc::Status Fail(const absl::Status& status) { return common::ToGrpcStatus(status); }

// What mediation needs to open the file, kept with the request until it acknowledges it.
mediation::v1::OpenMediationRequest OpenRequest(const CaseRecord& record,
                                                const v1::SendToMediationRequest& request,
                                                absl::Time now) {
  mediation::v1::OpenMediationRequest open;
  open.set_complaint_id(record.complaint_id);
  open.set_case_id(record.case_id);
  open.set_administration_id(record.administration_id);
  open.set_kind(static_cast<type::v1::ComplaintKind>(record.kind));
  open.set_category(record.category);
  open.mutable_territory()->set_commune_code(record.commune_code);
  open.mutable_territory()->set_department_code(record.department_code);
  open.set_requested_by(request.requested_by());
  open.set_case_summary(request.case_summary());
  open.set_disputed_department_id(request.disputed_department_id().empty()
                                      ? record.department_id.value_or("")
                                      : request.disputed_department_id());
  const absl::CivilDay received = absl::ToCivilDay(record.receive_time, absl::UTCTimeZone());
  open.mutable_written_complaint_date()->set_year(static_cast<int>(received.year()));
  open.mutable_written_complaint_date()->set_month(received.month());
  open.mutable_written_complaint_date()->set_day(received.day());
  *open.mutable_request_time() = util::ToTimestamp(now);
  return open;
}

}  // namespace

grpc::Status WorkflowServiceImpl::SendToMediation(grpc::ServerContext* context,
                                                  const v1::SendToMediationRequest* request,
                                                  v1::SendToMediationResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SendToMediation");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->expected_version() <= 0) {
    violations.push_back({"expected_version", "is required (the version you read)"});
  }
  if (request->requested_by() == type::v1::MEDIATION_PARTY_UNSPECIFIED ||
      !type::v1::MediationParty_IsValid(request->requested_by())) {
    violations.push_back({"requested_by", "must be CITIZEN or ADMINISTRATION"});
  }
  if (request->case_summary().empty() || request->case_summary().size() > kMaxSummaryBytes) {
    violations.push_back({"case_summary", "must be 1 to 16,384 bytes"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const auth::Principal& principal = *caller->principal;
  absl::StatusOr<CaseRecord> visible = VisibleCase(principal, request->case_id());
  if (!visible.ok()) {
    return Fail(visible.status());
  }
  const absl::Time now = clock_();
  CaseHistoryEntry entry;
  entry.to_state = type::v1::CASE_STATE_IN_MEDIATION;
  entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_MEDIATION_REQUESTED;
  entry.actor_kind = StaffKind(principal);
  entry.actor_id = principal.id;
  entry.motive_code = "mediation";
  entry.internal_note = "sent to mediation";
  entry.occur_time = now;
  absl::StatusOr<CaseRecord> updated = store_.Transition(
      request->case_id(), request->expected_version(), entry,
      [&](const CaseRecord& current) {
        return CheckStaffTransition(principal, current, type::v1::CASE_STATE_IN_MEDIATION,
                                    /*has_motive=*/true, /*has_public_message=*/false);
      },
      [&](const CaseRecord& after, const CaseHistoryEntry& recorded) {
        return ToNewEvent(CaseTransitionedEvent(after, recorded, now));
      },
      [&](pqxx::transaction_base& tx, const CaseRecord& after) -> absl::Status {
        // The request and its announcement commit with the move: the requester delivers it.
        const mediation::v1::OpenMediationRequest open = OpenRequest(after, *request, now);
        const std::string bytes = open.SerializeAsString();
        tx.exec_params(
            "INSERT INTO workflow.mediation_requests (case_id, request, next_attempt_time,"
            " create_time) VALUES ($1, $2, now(), now()) ON CONFLICT (case_id) DO UPDATE SET"
            " request = EXCLUDED.request, mediation_id = NULL, attempts = 0,"
            " next_attempt_time = now(), last_error = ''",
            after.case_id, pqxx::binarystring(bytes.data(), bytes.size()));
        events::v1::Event requested;
        events::v1::MediationRequested* payload = requested.mutable_mediation_requested();
        payload->set_case_id(after.case_id);
        payload->set_requested_by(request->requested_by());
        payload->set_department_id(after.department_id.value_or(""));
        payload->set_disputed_department_id(open.disputed_department_id());
        CaseRecord announced = after;
        return AppendCaseEvents(tx, announced, now, {requested});
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(*updated);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(*updated);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ReportMediationOutcome(
    grpc::ServerContext* context, const v1::ReportMediationOutcomeRequest* request,
    v1::ReportMediationOutcomeResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ReportMediationOutcome");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->mediation_id().empty()) {
    violations.push_back({"mediation_id", "is required"});
  }
  if (request->case_id().empty()) {
    violations.push_back({"case_id", "is required"});
  }
  if (request->outcome() == type::v1::MEDIATION_OUTCOME_UNSPECIFIED ||
      !type::v1::MediationOutcome_IsValid(request->outcome())) {
    violations.push_back({"outcome", "must be a known outcome"});
  }
  if (request->outcome() == type::v1::MEDIATION_OUTCOME_REFERRED && !request->has_referral()) {
    violations.push_back({"referral", "is required when outcome is REFERRED"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  absl::StatusOr<CaseRecord> visible = VisibleCase(*caller->principal, request->case_id());
  if (!visible.ok()) {
    return Fail(visible.status());
  }
  const absl::Time now =
      request->has_close_time() ? util::FromTimestamp(request->close_time()) : clock_();
  absl::StatusOr<OutcomeApplied> applied =
      db::RunInTransaction(store_.pool(), "workflow_report_mediation_outcome", [&](pqxx::work& tx) {
        return ApplyMediationOutcome(tx, request->case_id(), request->mediation_id(),
                                     request->outcome(), now);
      });
  if (!applied.ok()) {
    return Fail(applied.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(applied->case_record);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(applied->case_record);
  response->set_already_applied(applied->already_applied);
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
