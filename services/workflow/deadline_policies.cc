#include "services/workflow/deadline_policies.h"

#include "doleances/type/v1/complaint.pb.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {
namespace {

constexpr int kMaxAmount = 1000;

bool Matches(const v1::DeadlinePolicy& policy, const PolicyMatchInput& input) {
  return (policy.kind() == 0 || policy.kind() == input.kind) &&
         (policy.category().empty() || policy.category() == input.category) &&
         (policy.priority() == 0 || policy.priority() == input.priority);
}

// Category outweighs kind, which outweighs priority, whatever the others.
int Specificity(const v1::DeadlinePolicy& policy) {
  return (policy.category().empty() ? 0 : 4) + (policy.kind() == 0 ? 0 : 2) +
         (policy.priority() == 0 ? 0 : 1);
}

ResolvedPolicy Resolved(const v1::DeadlinePolicy& policy) {
  ResolvedPolicy resolved;
  resolved.policy_id = policy.policy_id();
  resolved.spec = policy.spec();
  resolved.pause_while_awaiting_citizen =
      !policy.has_pause_while_awaiting_citizen() || policy.pause_while_awaiting_citizen();
  resolved.warning_percent = policy.warning_percent() == 0 ? 80 : policy.warning_percent();
  resolved.escalate_on_breach = policy.escalate_on_breach();
  return resolved;
}

ResolvedPolicy Legal(int amount, type::v1::DeadlineUnit unit, bool carry) {
  ResolvedPolicy resolved;
  resolved.spec.set_amount(amount);
  resolved.spec.set_unit(unit);
  resolved.spec.set_carry_to_next_business_day(carry);
  return resolved;
}

bool IsRecourse(int kind) {
  return kind == type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX ||
         kind == type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE;
}

}  // namespace

std::optional<ResolvedPolicy> LegalDefault(type::v1::ClockKind clock, int kind) {
  switch (clock) {
    case type::v1::CLOCK_KIND_ACKNOWLEDGEMENT:
      return Legal(5, type::v1::DEADLINE_UNIT_BUSINESS_DAYS, false);
    case type::v1::CLOCK_KIND_STATUTORY_REPLY:
      if (IsRecourse(kind)) {
        return Legal(2, type::v1::DEADLINE_UNIT_CALENDAR_MONTHS, false);
      }
      return std::nullopt;
    case type::v1::CLOCK_KIND_APPEAL_WINDOW:
      if (IsRecourse(kind)) {
        ResolvedPolicy window = Legal(2, type::v1::DEADLINE_UNIT_CALENDAR_MONTHS, true);
        window.warning_percent = 0;  // The citizen's time: nothing for the agents to act on.
        return window;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<ResolvedPolicy> ResolvePolicy(const std::vector<v1::DeadlinePolicy>& policies,
                                            type::v1::ClockKind clock,
                                            const PolicyMatchInput& input) {
  const v1::DeadlinePolicy* best = nullptr;
  for (const v1::DeadlinePolicy& policy : policies) {
    if (policy.clock() == clock && Matches(policy, input) &&
        (best == nullptr || Specificity(policy) > Specificity(*best))) {
      best = &policy;
    }
  }
  if (best == nullptr) {
    return LegalDefault(clock, input.kind);
  }
  if (best->spec().amount() == 0) {
    return std::nullopt;  // Switched off for what it matches.
  }
  return Resolved(*best);
}

bool IsLegalClock(int clock) {
  return clock == type::v1::CLOCK_KIND_STATUTORY_REPLY ||
         clock == type::v1::CLOCK_KIND_APPEAL_WINDOW ||
         clock == type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE;
}

calendar::DeadlinePolicy ToCalendarPolicy(const type::v1::DeadlineSpec& spec, int clock) {
  calendar::DeadlinePolicy policy;
  policy.amount = spec.amount();
  switch (spec.unit()) {
    case type::v1::DEADLINE_UNIT_BUSINESS_HOURS:
      policy.unit = calendar::DeadlineUnit::kBusinessHours;
      break;
    case type::v1::DEADLINE_UNIT_CALENDAR_DAYS:
      policy.unit = calendar::DeadlineUnit::kCalendarDays;
      break;
    case type::v1::DEADLINE_UNIT_CALENDAR_WEEKS:
      policy.unit = calendar::DeadlineUnit::kWeeks;
      break;
    case type::v1::DEADLINE_UNIT_CALENDAR_MONTHS:
      policy.unit = calendar::DeadlineUnit::kMonths;
      break;
    default:
      policy.unit = calendar::DeadlineUnit::kBusinessDays;
  }
  const bool given_to_citizen = clock == type::v1::CLOCK_KIND_APPEAL_WINDOW ||
                                clock == type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE;
  policy.carry_to_next_business_day =
      spec.has_carry_to_next_business_day() ? spec.carry_to_next_business_day() : given_to_citizen;
  policy.on_resume = spec.resume_mode() == type::v1::RESUME_MODE_RESTART
                         ? calendar::ResumeMode::kRestart
                         : calendar::ResumeMode::kContinue;
  return policy;
}

std::vector<common::FieldViolation> ValidateDeadlinePolicy(const v1::DeadlinePolicy& policy,
                                                           const std::string& prefix) {
  std::vector<common::FieldViolation> violations;
  auto violate = [&](const std::string& field, const std::string& description) {
    violations.push_back({absl::StrCat(prefix, field), description});
  };
  if (policy.administration_id().empty()) {
    violate("administration_id", "required");
  }
  const int clock = policy.clock();
  if (clock < type::v1::CLOCK_KIND_ACKNOWLEDGEMENT || clock > type::v1::CLOCK_KIND_APPEAL_WINDOW) {
    violate("clock", "must be one of workflow's clocks, ACKNOWLEDGEMENT to APPEAL_WINDOW");
  }
  if (!type::v1::ComplaintKind_IsValid(policy.kind())) {
    violate("kind", "unknown complaint kind");
  }
  if (!type::v1::Priority_IsValid(policy.priority())) {
    violate("priority", "unknown priority");
  }
  if (policy.category().size() > 100) {
    violate("category", "at most 100 characters");
  }
  const type::v1::DeadlineSpec& spec = policy.spec();
  if (spec.amount() < 0 || spec.amount() > kMaxAmount) {
    violate("spec.amount", "must be 0 (clock off) to 1000");
  }
  if (spec.amount() != 0 && (spec.unit() == type::v1::DEADLINE_UNIT_UNSPECIFIED ||
                             !type::v1::DeadlineUnit_IsValid(spec.unit()))) {
    violate("spec.unit", "required");
  }
  if (!type::v1::ResumeMode_IsValid(spec.resume_mode())) {
    violate("spec.resume_mode", "unknown resume mode");
  }
  if (policy.warning_percent() < 0 || policy.warning_percent() > 99) {
    violate("warning_percent", "must be 1-99 (0 for the default, 80)");
  }
  return violations;
}

}  // namespace doleances::workflow
