#include "services/intake/intake_event_handler.h"

#include "common/log/log.h"
#include "doleances/events/v1/events.pb.h"
#include "doleances/intake/v1/intake_service.pb.h"
#include "services/intake/complaint_mapping.h"
#include "services/intake/pg_complaint_store.h"

#include <optional>
#include <string>
#include <utility>

namespace doleances::intake {
namespace {

struct PublicChange {
  int status;  // kKeepStatus: a message that changes no status.
  int entry_type;
};

constexpr int kKeepStatus = -1;

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
    case events::v1::Event::kCaseMessagePosted:
      return PublicChange{kKeepStatus, v1::PUBLIC_HISTORY_ENTRY_TYPE_ADMINISTRATION_MESSAGE};
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

// The clock an event starts, pauses, resumes or stops, updated as that event says; nullopt for
// events that are not about clocks. `stored` is the clock as known so far.
std::optional<type::v1::Deadline> UpdatedClock(const events::v1::Event& event,
                                               const std::optional<std::string>& stored) {
  type::v1::Deadline deadline;
  if (stored.has_value()) {
    deadline.ParseFromString(*stored);
  }
  switch (event.payload_case()) {
    case events::v1::Event::kClockStarted: {
      const events::v1::ClockStarted& started = event.clock_started();
      deadline.Clear();
      deadline.set_clock(started.clock());
      deadline.set_state(type::v1::CLOCK_STATE_RUNNING);
      *deadline.mutable_spec() = started.spec();
      deadline.set_policy_id(started.policy_id());
      *deadline.mutable_start_time() = started.start_time();
      *deadline.mutable_due_time() = started.due_time();
      *deadline.mutable_warning_time() = started.warning_time();
      return deadline;
    }
    case events::v1::Event::kClockPaused:
      deadline.set_clock(event.clock_paused().clock());
      deadline.set_state(type::v1::CLOCK_STATE_PAUSED);
      *deadline.mutable_pause_time() = event.clock_paused().pause_time();
      deadline.set_pause_reason(event.clock_paused().reason());
      return deadline;
    case events::v1::Event::kClockResumed:
      deadline.set_clock(event.clock_resumed().clock());
      deadline.set_state(type::v1::CLOCK_STATE_RUNNING);
      deadline.clear_pause_time();
      deadline.clear_pause_reason();
      *deadline.mutable_due_time() = event.clock_resumed().due_time();
      *deadline.mutable_warning_time() = event.clock_resumed().warning_time();
      return deadline;
    case events::v1::Event::kClockStopped:
      deadline.set_clock(event.clock_stopped().clock());
      deadline.set_state(event.clock_stopped().state());
      *deadline.mutable_stop_time() = event.clock_stopped().stop_time();
      *deadline.mutable_due_time() = event.clock_stopped().due_time();
      return deadline;
    default:
      return std::nullopt;
  }
}

int ClockOf(const events::v1::Event& event) {
  switch (event.payload_case()) {
    case events::v1::Event::kClockStarted:
      return event.clock_started().clock();
    case events::v1::Event::kClockPaused:
      return event.clock_paused().clock();
    case events::v1::Event::kClockResumed:
      return event.clock_resumed().clock();
    case events::v1::Event::kClockStopped:
      return event.clock_stopped().clock();
    default:
      return type::v1::CLOCK_KIND_UNSPECIFIED;
  }
}

// The public history entry an event points at, as (case id, entry id), if any.
std::optional<std::pair<std::string, std::string>> PublicEntryOf(const events::v1::Event& event) {
  if (event.has_complaint_responded()) {
    return std::make_pair(event.complaint_responded().case_id(),
                          event.complaint_responded().history_entry_id());
  }
  if (event.has_case_message_posted()) {
    return std::make_pair(event.case_message_posted().case_id(),
                          event.case_message_posted().history_entry_id());
  }
  if (event.has_case_transferred() && !event.case_transferred().history_entry_id().empty()) {
    return std::make_pair(event.case_transferred().case_id(),
                          event.case_transferred().history_entry_id());
  }
  if (event.has_case_transitioned() && event.case_transitioned().has_public_message()) {
    return std::make_pair(event.case_transitioned().case_id(),
                          event.case_transitioned().history_entry_id());
  }
  return std::nullopt;
}

absl::Status Apply(pqxx::work& tx, const events::StoredEvent& stored, PublicTextSource* texts) {
  events::v1::Event event;
  if (!event.ParseFromString(stored.payload)) {
    // A malformed event can never be applied; stalling on it would stop every later one.
    log::Error("unreadable event skipped", {{"event_id", static_cast<long long>(stored.id)}});
    return absl::OkStatus();
  }
  if (event.source() == events::v1::EVENT_SOURCE_INTAKE) {
    return absl::OkStatus();
  }
  if (const int clock = ClockOf(event); clock != type::v1::CLOCK_KIND_UNSPECIFIED) {
    if (!PgComplaintStore::LockComplaint(tx, event.complaint_id()).has_value()) {
      log::Warning("clock of an unknown complaint skipped",
                   {{"event_id", static_cast<long long>(stored.id)}});
      return absl::OkStatus();
    }
    const std::optional<type::v1::Deadline> updated =
        UpdatedClock(event, PgComplaintStore::LockDeadline(tx, event.complaint_id(), clock));
    PgComplaintStore::SaveDeadline(tx, event.complaint_id(), clock, updated->SerializeAsString());
    return absl::OkStatus();
  }
  const std::optional<PublicChange> change = PublicChangeOf(event);
  if (!change.has_value()) {
    return absl::OkStatus();
  }
  std::string message;
  if (const auto entry = PublicEntryOf(event); entry.has_value() && texts != nullptr) {
    absl::StatusOr<std::string> text = texts->PublicText(entry->first, entry->second);
    if (absl::IsNotFound(text.status())) {
      log::Warning("public entry not found in workflow; shown without text",
                   {{"event_id", static_cast<long long>(stored.id)}});
    } else if (!text.ok()) {
      return text.status();  // Workflow unreachable: the consumer retries this event.
    } else {
      message = *std::move(text);
    }
  }
  int status = change->status;
  if (status == kKeepStatus) {
    const std::optional<int> current = PgComplaintStore::LockComplaint(tx, event.complaint_id());
    status = current.value_or(type::v1::CASE_STATE_UNSPECIFIED);
  }
  absl::StatusOr<StatusChange> applied = PgComplaintStore::ApplyStatusChange(
      tx, event.complaint_id(), status, change->entry_type, event.actor().kind(),
      FromTimestamp(event.occur_time()), message);
  if (applied.status().code() == absl::StatusCode::kNotFound) {
    log::Warning(
        "event about an unknown complaint skipped",
        {{"event_id", static_cast<long long>(stored.id)}, {"event_type", stored.event_type}});
    return absl::OkStatus();
  }
  return applied.status();
}

}  // namespace

absl::Status ApplyIntakeEvent(pqxx::work& tx, const events::StoredEvent& stored) {
  return Apply(tx, stored, nullptr);
}

events::EventHandler IntakeEventHandler(PublicTextSource& texts) {
  return [&texts](pqxx::work& tx, const events::StoredEvent& stored) {
    return Apply(tx, stored, &texts);
  };
}

}  // namespace doleances::intake
