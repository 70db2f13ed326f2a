#include "common/calendar/deadline_policy.h"

#include <absl/strings/str_cat.h>

#include <string>

namespace doleances::calendar {

std::string DescribeAmount(const DeadlinePolicy& policy) {
  const bool plural = policy.amount != 1;
  switch (policy.unit) {
    case DeadlineUnit::kBusinessDays:
      return absl::StrCat(policy.amount, plural ? " business days" : " business day");
    case DeadlineUnit::kBusinessHours:
      return absl::StrCat(policy.amount, plural ? " business hours" : " business hour");
    case DeadlineUnit::kCalendarDays:
      return absl::StrCat(policy.amount, plural ? " calendar days" : " calendar day");
    case DeadlineUnit::kWeeks:
      return absl::StrCat(policy.amount, plural ? " weeks" : " week");
    case DeadlineUnit::kMonths:
      return absl::StrCat(policy.amount, plural ? " months" : " month");
  }
  return absl::StrCat(policy.amount, " units of an unknown kind");
}

std::string DescribeResumeMode(ResumeMode mode) {
  return mode == ResumeMode::kRestart ? "restart" : "continue";
}

}  // namespace doleances::calendar
