#include "services/intake/complaint_mapping.h"

#include <absl/strings/str_format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/sha.h>

#include <array>

namespace doleances::intake {

bool IsFinalStatus(int status) {
  return status == type::v1::CASE_STATE_CLOSED || status == type::v1::CASE_STATE_REJECTED ||
         status == type::v1::CASE_STATE_WITHDRAWN || status == type::v1::CASE_STATE_TRANSFERRED;
}

v1::Complaint CanonicalComplaint(const v1::Complaint& submitted) {
  v1::Complaint canonical = submitted;
  canonical.clear_complaint_id();
  canonical.clear_tracking_code();
  canonical.clear_status();
  canonical.clear_create_time();
  canonical.clear_update_time();
  canonical.clear_version();
  canonical.clear_late_appeal();
  canonical.clear_submitter_id();
  canonical.clear_personal_data_erased();
  return canonical;
}

std::string Sha256(const std::string& bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest;
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string RequestHash(const v1::Complaint& canonical) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);  // Map order must not change the hash.
    canonical.SerializeToCodedStream(&coded);
  }
  return Sha256(bytes);
}

v1::Complaint ToComplaint(const ComplaintRecord& record) {
  v1::Complaint complaint;
  complaint.ParseFromString(record.body);
  complaint.set_complaint_id(record.complaint_id);
  complaint.set_tracking_code(record.tracking_code);
  complaint.set_status(static_cast<type::v1::CaseState>(record.status));
  *complaint.mutable_receive_time() = ToTimestamp(record.receive_time);
  *complaint.mutable_create_time() = ToTimestamp(record.create_time);
  *complaint.mutable_update_time() = ToTimestamp(record.update_time);
  complaint.set_version(record.version);
  complaint.set_late_appeal(record.late_appeal);
  complaint.set_submitter_id(record.submitter_id);
  return complaint;
}

v1::SubmitComplaintResponse ToSubmitResponse(const ComplaintRecord& record, bool replayed) {
  v1::SubmitComplaintResponse response;
  response.set_complaint_id(record.complaint_id);
  response.set_tracking_code(record.tracking_code);
  *response.mutable_receive_time() = ToTimestamp(record.receive_time);
  *response.mutable_acknowledgement_due_time() = ToTimestamp(record.acknowledgement_due_time);
  response.set_late_appeal(record.late_appeal);
  response.set_replayed(replayed);
  return response;
}

v1::ComplaintTracking ToTracking(const ComplaintRecord& record,
                                 const std::vector<StatusChange>& changes,
                                 const std::vector<std::string>& deadlines) {
  v1::Complaint complaint;
  complaint.ParseFromString(record.body);
  v1::ComplaintTracking tracking;
  tracking.set_complaint_id(record.complaint_id);
  tracking.set_tracking_code(record.tracking_code);
  tracking.set_administration_id(record.administration_id);
  tracking.set_kind(static_cast<type::v1::ComplaintKind>(record.kind));
  tracking.set_subject(complaint.subject());  // The citizen's own words, shown back to them.
  tracking.set_status(static_cast<type::v1::CaseState>(record.status));
  *tracking.mutable_receive_time() = ToTimestamp(record.receive_time);
  *tracking.mutable_update_time() = ToTimestamp(record.update_time);
  tracking.set_version(record.version);
  tracking.set_late_appeal(record.late_appeal);
  v1::PublicHistoryEntry* received = tracking.add_history_entries();
  received->set_entry_id(record.complaint_id);
  *received->mutable_occur_time() = ToTimestamp(record.receive_time);
  received->set_type(v1::PUBLIC_HISTORY_ENTRY_TYPE_RECEIVED);
  received->set_status(type::v1::CASE_STATE_RECEIVED);
  received->set_actor_kind(type::v1::ACTOR_KIND_SUBMITTER);
  type::v1::Deadline* acknowledgement = tracking.add_deadlines();
  acknowledgement->set_clock(type::v1::CLOCK_KIND_ACKNOWLEDGEMENT);
  *acknowledgement->mutable_start_time() = ToTimestamp(record.receive_time);
  *acknowledgement->mutable_due_time() = ToTimestamp(record.acknowledgement_due_time);
  for (const std::string& serialized : deadlines) {
    tracking.add_deadlines()->ParseFromString(serialized);
  }
  bool feedback_submitted = false;
  for (const StatusChange& change : changes) {
    *tracking.add_history_entries() = ToWatchResponse(change).history_entry();
    feedback_submitted =
        feedback_submitted || change.entry_type == v1::PUBLIC_HISTORY_ENTRY_TYPE_FEEDBACK;
  }
  tracking.set_withdrawable(!IsFinalStatus(record.status));
  tracking.set_feedback_submitted(feedback_submitted);
  tracking.set_feedback_allowed(!feedback_submitted &&
                                (record.status == type::v1::CASE_STATE_RESPONDED ||
                                 record.status == type::v1::CASE_STATE_CLOSED));
  return tracking;
}

v1::WatchComplaintResponse ToWatchResponse(const StatusChange& change) {
  v1::WatchComplaintResponse response;
  response.set_version(change.version);
  response.set_status(static_cast<type::v1::CaseState>(change.status));
  response.set_previous_status(static_cast<type::v1::CaseState>(change.previous_status));
  *response.mutable_change_time() = ToTimestamp(change.change_time);
  v1::PublicHistoryEntry* entry = response.mutable_history_entry();
  *entry->mutable_occur_time() = ToTimestamp(change.change_time);
  entry->set_type(static_cast<v1::PublicHistoryEntryType>(change.entry_type));
  entry->set_status(static_cast<type::v1::CaseState>(change.status));
  entry->set_actor_kind(static_cast<type::v1::ActorKind>(change.actor_kind));
  entry->set_message(change.message);
  return response;
}

events::v1::Event IntakeEvent(const ComplaintRecord& record, int64_t version, absl::Time now) {
  events::v1::Event event;
  event.set_event_id(NewUuid());
  event.set_complaint_id(record.complaint_id);
  event.set_administration_id(record.administration_id);
  event.set_aggregate_version(version);
  *event.mutable_occur_time() = ToTimestamp(now);
  event.set_source(events::v1::EVENT_SOURCE_INTAKE);
  event.set_record_id(record.complaint_id);
  return event;
}

events::v1::Event ComplaintReceivedEvent(const ComplaintRecord& record,
                                         const v1::Complaint& canonical, absl::Time now) {
  events::v1::Event event = IntakeEvent(record, record.version, now);
  event.mutable_actor()->set_kind(type::v1::ACTOR_KIND_SUBMITTER);
  event.mutable_actor()->set_actor_id(record.submitter_id);
  events::v1::ComplaintReceived* received = event.mutable_complaint_received();
  received->set_kind(canonical.kind());
  received->set_channel(canonical.channel());
  received->set_category_hint(canonical.category_hint());
  received->set_priority(canonical.priority());
  *received->mutable_territory() = canonical.territory();
  *received->mutable_receive_time() = ToTimestamp(record.receive_time);
  received->set_submitter_id(record.submitter_id);
  received->set_late_appeal(record.late_appeal);
  received->set_has_contested_decision(canonical.has_contested_decision());
  received->set_anonymous(!canonical.has_citizen());
  received->set_attachment_count(canonical.attachments_size());
  received->set_related_complaint_id(canonical.related_complaint_id());
  return event;
}

}  // namespace doleances::intake
