#include "services/workflow/assignment.h"

#include "common/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2024, 3, 12, 10, 0, 0), absl::UTCTimeZone());

CaseToAssign RoadsCase() {
  return {.department_id = "dep-voirie",
          .queue_id = "queue-chaussee",
          .category = "voirie",
          .commune_code = "69387",
          .department_code = "69"};
}

AgentProfile Agent(std::string id, int open_cases, int capacity = 10) {
  return {.agent_id = std::move(id),
          .department_ids = {"dep-voirie"},
          .capacity = capacity,
          .open_cases = open_cases};
}

TEST(DisqualificationTest, QualifiedGeneralistHasNone) {
  EXPECT_EQ(Disqualification(Agent("a", 0), RoadsCase(), kNow, AssignmentMode::kAutomatic), "");
}

TEST(DisqualificationTest, EachUnmetConditionIsNamed) {
  const CaseToAssign c = RoadsCase();
  AgentProfile inactive = Agent("a", 0);
  inactive.active = false;
  AgentProfile elsewhere = Agent("a", 0);
  elsewhere.department_ids = {"dep-etat-civil"};
  AgentProfile other_queue = Agent("a", 0);
  other_queue.queue_ids = {"queue-trottoirs"};
  AgentProfile specialist = Agent("a", 0);
  specialist.categories = {"proprete"};
  AgentProfile marseille = Agent("a", 0);
  marseille.territory_prefixes = {"13"};
  AgentProfile away = Agent("a", 0);
  away.absences = {{.start = kNow - absl::Hours(24), .end = kNow + absl::Hours(24)}};
  const AgentProfile full = Agent("a", 10, 10);

  EXPECT_EQ(Disqualification(inactive, c, kNow, AssignmentMode::kManual), "inactive");
  EXPECT_THAT(Disqualification(elsewhere, c, kNow, AssignmentMode::kManual),
              HasSubstr("not a member of department dep-voirie"));
  EXPECT_THAT(Disqualification(other_queue, c, kNow, AssignmentMode::kManual),
              HasSubstr("does not work queue queue-chaussee"));
  EXPECT_THAT(Disqualification(specialist, c, kNow, AssignmentMode::kManual),
              HasSubstr("not qualified for category 'voirie'"));
  EXPECT_THAT(Disqualification(marseille, c, kNow, AssignmentMode::kManual),
              HasSubstr("does not cover territory '69387'"));
  EXPECT_EQ(Disqualification(away, c, kNow, AssignmentMode::kManual), "absent");
  EXPECT_EQ(Disqualification(full, c, kNow, AssignmentMode::kManual), "full: 10 of 10 open");
}

TEST(DisqualificationTest, TerritoryPrefixMatchesCommuneOrDepartmentWithoutCase) {
  AgentProfile rhone = Agent("a", 0);
  rhone.territory_prefixes = {"13", "69"};
  AgentProfile corsica = Agent("a", 0);
  corsica.territory_prefixes = {"2a"};
  CaseToAssign ajaccio = RoadsCase();
  ajaccio.commune_code = "";
  ajaccio.department_code = "2A";

  EXPECT_EQ(Disqualification(rhone, RoadsCase(), kNow, AssignmentMode::kAutomatic), "");
  EXPECT_EQ(Disqualification(corsica, ajaccio, kNow, AssignmentMode::kAutomatic), "");
}

TEST(DisqualificationTest, AbsenceBoundsAreStartInclusiveEndExclusiveAndMayBeOpen) {
  AgentProfile back_now = Agent("a", 0);
  back_now.absences = {{.start = kNow - absl::Hours(1), .end = kNow}};
  AgentProfile leaving_now = Agent("a", 0);
  leaving_now.absences = {{.start = kNow, .end = std::nullopt}};

  EXPECT_EQ(Disqualification(back_now, RoadsCase(), kNow, AssignmentMode::kAutomatic), "");
  EXPECT_EQ(Disqualification(leaving_now, RoadsCase(), kNow, AssignmentMode::kAutomatic), "absent");
}

TEST(DisqualificationTest, CapacityZeroExcludesOnlyAutomaticAssignment) {
  const AgentProfile unlimited = Agent("a", 25, 0);

  EXPECT_EQ(Disqualification(unlimited, RoadsCase(), kNow, AssignmentMode::kManual), "");
  EXPECT_THAT(Disqualification(unlimited, RoadsCase(), kNow, AssignmentMode::kAutomatic),
              HasSubstr("capacity 0"));
}

TEST(ChooseLeastLoadedTest, PicksTheQualifiedAgentWithFewestOpenCases) {
  AgentProfile absent = Agent("absent", 0);
  absent.absences = {{.start = kNow - absl::Hours(1), .end = kNow + absl::Hours(1)}};
  AgentProfile unqualified = Agent("unqualified", 0);
  unqualified.categories = {"etat-civil"};
  const AgentProfile full = Agent("full", 2, 2);

  absl::StatusOr<AgentChoice> choice = ChooseLeastLoaded(
      {Agent("busy", 7, 12), absent, Agent("light", 3, 12), unqualified, full}, RoadsCase(), kNow);

  ASSERT_THAT(choice, IsOk());
  EXPECT_EQ(choice->agent_id, "light");
  EXPECT_EQ(choice->reason, "least loaded qualified agent: 3 of 12 open (2 qualified of 5)");
}

TEST(ChooseLeastLoadedTest, TiesGoToTheLowerShareOfCapacityThenTheSmallerId) {
  EXPECT_EQ(
      ChooseLeastLoaded({Agent("b", 2, 5), Agent("a", 2, 4), Agent("c", 2, 8)}, RoadsCase(), kNow)
          ->agent_id,
      "c");
  EXPECT_EQ(ChooseLeastLoaded({Agent("b", 1, 5), Agent("a", 1, 5)}, RoadsCase(), kNow)->agent_id,
            "a");
}

TEST(ChooseLeastLoadedTest, NobodyQualifiedIsFailedPreconditionSayingWhy) {
  AgentProfile away = Agent("away", 0);
  away.absences = {{.start = std::nullopt, .end = std::nullopt}};

  EXPECT_THAT(ChooseLeastLoaded({away, Agent("full", 3, 3)}, RoadsCase(), kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("away: absent; full: full: 3 of 3 open")));
  EXPECT_THAT(ChooseLeastLoaded({}, RoadsCase(), kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("nobody")));
}

}  // namespace
}  // namespace doleances::workflow
