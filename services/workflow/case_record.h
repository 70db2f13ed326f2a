#pragma once

#include <absl/strings/str_cat.h>
#include <absl/time/time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// A case as the store sees it. Enum-valued fields hold the contract's enum numbers.
struct CaseRecord {
  std::string case_id;
  std::string complaint_id;
  std::string administration_id;
  int kind = 0;
  int channel = 0;  // doleances.type.v1.Channel
  std::string category;
  std::string commune_code;
  std::string department_code;
  int priority = 0;
  int state = 0;
  std::optional<std::string> queue_id;
  std::optional<std::string> department_id;  // The queue's department.
  std::optional<std::string> routing_rule_id;
  std::optional<std::string> assignee_id;  // The agent's agent_id.
  // The assignee's authentication principal, to recognise them when they call.
  std::optional<std::string> assignee_principal_id;
  std::optional<std::string> mediation_id;  // Once mediation acknowledged SendToMediation.
  std::optional<std::string> last_response_id;
  int escalation_level = 0;
  // Previous case of its transfer or appeal chain, and the later ones linked to it.
  std::optional<std::string> parent_case_id;
  std::vector<std::string> child_case_ids;
  // Set on a case opened by TransferCase: when it was transferred in.
  std::optional<absl::Time> transfer_time;
  // Earliest due time among the running clocks the administration must act on.
  std::optional<absl::Time> next_due_time;
  absl::Time receive_time;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
  // Aggregate version of the case's last event (Event.aggregate_version), apart from `version`
  // so that timers firing never make a caller's expected_version stale.
  int64_t event_version = 0;
};

// What ListCases selects; empty fields do not filter.
struct CaseFilter {
  std::string administration_id;
  std::vector<std::string> queue_ids;
  std::vector<int> states;  // Empty: every non-terminal state.
  std::optional<std::string> assignee_id;
  bool unassigned_only = false;
  std::optional<absl::Time> due_before;  // next_due_time at or before (breaching_within).
  std::optional<std::string> complaint_id;
  std::vector<int> kinds;
  std::vector<std::string> categories;
  int order = 0;  // v1::CaseOrder
};

// One entry of a case's history: a transition, or a note that changes no state.
struct CaseHistoryEntry {
  std::string case_id;   // Set when read back (an inherited entry names its own case).
  int64_t entry_no = 0;  // Position in the case's history, from 1; assigned when stored.
  int entry_type = 0;    // v1::CaseHistoryEntryType; TRANSITIONED if left 0 for a transition.
  int64_t version = 0;   // Case version after the entry.
  int from_state = 0;
  int to_state = 0;
  int actor_kind = 0;
  std::string actor_id;
  std::string motive_code;
  std::string public_message;  // Shown to the citizen.
  std::string internal_note;   // Agents only.
  absl::Time occur_time;
  std::string related_id;   // The record the entry names (new case of a transfer, ...).
  std::string attachments;  // Serialized v1::CaseHistoryEntry holding only its attachments.
};

// The id callers and events use for a history entry.
inline std::string HistoryEntryId(const std::string& case_id, int64_t entry_no) {
  return absl::StrCat(case_id, "/", entry_no);
}

// What routing needs to know about an administration: its enabled rules (serialized
// doleances.workflow.v1.RoutingRule) and its default queue.
struct RoutingConfig {
  std::vector<std::string> rules;
  std::optional<std::string> default_queue_id;
};

}  // namespace doleances::workflow
