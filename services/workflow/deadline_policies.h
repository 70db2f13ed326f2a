// Which deadline rule a case clock runs on: the administration's most specific policy, else the
// legal default. Pure: no database.
#pragma once

#include "common/calendar/deadline_policy.h"
#include "common/status/grpc_status.h"
#include "doleances/workflow/v1/calendar.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// What a policy is matched against.
struct PolicyMatchInput {
  int kind = 0;  // type::v1::ComplaintKind
  std::string category;
  int priority = 0;  // type::v1::Priority
};

// The rule a clock runs on, with where it came from.
struct ResolvedPolicy {
  std::string policy_id;  // Empty for a built-in legal default.
  type::v1::DeadlineSpec spec;
  bool pause_while_awaiting_citizen = true;
  int warning_percent = 80;
  bool escalate_on_breach = false;
};

// The policy of `clock` for a case: among `policies` matching it, the most specific (category,
// then kind, then priority count in that order); with none, the legal default. Empty when the
// clock does not run: no policy and no legal default (internal SLAs), or a policy with amount 0.
std::optional<ResolvedPolicy> ResolvePolicy(const std::vector<v1::DeadlinePolicy>& policies,
                                            type::v1::ClockKind clock,
                                            const PolicyMatchInput& input);

// The built-in rule of `clock` for complaints of `kind`, if the law sets one: acknowledgement
// within 5 business days (CRPA L112-3 sets no delay; the one intake promises), two calendar
// months of silence on a recours (CRPA L231-4, not carried), two months to contest a decision
// (CJA R421-1, carried to the next business day).
std::optional<ResolvedPolicy> LegalDefault(type::v1::ClockKind clock, int kind);

// Clocks whose due time is a legal fact (EXPIRED), not a failure of the administration.
bool IsLegalClock(int clock);

// The spec as the calendar arithmetic takes it, with the contract's defaults applied (carry to
// the next business day for deadlines given to citizens).
calendar::DeadlinePolicy ToCalendarPolicy(const type::v1::DeadlineSpec& spec, int clock);

// Field violations of a policy given to SetDeadlinePolicy, fields prefixed with `prefix`.
std::vector<common::FieldViolation> ValidateDeadlinePolicy(const v1::DeadlinePolicy& policy,
                                                           const std::string& prefix);

}  // namespace doleances::workflow
