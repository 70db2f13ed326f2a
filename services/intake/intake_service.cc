#include "services/intake/intake_service.h"

#include "common/calendar/deadline.h"
#include "common/status/grpc_status.h"
#include "services/intake/complaint_mapping.h"
#include "services/intake/complaint_validation.h"
#include "services/intake/tracking_code.h"

#include <absl/strings/escaping.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>

namespace doleances::intake {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kTrackingCodeAttempts = 3;

// CRPA L112-3 requires an acknowledgement of receipt without fixing its delay; until workflow's
// ACKNOWLEDGEMENT policy is consulted, intake promises it within 5 business days.
constexpr calendar::DeadlinePolicy kAcknowledgementPolicy{
    .unit = calendar::DeadlineUnit::kBusinessDays, .amount = 5};

grpc::Status Deny(const absl::Status& status) { return common::ToGrpcStatus(status); }

// The page token binds the keyset cursor to the filters it was issued for.
std::string FilterDigest(const v1::ListComplaintsRequest& request) {
  v1::ListComplaintsRequest filters = request;
  filters.clear_page_size();
  filters.clear_page_token();
  return absl::BytesToHexString(Sha256(filters.SerializeAsString()).substr(0, 8));
}

std::string EncodePageToken(const ComplaintRecord& last, const std::string& digest) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(absl::ToUnixMicros(last.create_time), ":", last.complaint_id, ":", digest));
}

absl::StatusOr<std::optional<ListCursor>> DecodePageToken(const std::string& token,
                                                          const std::string& digest) {
  if (token.empty()) {
    return std::optional<ListCursor>();
  }
  std::string decoded;
  std::vector<std::string> parts;
  int64_t micros = 0;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      (parts = absl::StrSplit(decoded, ':')).size() != 3 || !absl::SimpleAtoi(parts[0], &micros) ||
      parts[2] != digest) {
    return common::InvalidArguments(
        {{"page_token", "is not a token of this query; start again without it"}});
  }
  return std::optional<ListCursor>(ListCursor{absl::FromUnixMicros(micros), parts[1]});
}

}  // namespace

IntakeServiceImpl::IntakeServiceImpl(auth::Authorizer& authorizer, PgComplaintStore& store,
                                     events::CommitNotifier& notifier, IntakeMetrics& metrics,
                                     const calendar::BusinessCalendar& calendar,
                                     std::function<absl::Time()> clock)
    : authorizer_(authorizer),
      store_(store),
      notifier_(notifier),
      metrics_(metrics),
      calendar_(calendar),
      clock_(std::move(clock)) {}

bool IntakeServiceImpl::MayRead(const auth::Principal& caller,
                                const ComplaintRecord& record) const {
  if (caller.HasRole(auth::Role::kSubmitter) && record.submitter_id == caller.id) {
    return true;
  }
  const bool staff = caller.HasRole(auth::Role::kAgent) ||
                     caller.HasRole(auth::Role::kSupervisor) ||
                     caller.HasRole(auth::Role::kService);
  return staff && caller.MayAccessAdministration(record.administration_id);
}

absl::StatusOr<v1::SubmitComplaintResponse> IntakeServiceImpl::Submit(
    const auth::Principal& submitter, const v1::SubmitComplaintRequest& request,
    const std::string& field_prefix) {
  const absl::Time now = clock_();
  const v1::Complaint& complaint = request.complaint();
  const std::string kind = type::v1::ComplaintKind_Name(complaint.kind());
  const std::string channel = type::v1::Channel_Name(complaint.channel());
  if (absl::Status valid = ValidateSubmitComplaint(request, now); !valid.ok()) {
    for (const common::FieldViolation& violation : common::FieldViolationsOf(valid)) {
      metrics_.ValidationFailure(field_prefix + violation.field);
    }
    metrics_.Submission(kind, channel, "rejected");
    return valid;
  }
  if (!submitter.MayAccessAdministration(complaint.administration_id())) {
    return absl::PermissionDeniedError(
        absl::StrCat("this system may not address administration ", complaint.administration_id()));
  }
  if (request.validate_only()) {
    return v1::SubmitComplaintResponse();
  }
  const v1::Complaint canonical = CanonicalComplaint(complaint);
  ComplaintRecord record;
  record.submitter_id = submitter.id;
  record.administration_id = canonical.administration_id();
  record.kind = canonical.kind();
  record.channel = canonical.channel();
  record.priority = canonical.priority() == type::v1::PRIORITY_UNSPECIFIED
                        ? type::v1::PRIORITY_NORMAL
                        : canonical.priority();
  record.category_hint = canonical.category_hint();
  record.commune_code = canonical.territory().commune_code();
  record.department_code = canonical.territory().department_code();
  if (!canonical.external_reference().empty()) {
    record.external_reference = canonical.external_reference();
  }
  record.status = type::v1::CASE_STATE_RECEIVED;
  record.receive_time =
      canonical.has_receive_time() ? FromTimestamp(canonical.receive_time()) : now;
  record.late_appeal = IsLateAppeal(canonical, record.receive_time, calendar_.time_zone());
  absl::StatusOr<calendar::Deadline> acknowledgement =
      calendar::ComputeDeadline(calendar_, kAcknowledgementPolicy, record.receive_time);
  if (!acknowledgement.ok() || !acknowledgement->due.has_value()) {
    return absl::InternalError("cannot compute the acknowledgement deadline");
  }
  record.acknowledgement_due_time = *acknowledgement->due;
  record.request_hash = RequestHash(canonical);
  record.body = canonical.SerializeAsString();
  absl::StatusOr<SubmitResult> stored = absl::AbortedError("not attempted");
  for (int attempt = 0; attempt < kTrackingCodeAttempts; ++attempt) {
    record.complaint_id = NewUuid();
    record.tracking_code = NewTrackingCode();
    const events::v1::Event event = ComplaintReceivedEvent(record, canonical, now);
    stored = store_.Submit(record, request.idempotency_key(),
                           {record.complaint_id, "ComplaintReceived", event.SerializeAsString()});
    if (stored.status().code() != absl::StatusCode::kAborted) {
      break;
    }
  }
  if (!stored.ok()) {
    metrics_.Submission(kind, channel, "rejected");
    return stored.status();
  }
  if (!stored->replayed) {
    notifier_.EventsCommitted();
  }
  metrics_.Submission(kind, channel, stored->replayed ? "replayed" : "stored");
  return ToSubmitResponse(stored->record, stored->replayed);
}

grpc::Status IntakeServiceImpl::SubmitComplaint(grpc::ServerContext* context,
                                                const v1::SubmitComplaintRequest* request,
                                                v1::SubmitComplaintResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SubmitComplaint");
  if (!caller.ok()) {
    return Deny(caller.status());
  }
  absl::StatusOr<v1::SubmitComplaintResponse> submitted = Submit(*caller->principal, *request, "");
  if (submitted.ok()) {
    *response = *std::move(submitted);
  }
  return common::ToGrpcStatus(submitted.status());
}

grpc::Status IntakeServiceImpl::SubmitComplaints(grpc::ServerContext* context,
                                                 const v1::SubmitComplaintsRequest* request,
                                                 v1::SubmitComplaintsResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SubmitComplaints");
  if (!caller.ok()) {
    return Deny(caller.status());
  }
  if (absl::Status valid = ValidateSubmitComplaints(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  for (int i = 0; i < request->requests_size(); ++i) {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the caller");
    }
    v1::SubmitComplaintsResult* result = response->add_results();
    result->set_index(i);
    absl::StatusOr<v1::SubmitComplaintResponse> submitted =
        Submit(*caller->principal, request->requests(i), absl::StrCat("requests[", i, "]."));
    if (submitted.ok()) {
      *result->mutable_response() = *std::move(submitted);
      continue;
    }
    const grpc::Status status = common::ToGrpcStatus(submitted.status());
    type::v1::Status* error = result->mutable_error();
    if (status.error_details().empty() || !error->ParseFromString(status.error_details())) {
      error->set_code(static_cast<int>(status.error_code()));
      error->set_message(status.error_message());
    }
  }
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::GetComplaint(grpc::ServerContext* context,
                                             const v1::GetComplaintRequest* request,
                                             v1::GetComplaintResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "GetComplaint");
  if (!caller.ok()) {
    return Deny(caller.status());
  }
  if (absl::Status valid = ValidateGetComplaint(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  absl::StatusOr<ComplaintRecord> record = store_.Get(request->complaint_id());
  if (record.ok() && !MayRead(*caller->principal, *record)) {
    // Existence must not leak to those who may not see the complaint.
    record = absl::NotFoundError(absl::StrCat("complaint ", request->complaint_id(), " not found"));
  }
  if (record.ok()) {
    *response->mutable_complaint() = ToComplaint(*record);
  }
  return common::ToGrpcStatus(record.status());
}

grpc::Status IntakeServiceImpl::ListComplaints(grpc::ServerContext* context,
                                               const v1::ListComplaintsRequest* request,
                                               v1::ListComplaintsResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListComplaints");
  if (!caller.ok()) {
    return Deny(caller.status());
  }
  if (absl::Status valid = ValidateListComplaints(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const auth::Principal& principal = *caller->principal;
  ListFilter filter;
  const bool staff =
      principal.HasRole(auth::Role::kAgent) || principal.HasRole(auth::Role::kSupervisor);
  if (!staff) {
    filter.submitter_id = principal.id;  // A submitting system sees only its own complaints.
  } else if (!principal.MayAccessAdministration("*")) {
    filter.administrations = principal.administrations;
  }
  if (!request->administration_id().empty()) {
    if (staff && !principal.MayAccessAdministration(request->administration_id())) {
      return grpc::Status::OK;  // Nothing the caller may see.
    }
    filter.administrations = std::vector<std::string>{request->administration_id()};
  }
  for (int status : request->statuses()) {
    filter.statuses.push_back(status);
  }
  for (int kind : request->kinds()) {
    filter.kinds.push_back(kind);
  }
  if (request->create_time_range().has_start_time()) {
    filter.created_after = FromTimestamp(request->create_time_range().start_time());
  }
  if (request->create_time_range().has_end_time()) {
    filter.created_before = FromTimestamp(request->create_time_range().end_time());
  }
  if (!request->external_reference().empty()) {
    filter.external_reference = request->external_reference();
  }
  const std::string digest = FilterDigest(*request);
  absl::StatusOr<std::optional<ListCursor>> cursor = DecodePageToken(request->page_token(), digest);
  if (!cursor.ok()) {
    return common::ToGrpcStatus(cursor.status());
  }
  const int page_size =
      request->page_size() == 0 ? kDefaultPageSize : std::min(request->page_size(), kMaxPageSize);
  // One row more than the page tells whether another page follows.
  absl::StatusOr<std::vector<ComplaintRecord>> records =
      store_.List(filter, *cursor, page_size + 1);
  if (!records.ok()) {
    return common::ToGrpcStatus(records.status());
  }
  const bool more = static_cast<int>(records->size()) > page_size;
  if (more) {
    records->pop_back();
  }
  for (const ComplaintRecord& record : *records) {
    *response->add_complaints() = ToComplaint(record);
  }
  if (more) {
    response->set_next_page_token(EncodePageToken(records->back(), digest));
  }
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::TrackComplaint(grpc::ServerContext* context,
                                               const v1::TrackComplaintRequest* request,
                                               v1::TrackComplaintResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "TrackComplaint");
  if (!caller.ok()) {
    return Deny(caller.status());
  }
  if (absl::Status valid = ValidateTrackComplaint(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  absl::StatusOr<std::string> code = NormalizeTrackingCode(request->tracking_code());
  if (!code.ok()) {
    // The contract answers a mistyped code like an unknown one; the check character only spares
    // the database the lookup.
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no complaint has this tracking code");
  }
  absl::StatusOr<ComplaintRecord> record = store_.GetByTrackingCode(*code);
  // A submitting system may track only its own complaints; the code alone opens the file to
  // anyone else presenting it (the citizen), and to Doléances services.
  if (record.ok() && caller->principal.has_value() &&
      !caller->principal->HasRole(auth::Role::kService) &&
      !caller->principal->HasRole(auth::Role::kCitizen) &&
      record->submitter_id != caller->principal->id) {
    record = absl::NotFoundError("no complaint has this tracking code");
  }
  if (record.ok()) {
    *response->mutable_tracking() = ToTracking(*record);
  }
  return common::ToGrpcStatus(record.status());
}

}  // namespace doleances::intake
