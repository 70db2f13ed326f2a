// The mediation state machine, as data: one table saying, for every action on a mediation, the
// states it is allowed in and the state it leaves the mediation in. Every handler checks here
// and nowhere else. Pure: no database, no clock.
//
// AWAITING_ADMISSIBILITY -> IN_PROGRESS (admissible) -> CLOSED (outcome); an inadmissible
// decision, a withdrawal (either party, at any time) or CloseMediation also close it from
// AWAITING_ADMISSIBILITY. CLOSED is terminal.
#pragma once

#include "doleances/mediation/v1/mediation_service.pb.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <string>
#include <vector>

namespace doleances::mediation {

// What can be done to a mediation (one per state-changing RPC, admissibility split by decision).
enum class Action {
  kAssign,
  kAdmit,
  kDeclareInadmissible,
  kScheduleSession,
  kChangeSession,  // Reschedule or cancel.
  kRecordProposal,
  kRespondToProposal,
  kAddNote,
  kExtendDeadline,
  kWithdraw,
  kClose,
};

// One line of the table. `to` is UNSPECIFIED when the action leaves the state unchanged.
struct ActionRule {
  Action action;
  std::vector<v1::MediationState> from;
  v1::MediationState to;
};

// The one table, in lifecycle order.
const std::vector<ActionRule>& ActionRules();

// The state `action` leaves a mediation in `from` in (`from` itself for an action that does not
// change it). FAILED_PRECONDITION with a PreconditionFailure of type ACTION_NOT_ALLOWED about
// `subject` ("mediation/<uuid>") when the table does not allow it.
absl::StatusOr<v1::MediationState> CheckAction(v1::MediationState from, Action action,
                                               absl::string_view subject);

// "assign", "admit", ...: for messages.
absl::string_view ActionName(Action action);

// Whether a mediation in `state` is still open (counts against its mediator's capacity).
bool IsOpen(v1::MediationState state);

}  // namespace doleances::mediation
