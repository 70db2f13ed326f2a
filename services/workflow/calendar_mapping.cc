#include "services/workflow/calendar_mapping.h"

#include "common/calendar/easter.h"

#include <absl/strings/str_cat.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/civil_time.h>

#include <map>
#include <utility>

namespace doleances::workflow {
namespace {

constexpr int kFirstExpandedYear = 1990;
constexpr int kLastExpandedYear = 2150;
constexpr size_t kCacheCapacity = 256;

bool ValidDate(const type::v1::Date& date, bool year_required) {
  if (year_required ? (date.year() < 1900 || date.year() > 2200) : date.year() != 0) {
    return false;
  }
  if (date.month() < 1 || date.month() > 12 || date.day() < 1) {
    return false;
  }
  const int year = year_required ? date.year() : 2000;  // A leap year: 29 February recurs.
  const absl::CivilDay day(year, date.month(), date.day());
  return day.month() == date.month() && day.day() == date.day();
}

bool ValidTime(const type::v1::TimeOfDay& time) {
  return time.hours() >= 0 && time.minutes() >= 0 && time.minutes() < 60 &&
         (time.hours() < 24 || (time.hours() == 24 && time.minutes() == 0));
}

absl::Weekday ToWeekday(type::v1::DayOfWeek day) {
  return static_cast<absl::Weekday>(static_cast<int>(day) - 1);  // Monday = 0 in absl.
}

calendar::CalendarConfig ToConfig(const v1::Calendar& source) {
  calendar::CalendarConfig config;
  if (!source.time_zone().empty()) {
    config.time_zone = source.time_zone();
  }
  for (const v1::RecurringClosedDay& recurring : source.recurring_closed_days()) {
    for (int year = kFirstExpandedYear; year <= kLastExpandedYear; ++year) {
      absl::CivilDay day;
      if (recurring.has_annual_date()) {
        day = absl::CivilDay(year, recurring.annual_date().month(), recurring.annual_date().day());
        if (day.month() != recurring.annual_date().month()) {
          continue;  // 29 February outside leap years.
        }
      } else {
        day = calendar::EasterSunday(year) + recurring.easter_offset_days();
      }
      config.closed_days.push_back({day, recurring.name()});
    }
  }
  for (const v1::ClosedDay& closed : source.closed_days()) {
    config.closed_days.push_back(
        {absl::CivilDay(closed.date().year(), closed.date().month(), closed.date().day()),
         closed.name()});
  }
  if (!source.working_hours().empty()) {
    config.working_hours = calendar::WeeklyHours{};
    for (const v1::WorkingHours& hours : source.working_hours()) {
      config.working_hours.On(ToWeekday(hours.day_of_week()))
          .push_back({{hours.open_time().hours(), hours.open_time().minutes()},
                      {hours.close_time().hours(), hours.close_time().minutes()}});
    }
  }
  return config;
}

}  // namespace

type::v1::SkipReason SkipReasonOf(calendar::NonBusinessReason reason) {
  switch (reason) {
    case calendar::NonBusinessReason::kSaturday:
    case calendar::NonBusinessReason::kSunday:
      return type::v1::SKIP_REASON_WEEKEND;
    case calendar::NonBusinessReason::kPublicHoliday:
      return type::v1::SKIP_REASON_PUBLIC_HOLIDAY;
    case calendar::NonBusinessReason::kClosedDay:
      return type::v1::SKIP_REASON_CLOSED_DAY;
    case calendar::NonBusinessReason::kNone:
      break;
  }
  return type::v1::SKIP_REASON_UNSPECIFIED;
}

v1::Calendar DefaultCalendar(const std::string& administration_id) {
  v1::Calendar calendar;
  calendar.set_administration_id(administration_id);
  calendar.set_time_zone("Europe/Paris");
  calendar.set_national_holidays(true);
  return calendar;
}

std::vector<common::FieldViolation> ValidateCalendar(const v1::Calendar& calendar) {
  std::vector<common::FieldViolation> violations;
  if (calendar.administration_id().empty()) {
    violations.push_back({"calendar.administration_id", "required"});
  }
  absl::TimeZone zone;
  if (!calendar.time_zone().empty() && !absl::LoadTimeZone(calendar.time_zone(), &zone)) {
    violations.push_back({"calendar.time_zone", "unknown IANA time zone"});
  }
  if (calendar.has_national_holidays() && !calendar.national_holidays()) {
    // French public holidays are closed days of every administration (Code du travail L3133-1).
    violations.push_back(
        {"calendar.national_holidays", "national holidays cannot be switched off"});
  }
  if (calendar.recurring_closed_days_size() > 50) {
    violations.push_back({"calendar.recurring_closed_days", "at most 50"});
  }
  for (int i = 0; i < calendar.recurring_closed_days_size(); ++i) {
    const v1::RecurringClosedDay& day = calendar.recurring_closed_days(i);
    const std::string field = absl::StrCat("calendar.recurring_closed_days[", i, "]");
    if (day.name().empty() || day.name().size() > 100) {
      violations.push_back({field + ".name", "1-100 characters"});
    }
    if (day.has_annual_date()
            ? !ValidDate(day.annual_date(), false)
            : (day.rule_case() == v1::RecurringClosedDay::RULE_NOT_SET ||
               day.easter_offset_days() < -100 || day.easter_offset_days() > 100)) {
      violations.push_back(
          {field + ".rule", "an annual_date (year 0) or an easter_offset_days of -100 to 100"});
    }
  }
  if (calendar.closed_days_size() > 1000) {
    violations.push_back({"calendar.closed_days", "at most 1,000"});
  }
  for (int i = 0; i < calendar.closed_days_size(); ++i) {
    const v1::ClosedDay& day = calendar.closed_days(i);
    const std::string field = absl::StrCat("calendar.closed_days[", i, "]");
    if (!ValidDate(day.date(), true)) {
      violations.push_back({field + ".date", "a full date between 1900 and 2200"});
    }
    if (day.name().empty() || day.name().size() > 100) {
      violations.push_back({field + ".name", "1-100 characters"});
    }
  }
  for (int i = 0; i < calendar.working_hours_size(); ++i) {
    const v1::WorkingHours& hours = calendar.working_hours(i);
    const std::string field = absl::StrCat("calendar.working_hours[", i, "]");
    if (hours.day_of_week() == type::v1::DAY_OF_WEEK_UNSPECIFIED ||
        !type::v1::DayOfWeek_IsValid(hours.day_of_week())) {
      violations.push_back({field + ".day_of_week", "required"});
    }
    if (!ValidTime(hours.open_time()) || !ValidTime(hours.close_time())) {
      violations.push_back({field, "times must be 00:00-24:00"});
    }
  }
  if (violations.empty() && !calendar.working_hours().empty()) {
    if (absl::Status hours = calendar::ValidateWeeklyHours(ToConfig(calendar).working_hours);
        !hours.ok()) {
      violations.push_back({"calendar.working_hours", std::string(hours.message())});
    }
  }
  return violations;
}

absl::StatusOr<std::shared_ptr<const calendar::BusinessCalendar>> BusinessCalendarFor(
    const v1::Calendar& source) {
  using Key = std::pair<std::string, int64_t>;
  static absl::Mutex mutex(absl::kConstInit);
  static auto* cache = new std::map<Key, std::shared_ptr<const calendar::BusinessCalendar>>();
  const Key key{source.administration_id(), source.version()};
  {
    absl::MutexLock lock(&mutex);
    if (auto found = cache->find(key); found != cache->end()) {
      return found->second;
    }
  }
  absl::StatusOr<calendar::BusinessCalendar> built =
      calendar::BusinessCalendar::Create(ToConfig(source));
  if (!built.ok()) {
    return built.status();
  }
  auto shared = std::make_shared<const calendar::BusinessCalendar>(*std::move(built));
  absl::MutexLock lock(&mutex);
  if (cache->size() >= kCacheCapacity) {
    cache->clear();  // Rare (many administrations or edits); rebuilding is cheap enough.
  }
  cache->emplace(key, shared);
  return shared;
}

std::vector<type::v1::SkippedDay> NonBusinessDays(const calendar::BusinessCalendar& calendar,
                                                  int year) {
  std::vector<type::v1::SkippedDay> days;
  for (absl::CivilDay day(year, 1, 1); day.year() == year; ++day) {
    const calendar::DayStatus status = calendar.CheckDay(day);
    if (status.is_business_day() || status.reason == calendar::NonBusinessReason::kSaturday ||
        status.reason == calendar::NonBusinessReason::kSunday) {
      continue;
    }
    type::v1::SkippedDay& skipped = days.emplace_back();
    skipped.mutable_date()->set_year(static_cast<int>(day.year()));
    skipped.mutable_date()->set_month(day.month());
    skipped.mutable_date()->set_day(day.day());
    skipped.set_reason(SkipReasonOf(status.reason));
    skipped.set_label(status.detail);
  }
  return days;
}

}  // namespace doleances::workflow
