// An administration's business calendar: time zone, public holidays, closed
// days and working hours.
#pragma once

#include "common/calendar/french_holidays.h"
#include "common/calendar/working_hours.h"

#include <absl/status/statusor.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <map>
#include <string>
#include <vector>

namespace doleances::calendar {

// A date on which one administration is closed, e.g. a "pont" decided locally.
struct ClosedDay {
  absl::CivilDay day;
  std::string reason;
};

struct CalendarConfig {
  // IANA time zone name; all dates and local times are read in this zone.
  std::string time_zone = "Europe/Paris";
  // Regional holidays added to the national ones.
  std::vector<RegionalPreset> regional_presets;
  std::vector<ClosedDay> closed_days;
  WeeklyHours working_hours = StandardOfficeHours();
};

// Why a day is not a business day, checked in this order.
enum class NonBusinessReason {
  kNone,  // it is a business day
  kSaturday,
  kSunday,
  kPublicHoliday,
  kClosedDay,
};

// The verdict on one day. `detail` holds the holiday name or the closed-day
// reason, empty otherwise.
struct DayStatus {
  absl::CivilDay day;
  NonBusinessReason reason = NonBusinessReason::kNone;
  std::string detail;

  bool is_business_day() const { return reason == NonBusinessReason::kNone; }
  // "business day", "Saturday", "Sunday", "public holiday: Toussaint",
  // "closed: <reason>".
  std::string Describe() const;
};

// An interval of absolute time [begin, end).
struct TimeSpan {
  absl::Time begin;
  absl::Time end;
};

// Immutable once created, so one instance can serve concurrent computations.
class BusinessCalendar {
 public:
  // Builds a calendar from `config`. Returns InvalidArgument naming the field
  // when the time zone is unknown, a closed day has no reason, or the working
  // hours are malformed (see ValidateWeeklyHours).
  static absl::StatusOr<BusinessCalendar> Create(CalendarConfig config);

  const absl::TimeZone& time_zone() const { return time_zone_; }
  const CalendarConfig& config() const { return config_; }

  // Returns whether `day` is a business day and, if not, why.
  DayStatus CheckDay(absl::CivilDay day) const;
  bool IsBusinessDay(absl::CivilDay day) const { return CheckDay(day).is_business_day(); }

  // Returns the national and regional holidays of `year`, sorted by date.
  std::vector<Holiday> HolidaysOf(absl::civil_year_t year) const;

  // Local date of `instant` in the calendar's time zone.
  absl::CivilDay LocalDay(absl::Time instant) const;
  // First instant of local day `day` (its midnight, or the end of a DST gap
  // that swallows midnight).
  absl::Time StartOfDay(absl::CivilDay day) const;
  // Last second of local day `day`: 23:59:59 local.
  absl::Time EndOfDay(absl::CivilDay day) const;

  // Returns the working time of `day` as absolute spans, in order; empty when
  // `day` is not a business day. On DST days a span lasts the real elapsed
  // time between its local bounds.
  std::vector<TimeSpan> WorkingSpans(absl::CivilDay day) const;

 private:
  BusinessCalendar(CalendarConfig config, absl::TimeZone time_zone);

  CalendarConfig config_;
  absl::TimeZone time_zone_;
  std::map<absl::CivilDay, std::string> closed_days_;
};

}  // namespace doleances::calendar
