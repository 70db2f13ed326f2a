// The legal clocks of a mediation, computed with the one deadline implementation of
// common/calendar on the French national calendar (Europe/Paris).
#pragma once

#include <absl/status/statusor.h>
#include <absl/time/time.h>

namespace doleances::mediation {

// Code de la consommation R612-2: an inadmissible request is notified within three weeks of
// receiving the file. Calendar weeks, not carried past a weekend or holiday.
inline constexpr int kAdmissibilityWeeks = 3;

// R612-5: the outcome is due within 90 days of the notification of the saisine, extendable by
// the mediator for a complex case.
inline constexpr int kOutcomeDays = 90;

// Longest extension at once (ExtendDeadlineRequest.extension_days).
inline constexpr int kMaxExtensionDays = 90;

// When the MEDIATION_ADMISSIBILITY clock started at `request_time` falls due.
absl::StatusOr<absl::Time> AdmissibilityDue(absl::Time request_time);

// When the MEDIATION_OUTCOME clock started at `saisine_notify_time` falls due, with
// `extension_days` calendar days added by extensions.
absl::StatusOr<absl::Time> OutcomeDue(absl::Time saisine_notify_time, int extension_days);

}  // namespace doleances::mediation
