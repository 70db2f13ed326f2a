// Test helpers: calendars and local instants, without repeating StatusOr checks.
#pragma once

#include "common/calendar/business_calendar.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <utility>

namespace doleances::calendar::testing {

// Builds a calendar; a bad config makes the calling test fail loudly.
inline BusinessCalendar MakeCalendar(CalendarConfig config = {}) {
  return BusinessCalendar::Create(std::move(config)).value();
}

// A local wall-clock time in `calendar`'s zone that exists exactly once.
inline absl::Time LocalTime(const BusinessCalendar& calendar, int year, int month, int day,
                            int hour, int minute = 0, int second = 0) {
  return calendar.time_zone().At(absl::CivilSecond(year, month, day, hour, minute, second)).pre;
}

// An absolute instant written in UTC, for expectations checked by hand
// against the zone's offset.
inline absl::Time Utc(int year, int month, int day, int hour, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

}  // namespace doleances::calendar::testing
