// An administration's business calendar between its contract form (v1.Calendar) and the
// arithmetic's form (calendar::BusinessCalendar).
#pragma once

#include "common/calendar/business_calendar.h"
#include "common/status/grpc_status.h"
#include "doleances/type/v1/deadline.pb.h"
#include "doleances/workflow/v1/calendar.pb.h"

#include <absl/status/statusor.h>

#include <memory>
#include <vector>

namespace doleances::workflow {

// The calendar an administration has until it sets one: Europe/Paris, national holidays,
// Monday-Friday 09:00-17:00.
v1::Calendar DefaultCalendar(const std::string& administration_id);

// Field violations of a calendar given to SetCalendar, fields prefixed "calendar.".
std::vector<common::FieldViolation> ValidateCalendar(const v1::Calendar& calendar);

// The arithmetic's calendar for `calendar`. Recurring closed days are expanded over 1990-2150.
// Built calendars are cached by administration and version, so that routing a complaint does not
// rebuild one. INVALID_ARGUMENT if the calendar is malformed (ValidateCalendar first).
absl::StatusOr<std::shared_ptr<const calendar::BusinessCalendar>> BusinessCalendarFor(
    const v1::Calendar& calendar);

// How the contract names why a day does not count.
type::v1::SkipReason SkipReasonOf(calendar::NonBusinessReason reason);

// The holidays and closed days of `year`, by date, weekends omitted.
std::vector<type::v1::SkippedDay> NonBusinessDays(const calendar::BusinessCalendar& calendar,
                                                  int year);

}  // namespace doleances::workflow
