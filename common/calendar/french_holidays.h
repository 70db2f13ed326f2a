// French public holidays: the national list and the regional presets an
// administration can add to its calendar.
#pragma once

#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>
#include <absl/time/civil_time.h>

#include <string>
#include <vector>

namespace doleances::calendar {

// One public holiday. `name` is the official French name, shown in deadline
// explanations.
struct Holiday {
  absl::CivilDay day;
  std::string name;
};

// Extra holidays that apply only in part of France.
enum class RegionalPreset {
  // Code du travail L3134-13: Good Friday and 26 December in Bas-Rhin,
  // Haut-Rhin and Moselle.
  kAlsaceMoselle,
  // Loi 83-550 and décret 83-1003: abolition of slavery, one day per territory.
  kGuadeloupe,  // 27 May
  kMartinique,  // 22 May
  kGuyane,      // 10 June
  kLaReunion,   // 20 December
  kMayotte,     // 27 April
};

// Returns the national public holidays of `year` (Code du travail L3133-1),
// sorted by date: the eight fixed dates plus Easter Monday, Ascension Thursday
// and Whit Monday. Never fails.
std::vector<Holiday> NationalHolidays(absl::civil_year_t year);

// Returns the extra holidays of `preset` in `year`, sorted by date. Never fails.
std::vector<Holiday> RegionalHolidays(RegionalPreset preset, absl::civil_year_t year);

// Returns the stable identifier of `preset` ("alsace-moselle", "guadeloupe",
// "martinique", "guyane", "la-reunion", "mayotte"), suitable for storage.
absl::string_view RegionalPresetId(RegionalPreset preset);

// Parses an identifier produced by RegionalPresetId. Returns InvalidArgument
// naming the unknown identifier otherwise.
absl::StatusOr<RegionalPreset> ParseRegionalPreset(absl::string_view id);

}  // namespace doleances::calendar
