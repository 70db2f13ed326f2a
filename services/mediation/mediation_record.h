// Mediation's records as stored: plain structs, enums as the contract's numbers, so that the
// stores see no protobuf message.
#pragma once

#include <absl/time/time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doleances::mediation {

// [start, end) of absolute time; an unset side is unbounded.
struct Window {
  std::optional<absl::Time> start;
  std::optional<absl::Time> end;
};

struct MediatorRecord {
  std::string mediator_id;
  int64_t mediator_key = 0;  // Surrogate for the sessions' exclusion constraint.
  std::string principal_id;
  std::string display_name;
  std::vector<std::string> administration_ids;
  std::vector<std::string> specialties;
  std::vector<std::string> territory_prefixes;
  int capacity = 0;
  std::vector<Window> availability_windows;
  bool active = true;
  std::vector<std::string> conflict_department_ids;
  int open_mediation_count = 0;  // Derived: open mediations assigned.
  int64_t version = 0;
  absl::Time create_time;
  absl::Time update_time;
};

struct MediationRecord {
  std::string mediation_id;
  std::string complaint_id;
  std::string case_id;
  std::string administration_id;
  int kind = 0;
  std::string category;
  std::string commune_code;
  std::string department_code;
  std::string region_code;
  int requested_by = 0;
  std::string case_summary;
  std::string disputed_department_id;
  std::optional<std::string> written_complaint_date;  // "YYYY-MM-DD"
  int state = 0;
  std::optional<std::string> mediator_id;
  std::string assignment_reason;
  std::string admissibility;  // Serialized v1.Admissibility; empty until decided.
  absl::Time request_time;
  absl::Time admissibility_due;
  std::optional<absl::Time> admissibility_stop;
  std::optional<absl::Time> saisine_notify_time;
  std::optional<absl::Time> outcome_due;
  int extension_days = 0;
  int outcome = 0;
  std::string agreement_terms;
  int referral_body = 0;
  std::string referral_body_name;
  std::string referral_reference;
  int withdrawn_by = 0;
  std::string closing_summary;
  std::optional<absl::Time> close_time;
  bool outcome_reported = false;
  int64_t version = 0;
  absl::Time create_time;
  absl::Time update_time;
  // What the deadline timers announced (mediation_timers.h), each once per due time.
  bool admissibility_warning_fired = false;
  bool admissibility_breach_fired = false;
  bool outcome_warning_fired = false;
  bool outcome_breach_fired = false;
  // Derived on every write: the earliest timer still to fire, nullopt when none.
  std::optional<absl::Time> next_fire_time;
};

struct ParticipantRecord {
  int party = 0;
  int role = 0;
  int attendance_mode = 0;
  std::string principal_id;
};

struct SessionRecord {
  std::string session_id;
  std::string mediation_id;
  std::string mediator_id;
  absl::Time start_time;
  absl::Time end_time;
  std::string time_zone;
  std::string place_address;
  std::string video_link;
  std::vector<ParticipantRecord> participants;
  int state = 0;
  std::string motive;
  int reschedule_count = 0;
  std::optional<std::string> request_id;
  absl::Time create_time;
  absl::Time update_time;
};

struct ProposalResponseRecord {
  int party = 0;
  int decision = 0;
  std::string comment;
  absl::Time respond_time;
};

struct ProposalRecord {
  std::string proposal_id;
  std::string mediation_id;
  std::string terms;
  absl::Time acceptance_deadline;
  int state = 0;  // EXPIRED is written by the timer that announced it.
  std::vector<ProposalResponseRecord> responses;
  absl::Time create_time;
  bool warning_fired = false;  // The PROPOSAL_ACCEPTANCE warning was announced.
};

struct NoteRecord {
  std::string note_id;
  std::string mediation_id;
  int visibility = 0;
  int party = 0;
  std::string text;
  int author_kind = 0;
  std::string author_id;
  absl::Time create_time;
};

// A mediation with what hangs from it, as GetMediation shows it.
struct MediationFile {
  MediationRecord mediation;
  std::vector<SessionRecord> sessions;
  std::vector<ProposalRecord> proposals;
};

}  // namespace doleances::mediation
