#include "services/mediation/mediator_selection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::mediation {
namespace {

constexpr char kLyon[] = "lyon";
constexpr char kRoads[] = "roads-department";
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

MediatorRecord Mediator(std::string id, int open, int capacity = 10) {
  MediatorRecord mediator;
  mediator.mediator_id = std::move(id);
  mediator.administration_ids = {kLyon};
  mediator.capacity = capacity;
  mediator.open_mediation_count = open;
  return mediator;
}

AssignmentNeeds Needs() {
  return {.administration_id = kLyon,
          .category = "voirie",
          .territory_code = "69387",
          .disputed_department_id = kRoads,
          .now = kNow};
}

TEST(MediatorSelectionTest, ChoosesTheLeastLoadedQualifyingMediator) {
  const std::optional<MediatorRecord> chosen =
      ChooseMediator({Mediator("a", 3), Mediator("b", 1), Mediator("c", 2)}, Needs());
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(chosen->mediator_id, "b");
}

TEST(MediatorSelectionTest, ExcludesAConflictOfInterestEvenWhenLeastLoaded) {
  MediatorRecord attached = Mediator("attached", 0);
  attached.conflict_department_ids = {kRoads};
  const std::optional<MediatorRecord> chosen =
      ChooseMediator({attached, Mediator("free", 5)}, Needs());
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(chosen->mediator_id, "free");
  EXPECT_EQ(ChooseMediator({attached}, Needs()), std::nullopt);
  EXPECT_THAT(*ManualDisqualification(attached, Needs()), ::testing::HasSubstr("conflict"));
}

TEST(MediatorSelectionTest, MatchesSpecialtyAndTerritoryPrefixes) {
  MediatorRecord other_specialty = Mediator("tax", 0);
  other_specialty.specialties = {"fiscalite"};
  MediatorRecord other_territory = Mediator("paris", 0);
  other_territory.territory_prefixes = {"75"};
  MediatorRecord rhone = Mediator("rhone", 4);
  rhone.specialties = {"voirie"};
  rhone.territory_prefixes = {"69"};
  const std::optional<MediatorRecord> chosen =
      ChooseMediator({other_specialty, other_territory, rhone}, Needs());
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(chosen->mediator_id, "rhone");
}

TEST(MediatorSelectionTest, SkipsInactiveFullZeroCapacityAndUnavailableMediators) {
  MediatorRecord inactive = Mediator("inactive", 0);
  inactive.active = false;
  MediatorRecord full = Mediator("full", 2, 2);
  MediatorRecord manual_only = Mediator("manual", 0, 0);
  MediatorRecord away = Mediator("away", 0);
  away.availability_windows = {{kNow + absl::Hours(24), std::nullopt}};
  EXPECT_EQ(ChooseMediator({inactive, full, manual_only, away}, Needs()), std::nullopt);
  // Capacity 0 keeps manual assignment possible.
  EXPECT_EQ(ManualDisqualification(manual_only, Needs()), std::nullopt);
  EXPECT_EQ(*ManualDisqualification(full, Needs()), "full");
}

TEST(MediatorSelectionTest, TiesGoToTheLowerRelativeLoadThenTheSmallerId) {
  const std::optional<MediatorRecord> by_load =
      ChooseMediator({Mediator("small", 1, 2), Mediator("large", 1, 20)}, Needs());
  EXPECT_EQ(by_load->mediator_id, "large");
  const std::optional<MediatorRecord> by_id =
      ChooseMediator({Mediator("b", 1), Mediator("a", 1)}, Needs());
  EXPECT_EQ(by_id->mediator_id, "a");
}

TEST(MediatorSelectionTest, AvailabilityWindowsAreHalfOpenAndUnboundedSidesAreOpen) {
  const std::vector<Window> windows = {{kNow, kNow + absl::Hours(2)}};
  EXPECT_TRUE(IsAvailable(windows, kNow, kNow + absl::Hours(2)));
  EXPECT_FALSE(IsAvailable(windows, kNow + absl::Hours(1), kNow + absl::Hours(3)));
  EXPECT_TRUE(IsAvailable({}, kNow, kNow + absl::Hours(100)));
  EXPECT_TRUE(IsAvailable({{std::nullopt, std::nullopt}}, kNow, kNow));
}

}  // namespace
}  // namespace doleances::mediation
