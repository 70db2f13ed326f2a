#include "services/mediation/mediation_state_machine.h"

#include "services/mediation/precondition.h"

#include <absl/strings/str_cat.h>

#include <algorithm>

namespace doleances::mediation {
namespace {

constexpr v1::MediationState kAwaiting = v1::MEDIATION_STATE_AWAITING_ADMISSIBILITY;
constexpr v1::MediationState kInProgress = v1::MEDIATION_STATE_IN_PROGRESS;
constexpr v1::MediationState kClosed = v1::MEDIATION_STATE_CLOSED;
constexpr v1::MediationState kSame = v1::MEDIATION_STATE_UNSPECIFIED;

// Choices the contract leaves open, made here once:
// - A mediator may be (re)assigned until the mediation closes: reassignment is how a mediator's
//   absence or a late-found conflict of interest is handled.
// - Sessions and proposals need an admitted mediation (saisine notified, R612-2 then R612-5).
// - Notes may be added while the file is open, including before admissibility (the mediator's
//   preparatory work).
// - CloseMediation also closes an AWAITING_ADMISSIBILITY file (e.g. REFERRED at once), so that
//   no mediation is stuck; INADMISSIBLE there should go through DecideAdmissibility.
std::vector<ActionRule> BuildRules() {
  using enum Action;
  // clang-format off
  return {
      {kAssign,              {kAwaiting, kInProgress}, kSame},
      {kAdmit,               {kAwaiting},              kInProgress},
      {kDeclareInadmissible, {kAwaiting},              kClosed},
      {kScheduleSession,     {kInProgress},            kSame},
      {kChangeSession,       {kInProgress},            kSame},
      {kRecordProposal,      {kInProgress},            kSame},
      {kRespondToProposal,   {kInProgress},            kSame},
      {kAddNote,             {kAwaiting, kInProgress}, kSame},
      {kExtendDeadline,      {kInProgress},            kSame},
      {kWithdraw,            {kAwaiting, kInProgress}, kClosed},
      {kClose,               {kAwaiting, kInProgress}, kClosed},
  };
  // clang-format on
}

}  // namespace

const std::vector<ActionRule>& ActionRules() {
  static const auto* const rules = new std::vector<ActionRule>(BuildRules());
  return *rules;
}

absl::StatusOr<v1::MediationState> CheckAction(v1::MediationState from, Action action,
                                               absl::string_view subject) {
  for (const ActionRule& rule : ActionRules()) {
    if (rule.action != action) {
      continue;
    }
    if (std::find(rule.from.begin(), rule.from.end(), from) != rule.from.end()) {
      return rule.to == kSame ? from : rule.to;
    }
    break;
  }
  return PreconditionError(
      "ACTION_NOT_ALLOWED", subject,
      absl::StrCat(ActionName(action), " is not allowed in ", v1::MediationState_Name(from)));
}

absl::string_view ActionName(Action action) {
  switch (action) {
    case Action::kAssign:
      return "assign";
    case Action::kAdmit:
      return "admit";
    case Action::kDeclareInadmissible:
      return "declare inadmissible";
    case Action::kScheduleSession:
      return "schedule session";
    case Action::kChangeSession:
      return "change session";
    case Action::kRecordProposal:
      return "record proposal";
    case Action::kRespondToProposal:
      return "respond to proposal";
    case Action::kAddNote:
      return "add note";
    case Action::kExtendDeadline:
      return "extend deadline";
    case Action::kWithdraw:
      return "withdraw";
    case Action::kClose:
      return "close";
  }
  return "unknown";
}

bool IsOpen(v1::MediationState state) { return state != kClosed; }

}  // namespace doleances::mediation
