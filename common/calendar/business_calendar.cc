#include "common/calendar/business_calendar.h"

#include "common/calendar/french_holidays.h"
#include "common/calendar/working_hours.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace doleances::calendar {
namespace {

// Local wall-clock bounds of a working interval, as absolute instants. A bound
// that falls in a DST gap maps to the end of the gap; a repeated one maps to
// its first occurrence for a start and its last for an end, so that a span
// covers all the real time its local bounds enclose.
absl::Time IntervalStart(const absl::TimeZone& zone, absl::CivilSecond local) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

absl::Time IntervalEnd(const absl::TimeZone& zone, absl::CivilSecond local) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.post;
}

absl::CivilSecond LocalTimeOn(absl::CivilDay day, const TimeOfDay& time) {
  // CivilSecond normalises 24:00 to the next day's midnight.
  return absl::CivilSecond(day.year(), day.month(), day.day(), time.hour, time.minute, 0);
}

}  // namespace

std::string DayStatus::Describe() const {
  switch (reason) {
    case NonBusinessReason::kNone:
      return "business day";
    case NonBusinessReason::kSaturday:
      return "Saturday";
    case NonBusinessReason::kSunday:
      return "Sunday";
    case NonBusinessReason::kPublicHoliday:
      return absl::StrCat("public holiday: ", detail);
    case NonBusinessReason::kClosedDay:
      return absl::StrCat("closed: ", detail);
  }
  return "unknown";
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(CalendarConfig config) {
  absl::TimeZone zone;
  if (config.time_zone.empty() || !absl::LoadTimeZone(config.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: unknown time zone \"", config.time_zone, "\""));
  }
  for (size_t i = 0; i < config.closed_days.size(); ++i) {
    if (config.closed_days[i].reason.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("closed_days[", i, "].reason is required (it explains deadlines)"));
    }
  }
  if (absl::Status hours = ValidateWeeklyHours(config.working_hours); !hours.ok()) {
    return hours;
  }
  return BusinessCalendar(std::move(config), zone);
}

BusinessCalendar::BusinessCalendar(CalendarConfig config, absl::TimeZone time_zone)
    : config_(std::move(config)), time_zone_(time_zone) {
  for (const ClosedDay& closed : config_.closed_days) {
    closed_days_.emplace(closed.day, closed.reason);  // first reason wins on duplicates
  }
}

std::vector<Holiday> BusinessCalendar::HolidaysOf(absl::civil_year_t year) const {
  std::vector<Holiday> holidays = NationalHolidays(year);
  for (RegionalPreset preset : config_.regional_presets) {
    std::vector<Holiday> regional = RegionalHolidays(preset, year);
    holidays.insert(holidays.end(), regional.begin(), regional.end());
  }
  std::stable_sort(holidays.begin(), holidays.end(),
                   [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
  return holidays;
}

DayStatus BusinessCalendar::CheckDay(absl::CivilDay day) const {
  DayStatus status{day, NonBusinessReason::kNone, ""};
  const absl::Weekday weekday = absl::GetWeekday(day);
  if (weekday == absl::Weekday::saturday) {
    status.reason = NonBusinessReason::kSaturday;
    return status;
  }
  if (weekday == absl::Weekday::sunday) {
    status.reason = NonBusinessReason::kSunday;
    return status;
  }
  for (Holiday& holiday : HolidaysOf(day.year())) {
    if (holiday.day == day) {
      status.reason = NonBusinessReason::kPublicHoliday;
      status.detail = std::move(holiday.name);
      return status;
    }
  }
  if (auto closed = closed_days_.find(day); closed != closed_days_.end()) {
    status.reason = NonBusinessReason::kClosedDay;
    status.detail = closed->second;
  }
  return status;
}

absl::CivilDay BusinessCalendar::LocalDay(absl::Time instant) const {
  return absl::ToCivilDay(instant, time_zone_);
}

absl::Time BusinessCalendar::StartOfDay(absl::CivilDay day) const {
  return IntervalStart(time_zone_, absl::CivilSecond(day));
}

absl::Time BusinessCalendar::EndOfDay(absl::CivilDay day) const {
  // One second before the next day starts is 23:59:59 local in every zone,
  // including those whose DST transitions happen at midnight.
  return StartOfDay(day + 1) - absl::Seconds(1);
}

std::vector<TimeSpan> BusinessCalendar::WorkingSpans(absl::CivilDay day) const {
  std::vector<TimeSpan> spans;
  if (!IsBusinessDay(day)) {
    return spans;
  }
  for (const WorkingInterval& interval : config_.working_hours.On(absl::GetWeekday(day))) {
    absl::Time begin = IntervalStart(time_zone_, LocalTimeOn(day, interval.start));
    const absl::Time end = IntervalEnd(time_zone_, LocalTimeOn(day, interval.end));
    if (!spans.empty()) {
      // Adjacent intervals meeting at a repeated local time must not count it twice.
      begin = std::max(begin, spans.back().end);
    }
    if (begin < end) {
      spans.push_back({begin, end});
    }
  }
  return spans;
}

}  // namespace doleances::calendar
