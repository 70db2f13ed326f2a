#include "common/calendar/french_holidays.h"

#include <absl/status/status.h>
#include <absl/time/civil_time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace doleances::calendar {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

// Returns the date of the holiday called `name` in `holidays`, or a sentinel.
absl::CivilDay DayNamed(const std::vector<Holiday>& holidays, const std::string& name) {
  for (const Holiday& holiday : holidays) {
    if (holiday.name == name) {
      return holiday.day;
    }
  }
  return absl::CivilDay(1970, 1, 1);
}

struct MovableHolidays {
  absl::CivilDay easter_monday;
  absl::CivilDay ascension;
  absl::CivilDay whit_monday;
};

// Published dates, checked by hand against the Easter dates of each year.
const MovableHolidays kPublished[] = {
    {absl::CivilDay(2024, 4, 1), absl::CivilDay(2024, 5, 9), absl::CivilDay(2024, 5, 20)},
    {absl::CivilDay(2025, 4, 21), absl::CivilDay(2025, 5, 29), absl::CivilDay(2025, 6, 9)},
    {absl::CivilDay(2026, 4, 6), absl::CivilDay(2026, 5, 14), absl::CivilDay(2026, 5, 25)},
    {absl::CivilDay(2027, 3, 29), absl::CivilDay(2027, 5, 6), absl::CivilDay(2027, 5, 17)},
    {absl::CivilDay(2028, 4, 17), absl::CivilDay(2028, 5, 25), absl::CivilDay(2028, 6, 5)},
    {absl::CivilDay(2029, 4, 2), absl::CivilDay(2029, 5, 10), absl::CivilDay(2029, 5, 21)},
    {absl::CivilDay(2030, 4, 22), absl::CivilDay(2030, 5, 30), absl::CivilDay(2030, 6, 10)},
    {absl::CivilDay(2031, 4, 14), absl::CivilDay(2031, 5, 22), absl::CivilDay(2031, 6, 2)},
    {absl::CivilDay(2032, 3, 29), absl::CivilDay(2032, 5, 6), absl::CivilDay(2032, 5, 17)},
    {absl::CivilDay(2033, 4, 18), absl::CivilDay(2033, 5, 26), absl::CivilDay(2033, 6, 6)},
    {absl::CivilDay(2034, 4, 10), absl::CivilDay(2034, 5, 18), absl::CivilDay(2034, 5, 29)},
    {absl::CivilDay(2035, 3, 26), absl::CivilDay(2035, 5, 3), absl::CivilDay(2035, 5, 14)},
};

TEST(NationalHolidaysTest, EasterMondayMatchesPublishedDates2024To2035) {
  for (const MovableHolidays& expected : kPublished) {
    EXPECT_EQ(DayNamed(NationalHolidays(expected.easter_monday.year()), "Lundi de Pâques"),
              expected.easter_monday);
  }
}

TEST(NationalHolidaysTest, AscensionMatchesPublishedDates2024To2035) {
  for (const MovableHolidays& expected : kPublished) {
    EXPECT_EQ(DayNamed(NationalHolidays(expected.ascension.year()), "Ascension"),
              expected.ascension);
  }
}

TEST(NationalHolidaysTest, WhitMondayMatchesPublishedDates2024To2035) {
  for (const MovableHolidays& expected : kPublished) {
    EXPECT_EQ(DayNamed(NationalHolidays(expected.whit_monday.year()), "Lundi de Pentecôte"),
              expected.whit_monday);
  }
}

TEST(NationalHolidaysTest, ListsElevenNamedDaysInDateOrder) {
  EXPECT_THAT(NationalHolidays(2025),
              ElementsAre(AllOf(Field(&Holiday::day, absl::CivilDay(2025, 1, 1)),
                                Field(&Holiday::name, "Jour de l'an")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 4, 21)),
                                Field(&Holiday::name, "Lundi de Pâques")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 5, 1)),
                                Field(&Holiday::name, "Fête du Travail")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 5, 8)),
                                Field(&Holiday::name, "Victoire 1945")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 5, 29)),
                                Field(&Holiday::name, "Ascension")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 6, 9)),
                                Field(&Holiday::name, "Lundi de Pentecôte")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 7, 14)),
                                Field(&Holiday::name, "Fête nationale")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 8, 15)),
                                Field(&Holiday::name, "Assomption")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 11, 1)),
                                Field(&Holiday::name, "Toussaint")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 11, 11)),
                                Field(&Holiday::name, "Armistice 1918")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 12, 25)),
                                Field(&Holiday::name, "Noël"))));
}

TEST(RegionalHolidaysTest, AlsaceMoselleAddsGoodFridayAndSaintStephensDay) {
  EXPECT_THAT(RegionalHolidays(RegionalPreset::kAlsaceMoselle, 2025),
              ElementsAre(AllOf(Field(&Holiday::day, absl::CivilDay(2025, 4, 18)),
                                Field(&Holiday::name, "Vendredi saint")),
                          AllOf(Field(&Holiday::day, absl::CivilDay(2025, 12, 26)),
                                Field(&Holiday::name, "Saint-Étienne"))));
}

TEST(RegionalHolidaysTest, OverseasPresetsAddTheirAbolitionOfSlaveryDay) {
  EXPECT_THAT(RegionalHolidays(RegionalPreset::kGuadeloupe, 2025),
              ElementsAre(Field(&Holiday::day, absl::CivilDay(2025, 5, 27))));
  EXPECT_THAT(RegionalHolidays(RegionalPreset::kMartinique, 2025),
              ElementsAre(Field(&Holiday::day, absl::CivilDay(2025, 5, 22))));
  EXPECT_THAT(RegionalHolidays(RegionalPreset::kGuyane, 2025),
              ElementsAre(Field(&Holiday::day, absl::CivilDay(2025, 6, 10))));
  EXPECT_THAT(RegionalHolidays(RegionalPreset::kLaReunion, 2025),
              ElementsAre(Field(&Holiday::day, absl::CivilDay(2025, 12, 20))));
  EXPECT_THAT(RegionalHolidays(RegionalPreset::kMayotte, 2025),
              ElementsAre(AllOf(Field(&Holiday::day, absl::CivilDay(2025, 4, 27)),
                                Field(&Holiday::name, "Abolition de l'esclavage (Mayotte)"))));
}

TEST(RegionalPresetTest, IdentifiersRoundTrip) {
  for (RegionalPreset preset :
       {RegionalPreset::kAlsaceMoselle, RegionalPreset::kGuadeloupe, RegionalPreset::kMartinique,
        RegionalPreset::kGuyane, RegionalPreset::kLaReunion, RegionalPreset::kMayotte}) {
    absl::StatusOr<RegionalPreset> parsed = ParseRegionalPreset(RegionalPresetId(preset));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, preset);
  }
}

TEST(RegionalPresetTest, ParseRejectsUnknownIdentifier) {
  absl::StatusOr<RegionalPreset> parsed = ParseRegionalPreset("bretagne");

  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("bretagne"));
}

}  // namespace
}  // namespace doleances::calendar
