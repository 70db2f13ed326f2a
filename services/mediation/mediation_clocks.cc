#include "services/mediation/mediation_clocks.h"

#include "common/calendar/business_calendar.h"
#include "common/calendar/deadline.h"
#include "common/status/status_macros.h"

namespace doleances::mediation {
namespace {

// Mediation knows no administration calendar (workflow owns them); the statutory clocks are
// calendar units, which only need the time zone and the national holidays.
const calendar::BusinessCalendar& NationalCalendar() {
  static const auto* const national =
      new calendar::BusinessCalendar(*calendar::BusinessCalendar::Create({}));
  return *national;
}

absl::StatusOr<absl::Time> Due(calendar::DeadlineUnit unit, int amount, absl::Time start) {
  const calendar::DeadlinePolicy policy{
      .unit = unit, .amount = amount, .carry_to_next_business_day = false};
  ASSIGN_OR_RETURN(calendar::Deadline deadline,
                   calendar::ComputeDeadline(NationalCalendar(), policy, start));
  return *deadline.due;
}

}  // namespace

absl::StatusOr<absl::Time> AdmissibilityDue(absl::Time request_time) {
  return Due(calendar::DeadlineUnit::kWeeks, kAdmissibilityWeeks, request_time);
}

absl::StatusOr<absl::Time> OutcomeDue(absl::Time saisine_notify_time, int extension_days) {
  return Due(calendar::DeadlineUnit::kCalendarDays, kOutcomeDays + extension_days,
             saisine_notify_time);
}

}  // namespace doleances::mediation
