#include "services/workflow/routing.h"

#include "common/testing/status_matchers.h"

#include "doleances/type/v1/complaint.pb.h"
#include "doleances/workflow/v1/routing.pb.h"
#include "doleances/workflow/v1/workflow_service.pb.h"

#include <absl/status/status.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

namespace typev1 = ::doleances::type::v1;

constexpr int kReclamation = typev1::COMPLAINT_KIND_RECLAMATION;
constexpr int kRecoursGracieux = typev1::COMPLAINT_KIND_RECOURS_GRACIEUX;
constexpr int kSignalement = typev1::COMPLAINT_KIND_SIGNALEMENT;
constexpr int kNormal = typev1::PRIORITY_NORMAL;
constexpr int kUrgent = typev1::PRIORITY_URGENT;

constexpr char kDefaultQueue[] = "q-accueil";

// A pothole in Marseille (commune 13055, département 13).
RouteInput Pothole() {
  return RouteInput{
      .kind = kSignalement,
      .category = "voirie",
      .commune_code = "13055",
      .department_code = "13",
      .subject = "Nid-de-poule dangereux",
      .description = "Un énorme nid de poule devant le 12, boulevard Longchamp.",
      .priority = kNormal,
  };
}

Rule MakeRule(std::string rule_id, int precedence, RuleCriteria criteria,
              std::string queue_id = "") {
  Rule rule;
  rule.name = "Règle " + rule_id;
  rule.rule_id = std::move(rule_id);
  rule.precedence = precedence;
  rule.criteria = std::move(criteria);
  rule.queue_id = queue_id.empty() ? "q-" + rule.rule_id : std::move(queue_id);
  return rule;
}

std::vector<std::string> TriedRuleIds(const RouteDecision& decision) {
  std::vector<std::string> ids;
  for (const RuleEvaluation& evaluation : decision.rule_evaluations) {
    ids.push_back(evaluation.rule_id);
  }
  return ids;
}

// The single criterion result of the last rule tried.
const CriterionResult& OnlyCriterion(const RouteDecision& decision) {
  EXPECT_THAT(decision.rule_evaluations.back().criterion_results, SizeIs(1));
  return decision.rule_evaluations.back().criterion_results.front();
}

TEST(RouteTest, LowerPrecedenceWinsEvenIfDefinedLater) {
  const std::vector<Rule> rules = {
      MakeRule("generale", 100, {}),
      MakeRule("voirie", 10, {.categories = {"voirie"}}),
  };

  const RouteDecision decision = Route(rules, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kRule);
  EXPECT_EQ(decision.rule_id, "voirie");
  EXPECT_EQ(decision.queue_id, "q-voirie");
  EXPECT_THAT(TriedRuleIds(decision), ElementsAre("voirie"));
}

TEST(RouteTest, DisabledRulesAreSkippedAndNotListed) {
  Rule disabled = MakeRule("voirie-ancienne", 1, {.categories = {"voirie"}});
  disabled.enabled = false;
  const std::vector<Rule> rules = {disabled, MakeRule("voirie", 10, {.categories = {"voirie"}})};

  const RouteDecision decision = Route(rules, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.rule_id, "voirie");
  EXPECT_THAT(TriedRuleIds(decision), ElementsAre("voirie"));
}

TEST(RouteTest, RuleWithoutCriteriaMatchesAnything) {
  const RouteDecision decision =
      Route({MakeRule("tout", 5, {})}, kDefaultQueue, RouteInput{.kind = kReclamation});

  EXPECT_EQ(decision.method, RouteMethod::kRule);
  EXPECT_EQ(decision.rule_id, "tout");
  ASSERT_THAT(decision.rule_evaluations, SizeIs(1));
  EXPECT_TRUE(decision.rule_evaluations[0].matched);
  EXPECT_THAT(decision.rule_evaluations[0].criterion_results, IsEmpty());
  EXPECT_THAT(decision.explanation, HasSubstr("(it has no criteria)"));
}

TEST(RouteTest, EveryNonEmptyCriterionMustMatch) {
  const std::vector<Rule> rules = {
      MakeRule("signalement-69", 1, {.kinds = {kSignalement}, .territory_prefixes = {"69"}})};

  const RouteDecision decision = Route(rules, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kDefaultQueue);
  ASSERT_THAT(decision.rule_evaluations, SizeIs(1));
  const RuleEvaluation& evaluation = decision.rule_evaluations[0];
  EXPECT_FALSE(evaluation.matched);
  ASSERT_THAT(evaluation.criterion_results, SizeIs(2));
  EXPECT_EQ(evaluation.criterion_results[0].criterion, RoutingCriterion::kKind);
  EXPECT_TRUE(evaluation.criterion_results[0].matched);
  EXPECT_EQ(evaluation.criterion_results[1].criterion, RoutingCriterion::kTerritory);
  EXPECT_FALSE(evaluation.criterion_results[1].matched);
}

TEST(RouteTest, KindCriterionMatchesAnyListedKind) {
  const RouteDecision decision =
      Route({MakeRule("r", 1, {.kinds = {kReclamation, kSignalement}})}, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kRule);
  EXPECT_TRUE(OnlyCriterion(decision).matched);
  EXPECT_EQ(OnlyCriterion(decision).detail, "kind SIGNALEMENT is one of RECLAMATION, SIGNALEMENT");
}

TEST(RouteTest, KindCriterionRejectsOtherKinds) {
  const RouteDecision decision =
      Route({MakeRule("r", 1, {.kinds = {kRecoursGracieux}})}, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kDefaultQueue);
  EXPECT_FALSE(OnlyCriterion(decision).matched);
  EXPECT_EQ(OnlyCriterion(decision).detail, "kind SIGNALEMENT is not RECOURS_GRACIEUX");
}

TEST(RouteTest, CategoryCriterionMatchesAnyListedCategory) {
  const RouteDecision decision =
      Route({MakeRule("r", 1, {.categories = {"proprete", "voirie"}})}, kDefaultQueue, Pothole());

  EXPECT_TRUE(OnlyCriterion(decision).matched);
  EXPECT_EQ(OnlyCriterion(decision).detail, "category 'voirie' is one of 'proprete', 'voirie'");
}

TEST(RouteTest, CategoryCriterionRejectsOtherOrMissingCategory) {
  const std::vector<Rule> rules = {MakeRule("r", 1, {.categories = {"proprete"}})};
  RouteInput without_category = Pothole();
  without_category.category.clear();

  const RouteDecision other = Route(rules, kDefaultQueue, Pothole());
  const RouteDecision missing = Route(rules, kDefaultQueue, without_category);

  EXPECT_FALSE(OnlyCriterion(other).matched);
  EXPECT_EQ(OnlyCriterion(other).detail, "category 'voirie' is not 'proprete'");
  EXPECT_FALSE(OnlyCriterion(missing).matched);
  EXPECT_EQ(OnlyCriterion(missing).detail, "complaint has no category; the rule wants 'proprete'");
}

TEST(RouteTest, TerritoryPrefixMatchesCommuneCode) {
  const RouteInput paris{.kind = kReclamation, .commune_code = "75056", .department_code = "75"};

  const RouteDecision decision =
      Route({MakeRule("paris", 1, {.territory_prefixes = {"75056"}})}, kDefaultQueue, paris);

  EXPECT_EQ(decision.rule_id, "paris");
  EXPECT_EQ(OnlyCriterion(decision).detail, "commune 75056 starts with 75056");
}

TEST(RouteTest, TerritoryPrefixMatchesDepartmentCodeWithoutCommune) {
  const RouteInput bouches_du_rhone{.kind = kReclamation, .department_code = "13"};

  const RouteDecision decision =
      Route({MakeRule("r13", 1, {.territory_prefixes = {"13"}})}, kDefaultQueue, bouches_du_rhone);

  EXPECT_EQ(decision.rule_id, "r13");
  EXPECT_EQ(OnlyCriterion(decision).detail, "department 13 starts with 13");
}

TEST(RouteTest, TerritoryPrefixIsCaseInsensitiveForCorsica) {
  const RouteInput ajaccio{.kind = kReclamation, .commune_code = "2A004", .department_code = "2A"};

  const RouteDecision decision =
      Route({MakeRule("corse", 1, {.territory_prefixes = {"2a"}})}, kDefaultQueue, ajaccio);

  EXPECT_EQ(decision.rule_id, "corse");
}

TEST(RouteTest, TerritoryMismatchSaysWhichCodesDidNotMatch) {
  const std::vector<Rule> one_prefix = {MakeRule("r", 1, {.territory_prefixes = {"13"}})};
  const std::vector<Rule> two_prefixes = {MakeRule("r", 1, {.territory_prefixes = {"13", "2A"}})};
  const RouteInput department_only{.kind = kReclamation, .department_code = "69"};
  const RouteInput lyon{.kind = kReclamation, .commune_code = "69123", .department_code = "69"};
  const RouteInput nowhere{.kind = kReclamation};

  EXPECT_EQ(OnlyCriterion(Route(one_prefix, kDefaultQueue, department_only)).detail,
            "department 69 does not start with 13");
  EXPECT_EQ(OnlyCriterion(Route(two_prefixes, kDefaultQueue, lyon)).detail,
            "neither commune 69123 nor department 69 starts with any of 13, 2A");
  const RouteDecision no_territory = Route(one_prefix, kDefaultQueue, nowhere);
  EXPECT_FALSE(OnlyCriterion(no_territory).matched);
  EXPECT_THAT(OnlyCriterion(no_territory).detail, HasSubstr("complaint has no territory"));
}

TEST(RouteTest, KeywordsMatchIgnoringCaseAndAccents) {
  const RouteInput input{.kind = kSignalement, .subject = "ÉCLAIRAGE en panne rue Thiers"};

  const RouteDecision decision =
      Route({MakeRule("eclairage", 1, {.keywords = {"eclairage"}})}, kDefaultQueue, input);

  EXPECT_EQ(decision.method, RouteMethod::kRule);
  EXPECT_EQ(decision.rule_id, "eclairage");
  EXPECT_EQ(OnlyCriterion(decision).detail, "keyword 'eclairage' found in subject");
  EXPECT_THAT(decision.matched_keywords, ElementsAre("eclairage"));
}

TEST(RouteTest, MultiWordKeywordMatchesConsecutiveWords) {
  const RouteInput input{.kind = kSignalement,
                         .subject = "Chaussée abîmée",
                         .description = "Il y a un nid-de-poule devant l'école."};
  const RouteInput scattered{.kind = kSignalement,
                             .subject = "Chaussée abîmée",
                             .description = "Un nid de pie, de la poule..."};
  const std::vector<Rule> rules = {MakeRule("voirie", 1, {.keywords = {"nid de poule"}})};

  const RouteDecision found = Route(rules, kDefaultQueue, input);
  const RouteDecision not_found = Route(rules, kDefaultQueue, scattered);

  EXPECT_EQ(found.rule_id, "voirie");
  EXPECT_EQ(OnlyCriterion(found).detail, "keyword 'nid de poule' found in description");
  EXPECT_EQ(not_found.method, RouteMethod::kDefaultQueue);
  EXPECT_EQ(OnlyCriterion(not_found).detail,
            "keyword 'nid de poule' not found in subject or description");
}

TEST(RouteTest, KeywordFoundInBothFieldsSaysSo) {
  const RouteDecision decision =
      Route({MakeRule("voirie", 1, {.keywords = {"Nid de poule"}})}, kDefaultQueue, Pothole());

  EXPECT_EQ(OnlyCriterion(decision).detail,
            "keyword 'Nid de poule' found in subject and description");
}

TEST(RouteTest, KeywordWildcardMatchesPrefixes) {
  const RouteInput input{.kind = kSignalement, .subject = "Deux lampadaires éteints"};

  const RouteDecision decision =
      Route({MakeRule("eclairage", 1, {.keywords = {"lampadair*"}})}, kDefaultQueue, input);

  EXPECT_EQ(decision.rule_id, "eclairage");
  EXPECT_THAT(decision.matched_keywords, ElementsAre("lampadair*"));
}

TEST(RouteTest, KeywordDoesNotMatchInsideLongerWord) {
  const RouteInput input{.kind = kSignalement, .subject = "La ruelle derrière la mairie"};

  const RouteDecision exact =
      Route({MakeRule("rue", 1, {.keywords = {"rue"}})}, kDefaultQueue, input);
  const RouteDecision prefix =
      Route({MakeRule("rue", 1, {.keywords = {"rue*"}})}, kDefaultQueue, input);

  EXPECT_EQ(exact.method, RouteMethod::kDefaultQueue);
  EXPECT_EQ(prefix.method, RouteMethod::kRule);
}

TEST(RouteTest, ListsEveryMatchedKeywordAndEveryMissedOne) {
  const RouteInput input{.kind = kSignalement,
                         .subject = "Éclairage public en panne",
                         .description = "Le lampadaire ne s’allume plus."};
  const std::vector<Rule> matching = {
      MakeRule("r", 1, {.keywords = {"trottoir", "éclairage public", "lampadaire"}})};
  const std::vector<Rule> missing = {MakeRule("r", 1, {.keywords = {"trottoir", "poubelle"}})};

  const RouteDecision found = Route(matching, kDefaultQueue, input);
  const RouteDecision not_found = Route(missing, kDefaultQueue, input);

  EXPECT_THAT(found.matched_keywords, ElementsAre("éclairage public", "lampadaire"));
  EXPECT_EQ(OnlyCriterion(found).detail,
            "keyword 'éclairage public' found in subject; keyword 'lampadaire' found in "
            "description");
  EXPECT_EQ(OnlyCriterion(not_found).detail,
            "none of the keywords 'trottoir', 'poubelle' found in subject or description");
}

TEST(RouteTest, InvalidStoredKeywordIsReportedAndNeverMatches) {
  const RouteDecision decision =
      Route({MakeRule("r", 1, {.keywords = {"***"}})}, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kDefaultQueue);
  EXPECT_THAT(OnlyCriterion(decision).detail, HasSubstr("(ignored)"));
}

TEST(RouteTest, PriorityCriterionMatchesAnyListedPriority) {
  RouteInput urgent = Pothole();
  urgent.priority = kUrgent;
  const std::vector<Rule> rules = {MakeRule("urgences", 1, {.priorities = {kUrgent}})};

  const RouteDecision matched = Route(rules, kDefaultQueue, urgent);
  const RouteDecision unmatched = Route(rules, kDefaultQueue, Pothole());

  EXPECT_EQ(matched.rule_id, "urgences");
  EXPECT_EQ(OnlyCriterion(matched).detail, "priority URGENT is URGENT");
  EXPECT_EQ(OnlyCriterion(unmatched).detail, "priority NORMAL is not URGENT");
}

TEST(RouteTest, FallsBackToDefaultQueue) {
  const RouteDecision decision =
      Route({MakeRule("r", 1, {.categories = {"urbanisme"}})}, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kDefaultQueue);
  EXPECT_EQ(decision.queue_id, kDefaultQueue);
  EXPECT_TRUE(decision.rule_id.empty());
  EXPECT_EQ(decision.category, "voirie");
  EXPECT_THAT(decision.explanation, HasSubstr("No rule matched (1 rule tried)"));
  EXPECT_THAT(decision.explanation, HasSubstr("Routed to the default queue q-accueil."));
}

TEST(RouteTest, WithoutDefaultQueueDecidesNoQueue) {
  const RouteDecision decision = Route({}, "", Pothole());

  EXPECT_EQ(decision.method, RouteMethod::kNoQueue);
  EXPECT_TRUE(decision.queue_id.empty());
  EXPECT_THAT(decision.rule_evaluations, IsEmpty());
  EXPECT_THAT(decision.explanation, HasSubstr("no enabled routing rule"));
  EXPECT_THAT(decision.explanation, HasSubstr("no default queue"));
}

TEST(RouteTest, ExplanationListsEveryRuleTriedInOrderWithReasons) {
  const std::vector<Rule> rules = {
      MakeRule("apres", 40, {}),  // would match, but comes after the winner
      MakeRule("lyon", 10, {.territory_prefixes = {"69"}}),
      MakeRule("eclairage", 20, {.kinds = {kSignalement}, .keywords = {"lampadaire"}}),
      MakeRule(
          "voirie-13", 30,
          {.kinds = {kSignalement}, .territory_prefixes = {"13"}, .keywords = {"nid de poule"}}),
  };

  const RouteDecision decision = Route(rules, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.rule_id, "voirie-13");
  EXPECT_THAT(TriedRuleIds(decision), ElementsAre("lyon", "eclairage", "voirie-13"));
  const std::vector<RuleEvaluation>& tried = decision.rule_evaluations;
  EXPECT_FALSE(tried[0].matched);
  EXPECT_THAT(tried[0].criterion_results,
              ElementsAre(Field(&CriterionResult::detail,
                                "neither commune 13055 nor department 13 starts with 69")));
  EXPECT_FALSE(tried[1].matched);
  EXPECT_THAT(tried[1].criterion_results,
              ElementsAre(Field(&CriterionResult::detail, "kind SIGNALEMENT is SIGNALEMENT"),
                          Field(&CriterionResult::detail,
                                "keyword 'lampadaire' not found in subject or description")));
  EXPECT_TRUE(tried[2].matched);
  EXPECT_EQ(tried[2].precedence, 30);
  EXPECT_EQ(tried[2].name, "Règle voirie-13");
  EXPECT_THAT(tried[2].criterion_results,
              ElementsAre(Field(&CriterionResult::detail, "kind SIGNALEMENT is SIGNALEMENT"),
                          Field(&CriterionResult::detail, "commune 13055 starts with 13"),
                          Field(&CriterionResult::detail,
                                "keyword 'nid de poule' found in subject and description")));
  EXPECT_THAT(decision.matched_keywords, ElementsAre("nid de poule"));
  EXPECT_EQ(decision.explanation,
            "Rule 'Règle voirie-13' (precedence 30) matched after 2 earlier rules did not: kind "
            "SIGNALEMENT is SIGNALEMENT; commune 13055 starts with 13; keyword 'nid de poule' "
            "found in subject and description. Routed to queue q-voirie-13.");
}

TEST(RouteTest, TiesOnPrecedenceAreBrokenByRuleIdWhateverTheOrder) {
  std::vector<Rule> rules = {
      MakeRule("c", 10, {}),
      MakeRule("a", 10, {.categories = {"urbanisme"}}),
      MakeRule("b", 10, {}),
  };

  std::sort(rules.begin(), rules.end(),
            [](const Rule& x, const Rule& y) { return x.rule_id < y.rule_id; });
  do {
    const RouteDecision decision = Route(rules, kDefaultQueue, Pothole());
    EXPECT_EQ(decision.rule_id, "b");
    EXPECT_THAT(TriedRuleIds(decision), ElementsAre("a", "b"));
  } while (std::next_permutation(rules.begin(), rules.end(), [](const Rule& x, const Rule& y) {
    return x.rule_id < y.rule_id;
  }));
}

TEST(RouteTest, AppliesTheRulesCategoryAndPriority) {
  Rule rule = MakeRule("r", 1, {.keywords = {"nid de poule"}});
  rule.assign_category = "chaussee";
  rule.assign_priority = kUrgent;

  const RouteDecision decision = Route({rule}, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.category, "chaussee");
  EXPECT_EQ(decision.priority, kUrgent);
  EXPECT_THAT(decision.explanation, HasSubstr("sets the category to 'chaussee'"));
  EXPECT_THAT(decision.explanation, HasSubstr("sets the priority to URGENT"));
}

TEST(RouteTest, KeepsTheComplaintsCategoryAndPriorityByDefault) {
  const RouteDecision decision = Route({MakeRule("r", 1, {})}, kDefaultQueue, Pothole());

  EXPECT_EQ(decision.category, "voirie");
  EXPECT_EQ(decision.priority, kNormal);
}

TEST(RouteTest, TriesTheClassifiersCategoryWhenNoRuleMatches) {
  const std::vector<Rule> rules = {MakeRule("proprete", 1, {.categories = {"proprete"}})};
  RouteInput input = Pothole();
  input.category.clear();
  int calls = 0;

  const RouteDecision decision = Route(rules, kDefaultQueue, input, [&](const RouteInput&) {
    ++calls;
    return std::string("proprete");
  });

  EXPECT_EQ(calls, 1);
  EXPECT_EQ(decision.method, RouteMethod::kClassifier);
  EXPECT_EQ(decision.rule_id, "proprete");
  EXPECT_EQ(decision.category, "proprete");
  EXPECT_EQ(decision.classifier_category, "proprete");
  EXPECT_THAT(TriedRuleIds(decision), ElementsAre("proprete", "proprete"));
  EXPECT_EQ(OnlyCriterion(decision).detail,
            "category 'proprete' (from the classifier) is 'proprete'");
  EXPECT_THAT(decision.explanation, HasSubstr("suggested by the classifier"));
}

TEST(RouteTest, DoesNotConsultTheClassifierWhenARuleMatches) {
  int calls = 0;

  const RouteDecision decision =
      Route({MakeRule("r", 1, {})}, kDefaultQueue, Pothole(), [&](const RouteInput&) {
        ++calls;
        return std::string("proprete");
      });

  EXPECT_EQ(calls, 0);
  EXPECT_EQ(decision.method, RouteMethod::kRule);
  EXPECT_TRUE(decision.classifier_category.empty());
}

TEST(RouteTest, ClassifierSuggestingTheSameCategoryFallsBackWithoutSecondPass) {
  const std::vector<Rule> rules = {MakeRule("r", 1, {.categories = {"proprete"}})};

  const RouteDecision decision = Route(rules, kDefaultQueue, Pothole(),
                                       [](const RouteInput&) { return std::string("voirie"); });

  EXPECT_EQ(decision.method, RouteMethod::kDefaultQueue);
  EXPECT_THAT(decision.rule_evaluations, SizeIs(1));
  EXPECT_THAT(decision.explanation, HasSubstr("the category already tried"));
}

TEST(ValidateRuleTest, AcceptsAValidRule) {
  Rule rule = MakeRule("r", 10,
                       {.kinds = {kSignalement},
                        .categories = {"voirie"},
                        .territory_prefixes = {"13", "2A"},
                        .keywords = {"nid de poule", "lampadair*"},
                        .priorities = {kUrgent}});

  EXPECT_THAT(ValidateRule(rule), IsOk());
}

TEST(ValidateRuleTest, RejectsMalformedRules) {
  const Rule valid = MakeRule("r", 10, {});
  std::vector<std::pair<Rule, std::string>> cases;
  const auto add = [&](auto change, std::string field) {
    Rule rule = valid;
    change(rule);
    cases.emplace_back(rule, field);
  };
  add([](Rule& r) { r.name.clear(); }, "name");
  add([](Rule& r) { r.name = std::string(101, 'e'); }, "name");
  add([](Rule& r) { r.precedence = -1; }, "precedence");
  add([](Rule& r) { r.precedence = 1'000'001; }, "precedence");
  add([](Rule& r) { r.queue_id.clear(); }, "target_queue_id");
  add([](Rule& r) { r.criteria.kinds = {0}; }, "kinds[0]");
  add([](Rule& r) { r.criteria.kinds = {kSignalement, 99}; }, "kinds[1]");
  add([](Rule& r) { r.criteria.categories = {""}; }, "categories[0]");
  add([](Rule& r) { r.criteria.territory_prefixes = {""}; }, "territory_prefixes[0]");
  add([](Rule& r) { r.criteria.territory_prefixes = {"130555"}; }, "territory_prefixes[0]");
  add([](Rule& r) { r.criteria.territory_prefixes = {"13-"}; }, "territory_prefixes[0]");
  add([](Rule& r) { r.criteria.keywords = {"ok", "lamp*adaire"}; }, "keywords[1]");
  add([](Rule& r) { r.criteria.keywords = {"…"}; }, "keywords[0]");
  add([](Rule& r) { r.criteria.keywords = {std::string(101, 'a')}; }, "keywords[0]");
  add([](Rule& r) { r.criteria.keywords = std::vector<std::string>(201, "a"); }, "keywords");
  add([](Rule& r) { r.criteria.priorities = {0}; }, "priorities[0]");
  add([](Rule& r) { r.assign_priority = 42; }, "assign_priority");

  for (const auto& [rule, field] : cases) {
    EXPECT_THAT(ValidateRule(rule), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(field)))
        << field;
  }
}

TEST(ValidateRuleTest, CountsCharactersNotBytes) {
  Rule rule = MakeRule("r", 10, {.keywords = {std::string(50, 'e') + "éééééééééééééééééééééééé"}});
  rule.name.clear();
  for (int i = 0; i < 100; ++i) {
    rule.name += "é";
  }

  EXPECT_THAT(ValidateRule(rule), IsOk());
}

TEST(RoutingProtoTest, RuleFromProtoCopiesEveryField) {
  v1::RoutingRule proto;
  proto.set_routing_rule_id("rule-1");
  proto.set_name("Voirie Marseille");
  proto.set_precedence(7);
  proto.add_kinds(typev1::COMPLAINT_KIND_SIGNALEMENT);
  proto.add_categories("voirie");
  proto.add_territory_prefixes("13055");
  proto.add_keywords("nid de poule");
  proto.add_priorities(typev1::PRIORITY_HIGH);
  proto.set_target_queue_id("queue-1");
  proto.set_enabled(true);
  proto.set_assign_category("chaussee");
  proto.set_assign_priority(typev1::PRIORITY_URGENT);

  const Rule rule = RuleFromProto(proto);

  EXPECT_EQ(rule.rule_id, "rule-1");
  EXPECT_EQ(rule.name, "Voirie Marseille");
  EXPECT_EQ(rule.precedence, 7);
  EXPECT_THAT(rule.criteria.kinds, ElementsAre(kSignalement));
  EXPECT_THAT(rule.criteria.categories, ElementsAre("voirie"));
  EXPECT_THAT(rule.criteria.territory_prefixes, ElementsAre("13055"));
  EXPECT_THAT(rule.criteria.keywords, ElementsAre("nid de poule"));
  EXPECT_THAT(rule.criteria.priorities, ElementsAre(typev1::PRIORITY_HIGH));
  EXPECT_EQ(rule.queue_id, "queue-1");
  EXPECT_TRUE(rule.enabled);
  EXPECT_EQ(rule.assign_category, "chaussee");
  EXPECT_EQ(rule.assign_priority, kUrgent);
}

TEST(RoutingProtoTest, RouteInputFromCandidateCopiesEveryField) {
  v1::RouteCandidate candidate;
  candidate.set_kind(typev1::COMPLAINT_KIND_SIGNALEMENT);
  candidate.set_category_hint("voirie");
  candidate.mutable_territory()->set_commune_code("13055");
  candidate.mutable_territory()->set_department_code("13");
  candidate.set_priority(typev1::PRIORITY_HIGH);
  candidate.set_subject("Nid-de-poule");
  candidate.set_description("Boulevard Longchamp");

  const RouteInput input = RouteInputFromCandidate(candidate);

  EXPECT_EQ(input.kind, kSignalement);
  EXPECT_EQ(input.category, "voirie");
  EXPECT_EQ(input.commune_code, "13055");
  EXPECT_EQ(input.department_code, "13");
  EXPECT_EQ(input.priority, typev1::PRIORITY_HIGH);
  EXPECT_EQ(input.subject, "Nid-de-poule");
  EXPECT_EQ(input.description, "Boulevard Longchamp");
}

TEST(RoutingProtoTest, PreviewResponseCarriesTheWholeDecision) {
  const std::vector<Rule> rules = {
      MakeRule("lyon", 1, {.territory_prefixes = {"69"}}),
      MakeRule("voirie", 2, {.keywords = {"nid de poule"}}),
  };
  const RouteDecision decision = Route(rules, kDefaultQueue, Pothole());

  const v1::PreviewRouteResponse response = ToPreviewRouteResponse(decision);

  EXPECT_EQ(response.method(), typev1::ROUTE_METHOD_RULE);
  EXPECT_EQ(response.routing_rule_id(), "voirie");
  EXPECT_EQ(response.queue_id(), "q-voirie");
  EXPECT_TRUE(response.department_id().empty());
  EXPECT_EQ(response.category(), "voirie");
  EXPECT_EQ(response.priority(), typev1::PRIORITY_NORMAL);
  EXPECT_EQ(response.explanation(), decision.explanation);
  ASSERT_EQ(response.rule_evaluations_size(), 2);
  const v1::RuleEvaluation& winner = response.rule_evaluations(1);
  EXPECT_EQ(winner.routing_rule_id(), "voirie");
  EXPECT_EQ(winner.precedence(), 2);
  EXPECT_TRUE(winner.matched());
  ASSERT_EQ(winner.criterion_results_size(), 1);
  EXPECT_EQ(winner.criterion_results(0).criterion(), v1::ROUTING_CRITERION_KEYWORDS);
  EXPECT_TRUE(winner.criterion_results(0).matched());
  EXPECT_THAT(winner.matched_keywords(), ElementsAre("nid de poule"));
  EXPECT_FALSE(response.rule_evaluations(0).matched());
}

TEST(RoutingProtoTest, EnumValuesMatchTheContract) {
  EXPECT_EQ(static_cast<int>(RouteMethod::kNoQueue), typev1::ROUTE_METHOD_UNSPECIFIED);
  EXPECT_EQ(static_cast<int>(RouteMethod::kRule), typev1::ROUTE_METHOD_RULE);
  EXPECT_EQ(static_cast<int>(RouteMethod::kClassifier), typev1::ROUTE_METHOD_CLASSIFIER);
  EXPECT_EQ(static_cast<int>(RouteMethod::kDefaultQueue), typev1::ROUTE_METHOD_DEFAULT_QUEUE);
  EXPECT_EQ(static_cast<int>(RoutingCriterion::kKind), v1::ROUTING_CRITERION_KIND);
  EXPECT_EQ(static_cast<int>(RoutingCriterion::kCategory), v1::ROUTING_CRITERION_CATEGORY);
  EXPECT_EQ(static_cast<int>(RoutingCriterion::kTerritory), v1::ROUTING_CRITERION_TERRITORY);
  EXPECT_EQ(static_cast<int>(RoutingCriterion::kKeywords), v1::ROUTING_CRITERION_KEYWORDS);
  EXPECT_EQ(static_cast<int>(RoutingCriterion::kPriority), v1::ROUTING_CRITERION_PRIORITY);
}

}  // namespace
}  // namespace doleances::workflow
