#pragma once

#include <absl/time/time.h>

#include <cstdint>
#include <optional>
#include <string>

namespace doleances::intake {

// A stored complaint as the store sees it: the columns that listing and routing need, and the
// submitted complaint itself as an opaque serialized body (which holds the personal data).
// Enum-valued fields hold the contract's enum numbers.
struct ComplaintRecord {
  std::string complaint_id;
  std::string tracking_code;
  std::string submitter_id;
  std::string administration_id;
  int kind = 0;
  int channel = 0;
  int priority = 0;
  std::string category_hint;
  std::string commune_code;
  std::string department_code;
  std::optional<std::string> external_reference;
  int status = 0;
  bool late_appeal = false;
  absl::Time receive_time;
  absl::Time acknowledgement_due_time;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
  std::string request_hash;  // SHA-256 of the canonical submitted complaint.
  std::string body;          // Serialized doleances.intake.v1.Complaint as submitted.
};

// One change of a complaint's citizen-facing state (versions after 1). Enum-valued fields hold
// the contract's enum numbers (CaseState, PublicHistoryEntryType, ActorKind).
struct StatusChange {
  int64_t version = 0;
  int status = 0;
  int previous_status = 0;
  int entry_type = 0;
  int actor_kind = 0;
  absl::Time change_time;
  std::string message;  // Public text of the change, if any.
};

// A message the citizen added to their file; `body` is the serialized CitizenMessage.
struct CitizenMessageRecord {
  std::string message_id;
  std::string body;
  absl::Time create_time;
  bool replayed = false;  // Stored earlier under the same idempotency key.
};

// The satisfaction survey of one complaint.
struct FeedbackRecord {
  std::string feedback_id;
  int satisfaction = 0;
  std::optional<bool> problem_solved;
  std::string comment;
  absl::Time create_time;
};

}  // namespace doleances::intake
