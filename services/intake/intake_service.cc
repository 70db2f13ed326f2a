#include "services/intake/intake_service.h"

#include "common/calendar/deadline.h"
#include "common/status/grpc_status.h"
#include "services/intake/complaint_mapping.h"
#include "services/intake/complaint_validation.h"
#include "services/intake/tracking_code.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
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
                                     GroupCommitter& committer, events::CommitNotifier& notifier,
                                     IntakeMetrics& metrics,
                                     const calendar::BusinessCalendar& calendar, ChangeHub& changes,
                                     std::function<absl::Time()> clock)
    : authorizer_(authorizer),
      store_(store),
      committer_(committer),
      notifier_(notifier),
      metrics_(metrics),
      calendar_(calendar),
      changes_(changes),
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

absl::StatusOr<PgComplaintStore::Submission> IntakeServiceImpl::Prepare(
    const auth::Principal& submitter, const v1::SubmitComplaintRequest& request,
    const std::string& field_prefix, absl::Time now) {
  const v1::Complaint& complaint = request.complaint();
  if (absl::Status valid = ValidateSubmitComplaint(request, now); !valid.ok()) {
    for (const common::FieldViolation& violation : common::FieldViolationsOf(valid)) {
      metrics_.ValidationFailure(field_prefix + violation.field);
    }
    return valid;
  }
  if (!submitter.MayAccessAdministration(complaint.administration_id())) {
    return absl::PermissionDeniedError(
        absl::StrCat("this system may not address administration ", complaint.administration_id()));
  }
  const v1::Complaint canonical = CanonicalComplaint(complaint);
  ComplaintRecord record;
  record.complaint_id = NewUuid();
  record.tracking_code = NewTrackingCode();
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
  const events::v1::Event event = ComplaintReceivedEvent(record, canonical, now);
  return PgComplaintStore::Submission{
      record,
      request.idempotency_key(),
      {record.complaint_id, "ComplaintReceived", event.SerializeAsString()}};
}

absl::StatusOr<v1::SubmitComplaintResponse> IntakeServiceImpl::Finish(
    const v1::Complaint& complaint, const absl::StatusOr<SubmitResult>& stored) {
  const std::string kind = type::v1::ComplaintKind_Name(complaint.kind());
  const std::string channel = type::v1::Channel_Name(complaint.channel());
  if (!stored.ok()) {
    metrics_.Submission(kind, channel, "rejected");
    return stored.status();
  }
  metrics_.Submission(kind, channel, stored->replayed ? "replayed" : "stored");
  return ToSubmitResponse(stored->record, stored->replayed);
}

grpc::ServerUnaryReactor* IntakeServiceImpl::SubmitComplaint(
    grpc::CallbackServerContext* context, const v1::SubmitComplaintRequest* request,
    v1::SubmitComplaintResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "SubmitComplaint");
  if (!caller.ok()) {
    reactor->Finish(Deny(caller.status()));
  } else if (request->validate_only()) {
    reactor->Finish(
        common::ToGrpcStatus(Prepare(*caller->principal, *request, "", clock_()).status()));
  } else {
    Store(*caller->principal, *request, response, reactor, kTrackingCodeAttempts);
  }
  return reactor;
}

void IntakeServiceImpl::Store(const auth::Principal& submitter,
                              const v1::SubmitComplaintRequest& request,
                              v1::SubmitComplaintResponse* response,
                              grpc::ServerUnaryReactor* reactor, int attempts) {
  const auto answer = [this, &request, response, reactor](absl::StatusOr<SubmitResult> stored) {
    absl::StatusOr<v1::SubmitComplaintResponse> answer = Finish(request.complaint(), stored);
    if (answer.ok()) {
      *response = *std::move(answer);
    }
    reactor->Finish(common::ToGrpcStatus(answer.status()));
  };
  absl::StatusOr<PgComplaintStore::Submission> prepared = Prepare(submitter, request, "", clock_());
  if (!prepared.ok()) {
    answer(prepared.status());
    return;
  }
  // Runs on a committer thread once the batch holding it committed (the committer has woken
  // the event consumers by then).
  committer_.SubmitAsync(
      *std::move(prepared), [this, submitter, &request, response, reactor, attempts,
                             answer](absl::StatusOr<SubmitResult> stored) {
        // Aborted: a tracking-code collision or a conflict; a fresh attempt may pass.
        if (stored.status().code() == absl::StatusCode::kAborted && attempts > 1) {
          Store(submitter, request, response, reactor, attempts - 1);
        } else {
          answer(std::move(stored));
        }
      });
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
  const int count = request->requests_size();
  std::vector<absl::StatusOr<SubmitResult>> outcomes(count, absl::AbortedError("not attempted"));
  // Items are stored together in one transaction (one commit for the batch); items that hit a
  // tracking-code collision or a conflict go again in a smaller batch.
  std::vector<int> pending;
  for (int i = 0; i < count; ++i) {
    pending.push_back(i);
  }
  for (int attempt = 0; attempt < kTrackingCodeAttempts && !pending.empty(); ++attempt) {
    std::vector<PgComplaintStore::Submission> batch;
    std::vector<int> batch_indexes;
    const absl::Time now = clock_();
    for (int i : pending) {
      const v1::SubmitComplaintRequest& item = request->requests(i);
      absl::StatusOr<PgComplaintStore::Submission> prepared =
          Prepare(*caller->principal, item, absl::StrCat("requests[", i, "]."), now);
      if (!prepared.ok() || item.validate_only()) {
        outcomes[i] = prepared.ok() ? absl::StatusOr<SubmitResult>(SubmitResult{})
                                    : absl::StatusOr<SubmitResult>(prepared.status());
        continue;
      }
      batch.push_back(*std::move(prepared));
      batch_indexes.push_back(i);
    }
    pending.clear();
    if (batch.empty()) {
      break;
    }
    absl::StatusOr<std::vector<absl::StatusOr<SubmitResult>>> stored = store_.SubmitBatch(batch);
    if (!stored.ok()) {
      return common::ToGrpcStatus(stored.status());  // Nothing of the batch was stored.
    }
    bool any_new = false;
    for (size_t j = 0; j < batch_indexes.size(); ++j) {
      outcomes[batch_indexes[j]] = (*stored)[j];
      if ((*stored)[j].status().code() == absl::StatusCode::kAborted) {
        pending.push_back(batch_indexes[j]);
      }
      any_new = any_new || ((*stored)[j].ok() && !(*stored)[j]->replayed);
    }
    if (any_new) {
      notifier_.EventsCommitted();
    }
  }
  for (int i = 0; i < count; ++i) {
    v1::SubmitComplaintsResult* result = response->add_results();
    result->set_index(i);
    if (request->requests(i).validate_only() && outcomes[i].ok()) {
      result->mutable_response();  // Valid; nothing stored.
      continue;
    }
    absl::StatusOr<v1::SubmitComplaintResponse> answer =
        Finish(request->requests(i).complaint(), outcomes[i]);
    if (answer.ok()) {
      *result->mutable_response() = *std::move(answer);
      continue;
    }
    const grpc::Status status = common::ToGrpcStatus(answer.status());
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

grpc::Status IntakeServiceImpl::BatchGetComplaints(grpc::ServerContext* context,
                                                   const v1::BatchGetComplaintsRequest* request,
                                                   v1::BatchGetComplaintsResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "BatchGetComplaints");
  if (!caller.ok()) {
    return Deny(caller.status());
  }
  if (absl::Status valid = ValidateBatchGetComplaints(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  std::vector<std::string> ids;
  absl::flat_hash_set<std::string> requested;
  for (const std::string& id : request->complaint_ids()) {
    if (requested.insert(id).second) {
      ids.push_back(id);
    }
  }
  absl::StatusOr<std::vector<ComplaintRecord>> records = store_.GetMany(ids);
  if (!records.ok()) {
    return common::ToGrpcStatus(records.status());
  }
  absl::flat_hash_map<std::string, const ComplaintRecord*> visible;
  for (const ComplaintRecord& record : *records) {
    if (MayRead(*caller->principal, record)) {  // As GetComplaint: no leak of existence.
      visible[record.complaint_id] = &record;
    }
  }
  for (const std::string& id : ids) {
    if (auto found = visible.find(id); found != visible.end()) {
      *response->add_complaints() = ToComplaint(*found->second);
    } else {
      response->add_missing_complaint_ids(id);
    }
  }
  return grpc::Status::OK;
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

absl::StatusOr<ComplaintRecord> IntakeServiceImpl::ResolveFile(const auth::Caller& caller,
                                                               const std::string& complaint_id,
                                                               const std::string& tracking_code) {
  const absl::Status not_found = absl::NotFoundError("no such complaint");
  if (tracking_code.empty()) {
    if (!caller.principal.has_value() || complaint_id.empty()) {
      return not_found;
    }
    absl::StatusOr<ComplaintRecord> record = store_.Get(complaint_id);
    if (record.ok() && !MayRead(*caller.principal, *record)) {
      return not_found;
    }
    return record;
  }
  // A mistyped code is answered like an unknown one; the check character only spares the
  // database the lookup.
  absl::StatusOr<std::string> code = NormalizeTrackingCode(tracking_code);
  if (!code.ok()) {
    return not_found;
  }
  absl::StatusOr<ComplaintRecord> record = store_.GetByTrackingCode(*code);
  // The code opens the file to whoever presents it (the citizen) and to Doléances services; a
  // submitting system may name only its own complaints.
  const std::optional<auth::Principal>& principal = caller.principal;
  if (record.ok() && principal.has_value() && !principal->HasRole(auth::Role::kService) &&
      !principal->HasRole(auth::Role::kCitizen) && record->submitter_id != principal->id) {
    return not_found;
  }
  return record;
}

absl::StatusOr<IntakeServiceImpl::OpenedFile> IntakeServiceImpl::OpenFile(
    const grpc::ServerContext& context, const std::string& method, const absl::Status& validation,
    const std::string& complaint_id, const std::string& tracking_code) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(context, method);
  if (!caller.ok()) {
    return caller.status();
  }
  if (!validation.ok()) {
    return validation;
  }
  absl::StatusOr<ComplaintRecord> record = ResolveFile(*caller, complaint_id, tracking_code);
  if (!record.ok()) {
    return record.status();
  }
  return OpenedFile{*std::move(caller), *std::move(record)};
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
  absl::StatusOr<ComplaintRecord> record = ResolveFile(*caller, "", request->tracking_code());
  if (!record.ok()) {
    return common::ToGrpcStatus(record.status());
  }
  absl::StatusOr<std::vector<StatusChange>> changes = store_.ChangesAfter(record->complaint_id, 1);
  absl::StatusOr<std::vector<std::string>> deadlines = store_.Deadlines(record->complaint_id);
  if (!changes.ok() || !deadlines.ok()) {
    return common::ToGrpcStatus(changes.ok() ? deadlines.status() : changes.status());
  }
  *response->mutable_tracking() = ToTracking(*record, *changes, *deadlines);
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::WatchComplaint(
    grpc::ServerContext* context, const v1::WatchComplaintRequest* request,
    grpc::ServerWriter<v1::WatchComplaintResponse>* writer) {
  absl::StatusOr<OpenedFile> opened =
      OpenFile(*context, "WatchComplaint", ValidateWatchComplaint(*request),
               request->complaint_id(), request->tracking_code());
  if (!opened.ok()) {
    return common::ToGrpcStatus(opened.status());
  }
  const ComplaintRecord& record = opened->record;
  IntakeMetrics::WatchScope open_stream(metrics_);
  int64_t seen = request->after_version();
  if (record.version > seen) {
    // First the current state, then every change after it.
    v1::WatchComplaintResponse current;
    current.set_version(record.version);
    current.set_status(static_cast<type::v1::CaseState>(record.status));
    *current.mutable_change_time() = ToTimestamp(record.update_time);
    if (!writer->Write(current)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away");
    }
    seen = record.version;
  }
  while (true) {
    const int64_t generation = changes_.generation();
    absl::StatusOr<std::vector<StatusChange>> changes =
        store_.ChangesAfter(record.complaint_id, seen);
    if (!changes.ok()) {
      return common::ToGrpcStatus(changes.status());
    }
    for (const StatusChange& change : *changes) {
      if (!writer->Write(ToWatchResponse(change))) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away");
      }
      seen = change.version;
    }
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the caller");
    }
    if (changes_.draining()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the server is shutting down; reconnect with after_version");
    }
    // Woken by this process's consumer; the timeout catches changes applied by other replicas.
    changes_.WaitForChange(generation, absl::Milliseconds(500));
  }
}

grpc::Status IntakeServiceImpl::WithdrawComplaint(grpc::ServerContext* context,
                                                  const v1::WithdrawComplaintRequest* request,
                                                  v1::WithdrawComplaintResponse* response) {
  absl::StatusOr<OpenedFile> opened =
      OpenFile(*context, "WithdrawComplaint", ValidateWithdrawComplaint(*request),
               request->complaint_id(), request->tracking_code());
  if (!opened.ok()) {
    return common::ToGrpcStatus(opened.status());
  }
  const ComplaintRecord& record = opened->record;
  const absl::Time now = clock_();
  absl::StatusOr<StatusChange> change =
      store_.Withdraw(record.complaint_id, now, [&](const StatusChange& applied) {
        events::v1::Event event = IntakeEvent(record, applied.version, now);
        event.mutable_actor()->set_kind(type::v1::ACTOR_KIND_CITIZEN);
        event.mutable_complaint_withdrawn()->set_previous_status(
            static_cast<type::v1::CaseState>(applied.previous_status));
        // The citizen's reason is their own words: it stays out of the event (no personal data).
        return events::NewEvent{record.complaint_id, "ComplaintWithdrawn",
                                event.SerializeAsString()};
      });
  if (!change.ok()) {
    return common::ToGrpcStatus(change.status());
  }
  notifier_.EventsCommitted();
  changes_.Notify();
  response->set_status(type::v1::CASE_STATE_WITHDRAWN);
  *response->mutable_withdraw_time() = ToTimestamp(now);
  response->set_version(change->version);
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::AddCitizenMessage(grpc::ServerContext* context,
                                                  const v1::AddCitizenMessageRequest* request,
                                                  v1::AddCitizenMessageResponse* response) {
  absl::StatusOr<OpenedFile> opened =
      OpenFile(*context, "AddCitizenMessage", ValidateAddCitizenMessage(*request),
               request->complaint_id(), request->tracking_code());
  if (!opened.ok()) {
    return common::ToGrpcStatus(opened.status());
  }
  const ComplaintRecord& record = opened->record;
  const absl::Time now = clock_();
  v1::CitizenMessage message;
  message.set_message_id(NewUuid());
  message.set_complaint_id(record.complaint_id);
  message.set_text(request->text());
  *message.mutable_attachments() = request->attachments();
  const std::optional<std::string> key =
      request->idempotency_key().empty() ? std::nullopt
                                         : std::optional<std::string>(request->idempotency_key());
  absl::StatusOr<CitizenMessageRecord> stored = store_.AddCitizenMessage(
      record.complaint_id, {message.message_id(), message.SerializeAsString()}, key, now,
      [&](const StatusChange& change) {
        events::v1::Event event = IntakeEvent(record, change.version, now);
        event.mutable_actor()->set_kind(type::v1::ACTOR_KIND_CITIZEN);
        event.mutable_citizen_message_received()->set_message_id(message.message_id());
        event.mutable_citizen_message_received()->set_attachment_count(message.attachments_size());
        return events::NewEvent{record.complaint_id, "CitizenMessageReceived",
                                event.SerializeAsString()};
      });
  if (!stored.ok()) {
    return common::ToGrpcStatus(stored.status());
  }
  if (!stored->replayed) {
    notifier_.EventsCommitted();
    changes_.Notify();
  }
  response->set_message_id(stored->message_id);
  *response->mutable_create_time() = ToTimestamp(stored->create_time);
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::ListCitizenMessages(grpc::ServerContext* context,
                                                    const v1::ListCitizenMessagesRequest* request,
                                                    v1::ListCitizenMessagesResponse* response) {
  absl::StatusOr<OpenedFile> opened =
      OpenFile(*context, "ListCitizenMessages", ValidateListCitizenMessages(*request),
               request->complaint_id(), "");
  if (!opened.ok()) {
    return common::ToGrpcStatus(opened.status());
  }
  const ComplaintRecord& record = opened->record;
  std::string after;
  if (!request->page_token().empty() &&
      !absl::WebSafeBase64Unescape(request->page_token(), &after)) {
    return common::ToGrpcStatus(
        common::InvalidArguments({{"page_token", "is not a token of this query"}}));
  }
  const int page_size =
      request->page_size() == 0 ? kDefaultPageSize : std::min(request->page_size(), kMaxPageSize);
  absl::StatusOr<std::vector<CitizenMessageRecord>> messages =
      store_.ListCitizenMessages(record.complaint_id, after, page_size + 1);
  if (!messages.ok()) {
    return common::ToGrpcStatus(messages.status());
  }
  const bool more = static_cast<int>(messages->size()) > page_size;
  if (more) {
    messages->pop_back();
  }
  for (const CitizenMessageRecord& stored : *messages) {
    v1::CitizenMessage* message = response->add_messages();
    message->ParseFromString(stored.body);
    *message->mutable_create_time() = ToTimestamp(stored.create_time);
  }
  if (more) {
    response->set_next_page_token(absl::WebSafeBase64Escape(messages->back().message_id));
  }
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::SubmitFeedback(grpc::ServerContext* context,
                                               const v1::SubmitFeedbackRequest* request,
                                               v1::SubmitFeedbackResponse* response) {
  absl::StatusOr<OpenedFile> opened =
      OpenFile(*context, "SubmitFeedback", ValidateSubmitFeedback(*request),
               request->complaint_id(), request->tracking_code());
  if (!opened.ok()) {
    return common::ToGrpcStatus(opened.status());
  }
  const ComplaintRecord& record = opened->record;
  const absl::Time now = clock_();
  FeedbackRecord feedback;
  feedback.feedback_id = NewUuid();
  feedback.satisfaction = request->satisfaction();
  if (request->has_problem_solved()) {
    feedback.problem_solved = request->problem_solved();
  }
  feedback.comment = request->comment();
  absl::StatusOr<FeedbackRecord> stored =
      store_.SubmitFeedback(record.complaint_id, feedback, now, [&](const StatusChange& change) {
        events::v1::Event event = IntakeEvent(record, change.version, now);
        event.mutable_actor()->set_kind(type::v1::ACTOR_KIND_CITIZEN);
        events::v1::FeedbackReceived* received = event.mutable_feedback_received();
        received->set_feedback_id(feedback.feedback_id);
        received->set_satisfaction(feedback.satisfaction);
        received->set_problem_solved(feedback.problem_solved.value_or(false));
        received->set_has_comment(!feedback.comment.empty());  // The comment itself stays here.
        return events::NewEvent{record.complaint_id, "FeedbackReceived", event.SerializeAsString()};
      });
  if (!stored.ok()) {
    return common::ToGrpcStatus(stored.status());
  }
  notifier_.EventsCommitted();
  changes_.Notify();
  response->set_feedback_id(stored->feedback_id);
  *response->mutable_create_time() = ToTimestamp(stored->create_time);
  return grpc::Status::OK;
}

}  // namespace doleances::intake
