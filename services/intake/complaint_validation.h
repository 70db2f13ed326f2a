// Validation of every IntakeService request that carries input, in one place. The rules are the
// field comments of proto/doleances/intake/v1/intake_service.proto and the types it uses, read
// with proto/doleances/type/v1/conventions.proto.
//
// Each validator returns OK or common::InvalidArguments listing every offending field at once
// (the first 100, should a hostile request hold more), with its path in the request
// ("complaint.territory.commune_code"), in request order. Output-only fields are ignored.
// Descriptions never echo the offending value: most strings are personal data.
#pragma once

#include "doleances/intake/v1/intake_service.pb.h"

#include <absl/status/status.h>
#include <absl/time/time.h>

#include <string>

namespace doleances::intake {

// Validates a SubmitComplaint request (idempotency_key, then the complaint under "complaint").
// The items of a SubmitComplaints batch go through this too: their errors carry paths relative
// to the item (intake_service.proto, SubmitComplaintsResult.error). `now` bounds
// complaint.receive_time and the contested decision's notification date. INVALID_ARGUMENT or OK.
absl::Status ValidateSubmitComplaint(const v1::SubmitComplaintRequest& request, absl::Time now);

// Validates the shape of a SubmitComplaints batch only: 1-500 items, at most 16 MiB. Each item
// is then validated on its own with ValidateSubmitComplaint, so that one bad item never fails
// the others. INVALID_ARGUMENT (field "requests") or OK.
absl::Status ValidateSubmitComplaints(const v1::SubmitComplaintsRequest& request);

// Validates a complaint as submitted; violations are reported under `field_prefix` (e.g.
// "complaint" gives "complaint.subject"). `now` is the submission time. INVALID_ARGUMENT or OK.
absl::Status ValidateComplaint(const v1::Complaint& complaint, const std::string& field_prefix,
                               absl::Time now);

// complaint_id: required, lowercase canonical UUID. INVALID_ARGUMENT or OK.
absl::Status ValidateGetComplaint(const v1::GetComplaintRequest& request);

// complaint_ids: 1-100, each a lowercase canonical UUID. INVALID_ARGUMENT or OK.
absl::Status ValidateBatchGetComplaints(const v1::BatchGetComplaintsRequest& request);

// page_size not negative, filters well-formed (UUID, known statuses and kinds, a time range
// that does not end before it starts, external reference shape). The page token is opaque and
// checked where it is decoded. INVALID_ARGUMENT or OK.
absl::Status ValidateListComplaints(const v1::ListComplaintsRequest& request);

// tracking_code present. A code that is present but malformed or mistyped is not a validation
// error: TrackComplaint answers NOT_FOUND for it (intake_service.proto), so the handler maps a
// failed NormalizeTrackingCode to NOT_FOUND. INVALID_ARGUMENT or OK.
absl::Status ValidateTrackComplaint(const v1::TrackComplaintRequest& request);

// One of complaint_id (UUID) or tracking_code present (see ValidateTrackComplaint for a
// mistyped code); after_version not negative. INVALID_ARGUMENT or OK.
absl::Status ValidateWatchComplaint(const v1::WatchComplaintRequest& request);

// The complaint named; text valid UTF-8 of 1-65,536 bytes; at most 50 well-formed attachments;
// idempotency_key, if set, 1-128 printable ASCII characters. INVALID_ARGUMENT or OK.
absl::Status ValidateAddCitizenMessage(const v1::AddCitizenMessageRequest& request);

// complaint_id: required UUID; page_size not negative. INVALID_ARGUMENT or OK.
absl::Status ValidateListCitizenMessages(const v1::ListCitizenMessagesRequest& request);

// The complaint named; reason at most 2,000 characters. INVALID_ARGUMENT or OK.
absl::Status ValidateWithdrawComplaint(const v1::WithdrawComplaintRequest& request);

// The complaint named; satisfaction 1-5; problem_solved present; comment at most 2,000
// characters. INVALID_ARGUMENT or OK.
absl::Status ValidateSubmitFeedback(const v1::SubmitFeedbackRequest& request);

// True for a recours gracieux or hiérarchique received after the two-month window that follows
// the notification of the contested decision (CRPA L411-2). Calendar months in `time_zone` (the
// administration's zone, Europe/Paris by default): the window ends at the end of the same date
// two months later, or of that month's last day when the date does not exist (31 December ->
// 28/29 February). False for other kinds and when the decision or its date is missing or not a
// real date (validation reports those). Never fails.
bool IsLateAppeal(const v1::Complaint& complaint, absl::Time received, absl::TimeZone time_zone);

}  // namespace doleances::intake
