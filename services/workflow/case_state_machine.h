// The case state machine (DESIGN.md §5), as data: one table of allowed transitions, each with
// who may trigger it, what the request must carry and what it does to the case's clocks. Every
// state change of a case (TransitionCase, RespondToCase, EscalateCase, TransferCase,
// SendToMediation, ReportMediationOutcome, intake's events, timers) is checked here and nowhere
// else. Pure: no database, no clock, no protobuf message beyond the generated enums.
//
// Standard flow: RECEIVED -> ROUTED -> ASSIGNED -> IN_PROGRESS <-> AWAITING_CITIZEN -> RESPONDED
// -> CLOSED, with ESCALATED (hierarchical recourse or automatic escalation), IN_MEDIATION (back to
// IN_PROGRESS or CLOSED by the mediation's outcome), REJECTED (with a motive), REOPENED (a new
// recourse after a decision, then back into the flow), WITHDRAWN (by the citizen or the submitter
// from any non-final state) and TRANSFERRED (to the competent administration, CRPA L114-2, from
// any non-final state before a decision). Final states: CLOSED, REJECTED, WITHDRAWN and
// TRANSFERRED; CLOSED and REJECTED may still be REOPENED on a new recourse (complaint.proto).
#pragma once

#include "doleances/type/v1/complaint.pb.h"
#include "doleances/type/v1/mediation.pb.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <string>
#include <vector>

namespace doleances::workflow {

// Who or what causes a transition. Role checks (RPC permissions) and row-level checks (is the
// caller the case's assignee?) happen before; this says which kind of cause a transition accepts.
enum class Trigger {
  // The agent assigned to the case, or the agent becoming it (ClaimNextCase).
  kAssignee,
  // A supervisor of the case's department, or of the authority it was escalated to.
  kSupervisor,
  // Workflow itself: routing, automatic assignment, timers (escalation on breach, closure).
  kSystem,
  // The citizen (or the submitting system on their behalf) through an intake event:
  // CitizenMessageReceived, ComplaintWithdrawn.
  kCitizen,
  // MediationService reporting a mediation's outcome (ReportMediationOutcome).
  kMediationOutcome,
};

// What a transition does to the case's clocks (deadline.proto: ClockKind, PauseReason,
// ResumeMode, ClockState). The clock engine applies it; the policies say which clocks pause and
// whether a resumed clock continues or restarts.
enum class ClockEffect {
  // Clocks carry on as they are.
  kNone,
  // The case opens: its clocks start, with the complaint's receipt as start event.
  kStart,
  // Clocks whose policy pauses are paused with PAUSE_REASON_AWAITING_CITIZEN.
  kPauseAwaitingCitizen,
  // Clocks paused for the citizen resume, continuing or restarting as their policy says (CRPA
  // L114-5: a request for missing documents restarts).
  kResumeFromCitizen,
  // Clocks whose policy pauses are paused with PAUSE_REASON_IN_MEDIATION (CJA L213-6: mediation
  // interrupts the time limits for going to court).
  kPauseInMediation,
  // Clocks paused for mediation resume, continuing or restarting as their policy says.
  kResumeFromMediation,
  // The case moves to the hierarchical authority: processing clocks restart on the escalation
  // queue's policies, legal clocks carry on, a running APPEAL_WINDOW stops (the citizen used it).
  kEscalate,
  // A decision was notified (a response or a rejection): FIRST_RESPONSE, RESOLUTION and
  // STATUTORY_REPLY stop (MET or MISSED) and the APPEAL_WINDOW starts (CJA R421-1).
  kStopForDecision,
  // Every clock still running or paused stops for good (MET or MISSED); a running APPEAL_WINDOW
  // is the citizen's and runs on to its expiry.
  kStop,
  // Every clock, the APPEAL_WINDOW included, is CANCELLED: the case ends without a decision here.
  kCancel,
  // A new recourse: the APPEAL_WINDOW stops and the processing and legal clocks start afresh,
  // with the recourse as start event.
  kRestartForRecourse,
};

// One allowed transition. (from, to) pairs are unique in the table; from != to.
struct TransitionRule {
  type::v1::CaseState from;
  type::v1::CaseState to;
  std::vector<Trigger> triggers;  // Who may cause it; never empty.
  bool requires_motive;           // "motive" must be given (REJECTED, REOPENED, ...).
  bool requires_public_message;   // "public_message" must be given (AWAITING_CITIZEN, ...).
  ClockEffect clock_effect;
};

// The one table of allowed transitions, grouped by source state in lifecycle order.
const std::vector<TransitionRule>& TransitionRules();

// The rule for from -> to, or nullptr if that transition is not allowed.
const TransitionRule* FindTransitionRule(type::v1::CaseState from, type::v1::CaseState to);

// Checks that `trigger` may move a case from `from` to `to` with what the request carries.
// FAILED_PRECONDITION if the pair is not in the table or the trigger is not one of the rule's
// (message "transition CASE_STATE_X -> CASE_STATE_Y is not allowed ...", with a
// PreconditionFailure detail of type TRANSITION_NOT_ALLOWED about `subject`, e.g.
// "case/<uuid>"); then INVALID_ARGUMENT (common::InvalidArguments) naming each missing field,
// "motive" and/or "public_message"; otherwise OK. UNSPECIFIED or unknown states are never
// allowed: the handler rejects an unset target_state as INVALID_ARGUMENT before calling this.
absl::Status CheckTransition(type::v1::CaseState from, type::v1::CaseState to, Trigger trigger,
                             bool has_motive, bool has_public_message,
                             absl::string_view subject = "case");

// Whether no further work happens on a case in `state`: CLOSED, REJECTED, WITHDRAWN,
// TRANSFERRED. CLOSED and REJECTED can still be REOPENED (see the table).
bool IsFinal(type::v1::CaseState state);

// The states `trigger` may move a case in `from` to, in table order; empty if none.
std::vector<type::v1::CaseState> NextStates(type::v1::CaseState from, Trigger trigger);

// The default mapping of a mediation's outcome to the case's next state (workflow_service.proto,
// ReportMediationOutcome): AGREEMENT and REFERRED close the case; NO_AGREEMENT, WITHDRAWN and
// INADMISSIBLE send it back to IN_PROGRESS. INVALID_ARGUMENT (field "outcome") for UNSPECIFIED
// or an unknown value. The transition itself is then checked with kMediationOutcome.
absl::StatusOr<type::v1::CaseState> StateAfterMediation(type::v1::MediationOutcome outcome);

// "assignee", "supervisor", "system", "citizen", "mediation_outcome".
absl::string_view TriggerName(Trigger trigger);

// "none", "start", "pause_awaiting_citizen", ... (the enumerator without its k, in snake_case).
absl::string_view ClockEffectName(ClockEffect effect);

// The table as a Markdown table (one row per rule, states without their CASE_STATE_ prefix), for
// docs/.
std::string TransitionTableMarkdown();

// The table as a Graphviz digraph (final states drawn double, edges labelled with triggers and
// requirements), for docs/.
std::string TransitionGraphviz();

}  // namespace doleances::workflow
