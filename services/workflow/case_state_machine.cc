#include "services/workflow/case_state_machine.h"

#include "common/status/grpc_status.h"

#include "doleances/type/v1/errors.pb.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <absl/strings/strip.h>

#include <algorithm>
#include <string>
#include <vector>

namespace doleances::workflow {
namespace {

using type::v1::CaseState;
using type::v1::MediationOutcome;

constexpr CaseState kReceived = type::v1::CASE_STATE_RECEIVED;
constexpr CaseState kRouted = type::v1::CASE_STATE_ROUTED;
constexpr CaseState kAssigned = type::v1::CASE_STATE_ASSIGNED;
constexpr CaseState kInProgress = type::v1::CASE_STATE_IN_PROGRESS;
constexpr CaseState kAwaitingCitizen = type::v1::CASE_STATE_AWAITING_CITIZEN;
constexpr CaseState kResponded = type::v1::CASE_STATE_RESPONDED;
constexpr CaseState kClosed = type::v1::CASE_STATE_CLOSED;
constexpr CaseState kEscalated = type::v1::CASE_STATE_ESCALATED;
constexpr CaseState kInMediation = type::v1::CASE_STATE_IN_MEDIATION;
constexpr CaseState kRejected = type::v1::CASE_STATE_REJECTED;
constexpr CaseState kReopened = type::v1::CASE_STATE_REOPENED;
constexpr CaseState kWithdrawn = type::v1::CASE_STATE_WITHDRAWN;
constexpr CaseState kTransferred = type::v1::CASE_STATE_TRANSFERRED;

constexpr CaseState kFinalStates[] = {kClosed, kRejected, kWithdrawn, kTransferred};

// What a request must carry; no transition needs both.
enum class Needs {
  kNothing,
  kMotive,   // "motive"
  kMessage,  // "public_message"
};

// One line of the table as written below; TransitionRule spells the requirement out.
struct Row {
  CaseState from;
  CaseState to;
  std::vector<Trigger> triggers;
  Needs needs;
  ClockEffect clock_effect;
};

std::vector<TransitionRule> ToRules(const std::vector<Row>& rows) {
  std::vector<TransitionRule> rules;
  rules.reserve(rows.size());
  for (const Row& row : rows) {
    rules.push_back({.from = row.from,
                     .to = row.to,
                     .triggers = row.triggers,
                     .requires_motive = row.needs == Needs::kMotive,
                     .requires_public_message = row.needs == Needs::kMessage,
                     .clock_effect = row.clock_effect});
  }
  return rules;
}

struct MediationOutcomeRule {
  MediationOutcome outcome;
  CaseState next_state;
};

// workflow_service.proto, ReportMediationOutcome: "by default AGREEMENT and REFERRED close it;
// NO_AGREEMENT, WITHDRAWN and INADMISSIBLE send it back to IN_PROGRESS with its assignee".
constexpr MediationOutcomeRule kMediationOutcomeRules[] = {
    {type::v1::MEDIATION_OUTCOME_AGREEMENT, kClosed},
    {type::v1::MEDIATION_OUTCOME_NO_AGREEMENT, kInProgress},
    {type::v1::MEDIATION_OUTCOME_WITHDRAWN, kInProgress},
    {type::v1::MEDIATION_OUTCOME_INADMISSIBLE, kInProgress},
    {type::v1::MEDIATION_OUTCOME_REFERRED, kClosed},
};

// "CASE_STATE_IN_PROGRESS", or the number for a value the enum does not know.
std::string StateName(CaseState state) {
  const std::string& name = type::v1::CaseState_Name(state);
  return name.empty() ? absl::StrCat("CaseState(", static_cast<int>(state), ")") : name;
}

// "IN_PROGRESS": for docs, where the prefix is noise.
std::string ShortStateName(CaseState state) {
  return std::string(absl::StripPrefix(StateName(state), "CASE_STATE_"));
}

std::string TriggerNames(const std::vector<Trigger>& triggers) {
  return absl::StrJoin(triggers, ", ", [](std::string* out, Trigger trigger) {
    absl::StrAppend(out, TriggerName(trigger));
  });
}

std::vector<std::string> RequiredFields(const TransitionRule& rule) {
  std::vector<std::string> fields;
  if (rule.requires_motive) {
    fields.push_back("motive");
  }
  if (rule.requires_public_message) {
    fields.push_back("public_message");
  }
  return fields;
}

absl::Status NotAllowed(CaseState from, CaseState to, absl::string_view subject,
                        absl::string_view why) {
  const std::string description =
      absl::StrCat("transition ", StateName(from), " -> ", StateName(to), " is not allowed", why);
  type::v1::PreconditionFailure failure;
  type::v1::PreconditionViolation* violation = failure.add_violations();
  violation->set_type("TRANSITION_NOT_ALLOWED");
  violation->set_subject(std::string(subject));
  violation->set_description(description);
  return common::WithDetail(absl::FailedPreconditionError(description), failure);
}

}  // namespace

namespace {

// The table. Choices the contract leaves open, made here once:
// - Nothing is done to a RECEIVED complaint but routing it (or its withdrawal): the case opens
//   when routed, and only then can people act on it.
// - Agents do not hand a case back to the queue (ClaimNextCase exists so that nobody
//   cherry-picks); supervisors and the system (an agent deactivated) do.
// - A decision is a response or a rejection; both start the APPEAL_WINDOW (CJA R421-1). A new
//   recourse against either is REOPENED (recours gracieux, same authority) or ESCALATED
//   (recours hiérarchique); a rejection needs a motive (CRPA L211-2), so does a reopening
//   (TransitionCaseRequest.motive), an escalation and a transfer (their RPCs' motive is
//   required; timers give a standard one).
// - Transfers happen before any decision (RESPONDED has no way to TRANSFERRED), but a REOPENED
//   recourse may still be forwarded to the competent authority.
// - ESCALATED cases are handled by the authority's supervisors, or assigned in its queue.
// - Only the mediation outcome takes a case out of IN_MEDIATION, except the citizen's
//   withdrawal; mediation is entered from IN_PROGRESS, ESCALATED or RESPONDED (the citizen
//   disputes the response).
std::vector<TransitionRule> BuildTransitionRules() {
  using enum ClockEffect;
  using enum Needs;
  const std::vector<Trigger> system = {Trigger::kSystem};
  const std::vector<Trigger> citizen = {Trigger::kCitizen};
  const std::vector<Trigger> mediation = {Trigger::kMediationOutcome};
  const std::vector<Trigger> supervisor = {Trigger::kSupervisor};
  const std::vector<Trigger> supervisor_or_system = {Trigger::kSupervisor, Trigger::kSystem};
  const std::vector<Trigger> staff = {Trigger::kAssignee, Trigger::kSupervisor};
  const std::vector<Trigger> staff_or_system = {Trigger::kAssignee, Trigger::kSupervisor,
                                                Trigger::kSystem};
  const std::vector<Trigger> staff_or_citizen = {Trigger::kAssignee, Trigger::kSupervisor,
                                                 Trigger::kCitizen};
  // clang-format off
  const std::vector<Row> rows = {
      // from            to                who may trigger it    requires  clocks
      // Routing opens the case.
      {kReceived,        kRouted,          system,               kNothing, kStart},
      {kReceived,        kWithdrawn,       citizen,              kNothing, kCancel},

      // In a queue: assigned automatically, by a supervisor, or claimed (ClaimNextCase).
      {kRouted,          kAssigned,        staff_or_system,      kNothing, kNone},
      {kRouted,          kRejected,        supervisor,           kMotive,  kStopForDecision},
      {kRouted,          kEscalated,       supervisor_or_system, kMotive,  kEscalate},
      {kRouted,          kTransferred,     supervisor,           kMotive,  kCancel},
      {kRouted,          kWithdrawn,       citizen,              kNothing, kCancel},

      {kAssigned,        kInProgress,      staff,                kNothing, kNone},
      {kAssigned,        kRouted,          supervisor_or_system, kNothing, kNone},
      {kAssigned,        kRejected,        staff,                kMotive,  kStopForDecision},
      {kAssigned,        kEscalated,       staff_or_system,      kMotive,  kEscalate},
      {kAssigned,        kTransferred,     staff,                kMotive,  kCancel},
      {kAssigned,        kWithdrawn,       citizen,              kNothing, kCancel},

      {kInProgress,      kAwaitingCitizen, staff,                kMessage, kPauseAwaitingCitizen},
      {kInProgress,      kResponded,       staff,                kMessage, kStopForDecision},
      {kInProgress,      kRejected,        staff,                kMotive,  kStopForDecision},
      {kInProgress,      kEscalated,       staff_or_system,      kMotive,  kEscalate},
      {kInProgress,      kInMediation,     staff,                kNothing, kPauseInMediation},
      {kInProgress,      kTransferred,     staff,                kMotive,  kCancel},
      {kInProgress,      kAssigned,        supervisor_or_system, kNothing, kNone},
      {kInProgress,      kRouted,          supervisor_or_system, kNothing, kNone},
      {kInProgress,      kWithdrawn,       citizen,              kNothing, kCancel},

      // The citizen answers (CitizenMessageReceived), or the case is resumed by hand (an answer
      // by mail or phone, or none coming).
      {kAwaitingCitizen, kInProgress,      staff_or_citizen,     kNothing, kResumeFromCitizen},
      {kAwaitingCitizen, kRejected,        staff,                kMotive,  kStopForDecision},
      {kAwaitingCitizen, kTransferred,     staff,                kMotive,  kCancel},
      {kAwaitingCitizen, kWithdrawn,       citizen,              kNothing, kCancel},

      // Closed by hand or by a timer (the appeal window ran out).
      {kResponded,       kClosed,          staff_or_system,      kNothing, kStop},
      {kResponded,       kReopened,        staff,                kMotive,  kRestartForRecourse},
      {kResponded,       kEscalated,       staff,                kMotive,  kEscalate},
      {kResponded,       kInMediation,     staff,                kNothing, kPauseInMediation},
      {kResponded,       kWithdrawn,       citizen,              kNothing, kCancel},

      // Final, except for a new recourse (complaint.proto).
      {kClosed,          kReopened,        staff,                kMotive,  kRestartForRecourse},

      {kRejected,        kReopened,        staff,                kMotive,  kRestartForRecourse},

      // In the hierarchical authority's queue.
      {kEscalated,       kAssigned,        staff_or_system,      kNothing, kNone},
      {kEscalated,       kInProgress,      supervisor,           kNothing, kNone},
      {kEscalated,       kResponded,       supervisor,           kMessage, kStopForDecision},
      {kEscalated,       kRejected,        supervisor,           kMotive,  kStopForDecision},
      {kEscalated,       kInMediation,     supervisor,           kNothing, kPauseInMediation},
      {kEscalated,       kTransferred,     supervisor,           kMotive,  kCancel},
      {kEscalated,       kWithdrawn,       citizen,              kNothing, kCancel},

      // Only the outcome (ReportMediationOutcome) or a withdrawal takes a case out of mediation.
      {kInMediation,     kInProgress,      mediation,            kNothing, kResumeFromMediation},
      {kInMediation,     kClosed,          mediation,            kNothing, kStop},
      {kInMediation,     kWithdrawn,       citizen,              kNothing, kCancel},

      // A new recourse goes back into the flow, or ends like a first one.
      {kReopened,        kRouted,          supervisor_or_system, kNothing, kNone},
      {kReopened,        kAssigned,        supervisor_or_system, kNothing, kNone},
      {kReopened,        kInProgress,      staff,                kNothing, kNone},
      {kReopened,        kEscalated,       staff_or_system,      kMotive,  kEscalate},
      {kReopened,        kRejected,        staff,                kMotive,  kStopForDecision},
      {kReopened,        kTransferred,     staff,                kMotive,  kCancel},
      {kReopened,        kWithdrawn,       citizen,              kNothing, kCancel},
  };
  // clang-format on
  return ToRules(rows);
}

}  // namespace

const std::vector<TransitionRule>& TransitionRules() {
  static const auto* const rules = new std::vector<TransitionRule>(BuildTransitionRules());
  return *rules;
}

const TransitionRule* FindTransitionRule(CaseState from, CaseState to) {
  const std::vector<TransitionRule>& rules = TransitionRules();
  const auto it = std::find_if(rules.begin(), rules.end(), [&](const TransitionRule& rule) {
    return rule.from == from && rule.to == to;
  });
  return it == rules.end() ? nullptr : &*it;
}

absl::Status CheckTransition(CaseState from, CaseState to, Trigger trigger, bool has_motive,
                             bool has_public_message, absl::string_view subject) {
  const TransitionRule* rule = FindTransitionRule(from, to);
  if (rule == nullptr) {
    return NotAllowed(from, to, subject, "");
  }
  if (std::find(rule->triggers.begin(), rule->triggers.end(), trigger) == rule->triggers.end()) {
    return NotAllowed(
        from, to, subject,
        absl::StrCat(" for ", TriggerName(trigger), " (only ", TriggerNames(rule->triggers), ")"));
  }
  std::vector<common::FieldViolation> missing;
  const std::string why = absl::StrCat("required to move to ", StateName(to));
  if (rule->requires_motive && !has_motive) {
    missing.push_back({.field = "motive", .description = why});
  }
  if (rule->requires_public_message && !has_public_message) {
    missing.push_back({.field = "public_message", .description = why});
  }
  return missing.empty() ? absl::OkStatus() : common::InvalidArguments(missing);
}

bool IsFinal(CaseState state) {
  return std::find(std::begin(kFinalStates), std::end(kFinalStates), state) !=
         std::end(kFinalStates);
}

std::vector<CaseState> NextStates(CaseState from, Trigger trigger) {
  std::vector<CaseState> next;
  for (const TransitionRule& rule : TransitionRules()) {
    if (rule.from == from &&
        std::find(rule.triggers.begin(), rule.triggers.end(), trigger) != rule.triggers.end()) {
      next.push_back(rule.to);
    }
  }
  return next;
}

absl::StatusOr<CaseState> StateAfterMediation(MediationOutcome outcome) {
  for (const MediationOutcomeRule& rule : kMediationOutcomeRules) {
    if (rule.outcome == outcome) {
      return rule.next_state;
    }
  }
  return common::InvalidArguments(
      {{.field = "outcome", .description = "must be a known outcome other than UNSPECIFIED"}});
}

absl::string_view TriggerName(Trigger trigger) {
  switch (trigger) {
    case Trigger::kAssignee:
      return "assignee";
    case Trigger::kSupervisor:
      return "supervisor";
    case Trigger::kSystem:
      return "system";
    case Trigger::kCitizen:
      return "citizen";
    case Trigger::kMediationOutcome:
      return "mediation_outcome";
  }
  return "unknown";
}

absl::string_view ClockEffectName(ClockEffect effect) {
  switch (effect) {
    case ClockEffect::kNone:
      return "none";
    case ClockEffect::kStart:
      return "start";
    case ClockEffect::kPauseAwaitingCitizen:
      return "pause_awaiting_citizen";
    case ClockEffect::kResumeFromCitizen:
      return "resume_from_citizen";
    case ClockEffect::kPauseInMediation:
      return "pause_in_mediation";
    case ClockEffect::kResumeFromMediation:
      return "resume_from_mediation";
    case ClockEffect::kEscalate:
      return "escalate";
    case ClockEffect::kStopForDecision:
      return "stop_for_decision";
    case ClockEffect::kStop:
      return "stop";
    case ClockEffect::kCancel:
      return "cancel";
    case ClockEffect::kRestartForRecourse:
      return "restart_for_recourse";
  }
  return "unknown";
}

std::string TransitionTableMarkdown() {
  std::string out =
      "| from | to | triggers | requires | clocks |\n"
      "| --- | --- | --- | --- | --- |\n";
  for (const TransitionRule& rule : TransitionRules()) {
    const std::vector<std::string> required = RequiredFields(rule);
    absl::StrAppend(&out, "| ", ShortStateName(rule.from), " | ", ShortStateName(rule.to), " | ",
                    TriggerNames(rule.triggers), " | ",
                    required.empty() ? "-" : absl::StrJoin(required, ", "), " | ",
                    ClockEffectName(rule.clock_effect), " |\n");
  }
  return out;
}

std::string TransitionGraphviz() {
  std::string out = "digraph case_states {\n  rankdir=LR;\n  node [shape=box];\n";
  for (CaseState state : kFinalStates) {
    absl::StrAppend(&out, "  ", ShortStateName(state), " [shape=doubleoctagon];\n");
  }
  for (const TransitionRule& rule : TransitionRules()) {
    std::vector<std::string> label = {TriggerNames(rule.triggers)};
    for (std::string& field : RequiredFields(rule)) {
      label.push_back(absl::StrCat("+", field));
    }
    absl::StrAppend(&out, "  ", ShortStateName(rule.from), " -> ", ShortStateName(rule.to),
                    " [label=\"", absl::StrJoin(label, "\\n"), "\"];\n");
  }
  absl::StrAppend(&out, "}\n");
  return out;
}

}  // namespace doleances::workflow
