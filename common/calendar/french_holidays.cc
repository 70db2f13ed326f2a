#include "common/calendar/french_holidays.h"

#include "common/calendar/easter.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/string_view.h>
#include <absl/time/civil_time.h>

#include <algorithm>
#include <array>
#include <vector>

namespace doleances::calendar {
namespace {

struct PresetInfo {
  RegionalPreset preset;
  absl::string_view id;
};

constexpr std::array<PresetInfo, 6> kPresets = {{
    {RegionalPreset::kAlsaceMoselle, "alsace-moselle"},
    {RegionalPreset::kGuadeloupe, "guadeloupe"},
    {RegionalPreset::kMartinique, "martinique"},
    {RegionalPreset::kGuyane, "guyane"},
    {RegionalPreset::kLaReunion, "la-reunion"},
    {RegionalPreset::kMayotte, "mayotte"},
}};

void SortByDate(std::vector<Holiday>& holidays) {
  std::sort(holidays.begin(), holidays.end(),
            [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
}

Holiday SlaveryAbolitionDay(absl::civil_year_t year, int month, int day,
                            absl::string_view territory) {
  return {absl::CivilDay(year, month, day),
          absl::StrCat("Abolition de l'esclavage (", territory, ")")};
}

}  // namespace

std::vector<Holiday> NationalHolidays(absl::civil_year_t year) {
  const absl::CivilDay easter = EasterSunday(year);
  std::vector<Holiday> holidays = {
      {absl::CivilDay(year, 1, 1), "Jour de l'an"},
      {easter + 1, "Lundi de Pâques"},
      {absl::CivilDay(year, 5, 1), "Fête du Travail"},
      {absl::CivilDay(year, 5, 8), "Victoire 1945"},
      {easter + 39, "Ascension"},
      // Listed in L3133-1 even where it serves as the "journée de solidarité"
      // (L3133-7): agents may work, but it stays a holiday for deadlines.
      {easter + 50, "Lundi de Pentecôte"},
      {absl::CivilDay(year, 7, 14), "Fête nationale"},
      {absl::CivilDay(year, 8, 15), "Assomption"},
      {absl::CivilDay(year, 11, 1), "Toussaint"},
      {absl::CivilDay(year, 11, 11), "Armistice 1918"},
      {absl::CivilDay(year, 12, 25), "Noël"},
  };
  SortByDate(holidays);
  return holidays;
}

std::vector<Holiday> RegionalHolidays(RegionalPreset preset, absl::civil_year_t year) {
  switch (preset) {
    case RegionalPreset::kAlsaceMoselle:
      return {{EasterSunday(year) - 2, "Vendredi saint"},
              {absl::CivilDay(year, 12, 26), "Saint-Étienne"}};
    case RegionalPreset::kGuadeloupe:
      return {SlaveryAbolitionDay(year, 5, 27, "Guadeloupe")};
    case RegionalPreset::kMartinique:
      return {SlaveryAbolitionDay(year, 5, 22, "Martinique")};
    case RegionalPreset::kGuyane:
      return {SlaveryAbolitionDay(year, 6, 10, "Guyane")};
    case RegionalPreset::kLaReunion:
      return {SlaveryAbolitionDay(year, 12, 20, "La Réunion")};
    case RegionalPreset::kMayotte:
      return {SlaveryAbolitionDay(year, 4, 27, "Mayotte")};
  }
  return {};
}

absl::string_view RegionalPresetId(RegionalPreset preset) {
  for (const PresetInfo& info : kPresets) {
    if (info.preset == preset) {
      return info.id;
    }
  }
  return "unknown";
}

absl::StatusOr<RegionalPreset> ParseRegionalPreset(absl::string_view id) {
  for (const PresetInfo& info : kPresets) {
    if (info.id == id) {
      return info.preset;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown regional preset \"", id, "\""));
}

}  // namespace doleances::calendar
