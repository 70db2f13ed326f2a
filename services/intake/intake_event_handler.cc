#include "services/intake/intake_event_handler.h"

#include "common/log/log.h"
#include "doleances/events/v1/events.pb.h"
#include "doleances/intake/v1/intake_service.pb.h"
#include "services/intake/complaint_mapping.h"
#include "services/intake/pg_complaint_store.h"

#include <optional>

namespace doleances::intake {
namespace {

struct PublicChange {
  int status;
  int entry_type;
};

// What an event means for the citizen's view, if anything.
std::optional<PublicChange> PublicChangeOf(const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kComplaintRouted:
      return PublicChange{type::v1::CASE_STATE_ROUTED,
                          v1::PUBLIC_HISTORY_ENTRY_TYPE_STATUS_CHANGED};
    case events::v1::Event::kComplaintResponded:
      return PublicChange{type::v1::CASE_STATE_RESPONDED, v1::PUBLIC_HISTORY_ENTRY_TYPE_RESPONSE};
    case events::v1::Event::kCaseTransferred:
      return PublicChange{type::v1::CASE_STATE_TRANSFERRED,
                          v1::PUBLIC_HISTORY_ENTRY_TYPE_TRANSFERRED};
    case events::v1::Event::kCaseTransitioned: {
      const type::v1::CaseState to = event.case_transitioned().to_state();
      int entry = v1::PUBLIC_HISTORY_ENTRY_TYPE_STATUS_CHANGED;
      if (to == type::v1::CASE_STATE_AWAITING_CITIZEN) {
        entry = v1::PUBLIC_HISTORY_ENTRY_TYPE_INFORMATION_REQUESTED;
      } else if (to == type::v1::CASE_STATE_ESCALATED) {
        entry = v1::PUBLIC_HISTORY_ENTRY_TYPE_ESCALATED;
      } else if (to == type::v1::CASE_STATE_IN_MEDIATION) {
        entry = v1::PUBLIC_HISTORY_ENTRY_TYPE_MEDIATION;
      }
      return PublicChange{to, entry};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

absl::Status ApplyIntakeEvent(pqxx::work& tx, const events::StoredEvent& stored) {
  events::v1::Event event;
  if (!event.ParseFromString(stored.payload)) {
    // A malformed event can never be applied; stalling on it would stop every later one.
    log::Error("unreadable event skipped", {{"event_id", static_cast<long long>(stored.id)}});
    return absl::OkStatus();
  }
  if (event.source() == events::v1::EVENT_SOURCE_INTAKE) {
    return absl::OkStatus();
  }
  const std::optional<PublicChange> change = PublicChangeOf(event);
  if (!change.has_value()) {
    return absl::OkStatus();
  }
  absl::StatusOr<StatusChange> applied = PgComplaintStore::ApplyStatusChange(
      tx, event.complaint_id(), change->status, change->entry_type, event.actor().kind(),
      FromTimestamp(event.occur_time()));
  if (applied.status().code() == absl::StatusCode::kNotFound) {
    log::Warning(
        "event about an unknown complaint skipped",
        {{"event_id", static_cast<long long>(stored.id)}, {"event_type", stored.event_type}});
    return absl::OkStatus();
  }
  return applied.status();
}

}  // namespace doleances::intake
