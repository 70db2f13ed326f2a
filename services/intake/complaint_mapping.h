#pragma once

#include "common/util/proto_time.h"
#include "common/util/uuid.h"
#include "doleances/events/v1/events.pb.h"
#include "doleances/intake/v1/intake_service.pb.h"
#include "services/intake/complaint_record.h"

#include <absl/time/time.h>

#include <string>
#include <vector>

namespace doleances::intake {

// Closed, rejected, withdrawn or transferred: nothing a citizen does changes the file any more.
bool IsFinalStatus(int status);

// The submitted complaint with every output-only field cleared: what is stored as the body and
// what the idempotent-replay hash covers.
v1::Complaint CanonicalComplaint(const v1::Complaint& submitted);

// The raw 32-byte SHA-256 digest of `bytes`.
std::string Sha256(const std::string& bytes);

// SHA-256 of the deterministic serialization of a canonical complaint.
std::string RequestHash(const v1::Complaint& canonical);

// The full complaint (body plus the record's output-only fields), for GetComplaint/List.
v1::Complaint ToComplaint(const ComplaintRecord& record);

// The acknowledgement SubmitComplaint answers with.
v1::SubmitComplaintResponse ToSubmitResponse(const ComplaintRecord& record, bool replayed);

// The citizen's view (no personal data of anyone else, no internal note): the receipt, then
// each later change, and the clocks (intake's acknowledgement clock first, then the serialized
// Deadlines mirrored from workflow and mediation).
v1::ComplaintTracking ToTracking(const ComplaintRecord& record,
                                 const std::vector<StatusChange>& changes,
                                 const std::vector<std::string>& deadlines);

// One change as WatchComplaint streams it.
v1::WatchComplaintResponse ToWatchResponse(const StatusChange& change);

// An event envelope of intake about `record` at `version`, without payload or actor.
events::v1::Event IntakeEvent(const ComplaintRecord& record, int64_t version, absl::Time now);

// The ComplaintReceived event: dimensions only, never the citizen's text or identity.
events::v1::Event ComplaintReceivedEvent(const ComplaintRecord& record,
                                         const v1::Complaint& canonical, absl::Time now);

using util::FromTimestamp;
using util::NewUuid;
using util::ToTimestamp;

}  // namespace doleances::intake
