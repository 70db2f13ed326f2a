#include "services/workflow/routing.h"

#include "services/workflow/french_text.h"

#include "doleances/type/v1/complaint.pb.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <absl/strings/strip.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

namespace doleances::workflow {
namespace {

namespace typev1 = ::doleances::type::v1;

// Limits from the RoutingRule contract (routing.proto).
constexpr int kMaxPrecedence = 1'000'000;
constexpr size_t kMaxNameCharacters = 100;
constexpr size_t kMaxKeywords = 200;
constexpr size_t kMaxKeywordCharacters = 100;
// The longest INSEE code, a commune's.
constexpr size_t kMaxTerritoryPrefixLength = 5;

// Counts code points, which is what "characters" means in the contract's limits.
size_t CountCharacters(absl::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsKnownKind(int kind) {
  return kind != typev1::COMPLAINT_KIND_UNSPECIFIED && typev1::ComplaintKind_IsValid(kind);
}

bool IsKnownPriority(int priority) {
  return priority != typev1::PRIORITY_UNSPECIFIED && typev1::Priority_IsValid(priority);
}

std::string KindName(int kind) {
  if (!typev1::ComplaintKind_IsValid(kind)) {
    return absl::StrCat(kind);
  }
  return std::string(absl::StripPrefix(
      typev1::ComplaintKind_Name(static_cast<typev1::ComplaintKind>(kind)), "COMPLAINT_KIND_"));
}

std::string PriorityName(int priority) {
  if (!typev1::Priority_IsValid(priority)) {
    return absl::StrCat(priority);
  }
  return std::string(absl::StripPrefix(
      typev1::Priority_Name(static_cast<typev1::Priority>(priority)), "PRIORITY_"));
}

std::string Quoted(absl::string_view value) { return absl::StrCat("'", value, "'"); }

std::string QuotedList(const std::vector<std::string>& values) {
  return absl::StrJoin(values, ", ", [](std::string* out, const std::string& value) {
    absl::StrAppend(out, Quoted(value));
  });
}

// "X" for one value, "one of X, Y" for several: completes "is ..." and "is not ...".
std::string OneOf(const std::string& joined, size_t count) {
  return count == 1 ? joined : absl::StrCat("one of ", joined);
}

std::string Plural(size_t count, absl::string_view noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

// Shared by kinds and priorities: enum values matched exactly, reported by name.
CriterionResult EvaluateEnum(RoutingCriterion criterion, absl::string_view label, int value,
                             const std::vector<int>& allowed, std::string (*name)(int)) {
  CriterionResult result;
  result.criterion = criterion;
  result.matched = std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  const std::string wanted = OneOf(absl::StrJoin(allowed, ", ",
                                                 [name](std::string* out, int allowed_value) {
                                                   absl::StrAppend(out, name(allowed_value));
                                                 }),
                                   allowed.size());
  result.detail =
      absl::StrCat(label, " ", name(value), result.matched ? " is " : " is not ", wanted);
  return result;
}

CriterionResult EvaluateCategory(const std::string& category, bool from_classifier,
                                 const std::vector<std::string>& categories) {
  CriterionResult result;
  result.criterion = RoutingCriterion::kCategory;
  const std::string wanted = OneOf(QuotedList(categories), categories.size());
  if (category.empty()) {
    result.detail = absl::StrCat("complaint has no category; the rule wants ", wanted);
    return result;
  }
  result.matched = std::find(categories.begin(), categories.end(), category) != categories.end();
  result.detail =
      absl::StrCat("category ", Quoted(category), from_classifier ? " (from the classifier)" : "",
                   result.matched ? " is " : " is not ", wanted);
  return result;
}

CriterionResult EvaluateTerritory(const RouteInput& input,
                                  const std::vector<std::string>& prefixes) {
  CriterionResult result;
  result.criterion = RoutingCriterion::kTerritory;
  const std::string wanted =
      absl::StrCat(prefixes.size() == 1 ? "" : "any of ", absl::StrJoin(prefixes, ", "));
  const std::string& commune = input.commune_code;
  const std::string& department = input.department_code;
  if (commune.empty() && department.empty()) {
    result.detail =
        absl::StrCat("complaint has no territory; the rule wants a code starting with ", wanted);
    return result;
  }
  for (const std::string& prefix : prefixes) {
    // An empty prefix would match everything; ValidateRule rejects it, and here it matches nothing.
    if (prefix.empty()) {
      continue;
    }
    if (!commune.empty() && absl::StartsWithIgnoreCase(commune, prefix)) {
      result.matched = true;
      result.detail = absl::StrCat("commune ", commune, " starts with ", prefix);
      return result;
    }
    if (!department.empty() && absl::StartsWithIgnoreCase(department, prefix)) {
      result.matched = true;
      result.detail = absl::StrCat("department ", department, " starts with ", prefix);
      return result;
    }
  }
  if (!commune.empty() && !department.empty()) {
    result.detail = absl::StrCat("neither commune ", commune, " nor department ", department,
                                 " starts with ", wanted);
  } else if (!commune.empty()) {
    result.detail = absl::StrCat("commune ", commune, " does not start with ", wanted);
  } else {
    result.detail = absl::StrCat("department ", department, " does not start with ", wanted);
  }
  return result;
}

CriterionResult EvaluateKeywords(const std::vector<std::string>& keywords,
                                 const FoldedText& subject, const FoldedText& description,
                                 std::vector<std::string>* matched_keywords) {
  CriterionResult result;
  result.criterion = RoutingCriterion::kKeywords;
  std::vector<std::string> found;
  std::vector<std::string> missed;
  std::vector<std::string> invalid;
  for (const std::string& keyword : keywords) {
    absl::StatusOr<KeywordPattern> pattern = KeywordPattern::Parse(keyword);
    if (!pattern.ok()) {
      invalid.push_back(absl::StrCat(pattern.status().message(), " (ignored)"));
      continue;
    }
    const bool in_subject = subject.Contains(*pattern);
    const bool in_description = description.Contains(*pattern);
    if (!in_subject && !in_description) {
      missed.push_back(keyword);
      continue;
    }
    matched_keywords->push_back(keyword);
    found.push_back(absl::StrCat("keyword ", Quoted(keyword), " found in ",
                                 in_subject && in_description
                                     ? "subject and description"
                                     : (in_subject ? "subject" : "description")));
  }
  result.matched = !found.empty();
  std::vector<std::string> parts = found;
  if (!result.matched && missed.size() == 1) {
    parts.push_back(
        absl::StrCat("keyword ", Quoted(missed.front()), " not found in subject or description"));
  } else if (!result.matched && missed.size() > 1) {
    parts.push_back(absl::StrCat("none of the keywords ", QuotedList(missed),
                                 " found in subject or description"));
  }
  parts.insert(parts.end(), invalid.begin(), invalid.end());
  result.detail = absl::StrJoin(parts, "; ");
  return result;
}

// Evaluates every non-empty criterion of `rule`; `category` is the complaint's, or the
// classifier's on the second pass.
RuleEvaluation EvaluateRule(const Rule& rule, const RouteInput& input, const std::string& category,
                            bool category_from_classifier, const FoldedText& subject,
                            const FoldedText& description) {
  RuleEvaluation evaluation;
  evaluation.rule_id = rule.rule_id;
  evaluation.name = rule.name;
  evaluation.precedence = rule.precedence;
  const RuleCriteria& criteria = rule.criteria;
  std::vector<CriterionResult>& results = evaluation.criterion_results;
  if (!criteria.kinds.empty()) {
    results.push_back(
        EvaluateEnum(RoutingCriterion::kKind, "kind", input.kind, criteria.kinds, &KindName));
  }
  if (!criteria.categories.empty()) {
    results.push_back(EvaluateCategory(category, category_from_classifier, criteria.categories));
  }
  if (!criteria.territory_prefixes.empty()) {
    results.push_back(EvaluateTerritory(input, criteria.territory_prefixes));
  }
  if (!criteria.keywords.empty()) {
    results.push_back(
        EvaluateKeywords(criteria.keywords, subject, description, &evaluation.matched_keywords));
  }
  if (!criteria.priorities.empty()) {
    results.push_back(EvaluateEnum(RoutingCriterion::kPriority, "priority", input.priority,
                                   criteria.priorities, &PriorityName));
  }
  evaluation.matched = std::all_of(results.begin(), results.end(),
                                   [](const CriterionResult& result) { return result.matched; });
  return evaluation;
}

// One pass over the ordered rules: appends an evaluation per rule tried and returns the first
// that matched, or nullptr.
const Rule* FirstMatch(const std::vector<const Rule*>& ordered, const RouteInput& input,
                       const std::string& category, bool category_from_classifier,
                       const FoldedText& subject, const FoldedText& description,
                       std::vector<RuleEvaluation>* evaluations) {
  for (const Rule* rule : ordered) {
    evaluations->push_back(
        EvaluateRule(*rule, input, category, category_from_classifier, subject, description));
    if (evaluations->back().matched) {
      return rule;
    }
  }
  return nullptr;
}

// "rule 'Voirie 13' (precedence 10) matched after 2 earlier rules did not: kind ...; ...".
std::string DescribeMatch(const Rule& rule, const RuleEvaluation& evaluation,
                          size_t earlier_rules) {
  std::vector<std::string> details;
  for (const CriterionResult& result : evaluation.criterion_results) {
    details.push_back(result.detail);
  }
  return absl::StrCat(
      "rule ", Quoted(rule.name), " (precedence ", rule.precedence, ") matched",
      earlier_rules == 0
          ? ""
          : absl::StrCat(" after ", Plural(earlier_rules, "earlier rule"), " did not"),
      details.empty() ? " (it has no criteria)" : absl::StrCat(": ", absl::StrJoin(details, "; ")));
}

std::string Explain(const RouteDecision& decision, const Rule* winner, size_t enabled_rules,
                    size_t first_pass_tried, bool classifier_consulted,
                    const std::string& input_category) {
  std::string text;
  if (decision.method == RouteMethod::kRule) {
    text = DescribeMatch(*winner, decision.rule_evaluations.back(), first_pass_tried - 1);
    text[0] = absl::ascii_toupper(static_cast<unsigned char>(text[0]));
  } else if (decision.method == RouteMethod::kClassifier) {
    text = absl::StrCat("No rule matched the complaint as given (",
                        Plural(first_pass_tried, "rule"), " tried); with the category ",
                        Quoted(decision.classifier_category), " suggested by the classifier, ",
                        DescribeMatch(*winner, decision.rule_evaluations.back(),
                                      decision.rule_evaluations.size() - first_pass_tried - 1));
  } else {
    text = enabled_rules == 0
               ? "The administration has no enabled routing rule"
               : absl::StrCat("No rule matched (", Plural(enabled_rules, "rule"), " tried)");
    if (classifier_consulted && decision.classifier_category.empty()) {
      absl::StrAppend(&text, "; the classifier suggested no category");
    } else if (classifier_consulted && decision.classifier_category == input_category) {
      absl::StrAppend(&text, "; the classifier suggested ", Quoted(decision.classifier_category),
                      ", the category already tried");
    } else if (classifier_consulted) {
      absl::StrAppend(&text, "; nor did any with the category ",
                      Quoted(decision.classifier_category), " suggested by the classifier");
    }
  }
  if (decision.method == RouteMethod::kNoQueue) {
    absl::StrAppend(&text, ". The administration has no default queue, so the complaint has none.");
    return text;
  }
  absl::StrAppend(&text, ". Routed to ",
                  decision.method == RouteMethod::kDefaultQueue ? "the default queue " : "queue ",
                  decision.queue_id, ".");
  if (winner != nullptr && !winner->assign_category.empty()) {
    absl::StrAppend(&text, " The rule sets the category to ", Quoted(winner->assign_category), ".");
  }
  if (winner != nullptr && winner->assign_priority != 0) {
    absl::StrAppend(&text, " The rule sets the priority to ", PriorityName(winner->assign_priority),
                    ".");
  }
  return text;
}

}  // namespace

RouteDecision Route(const std::vector<Rule>& rules, const std::string& default_queue_id,
                    const RouteInput& input, const CategorySuggester& suggest_category) {
  std::vector<const Rule*> ordered;
  for (const Rule& rule : rules) {
    if (rule.enabled) {
      ordered.push_back(&rule);
    }
  }
  std::sort(ordered.begin(), ordered.end(), [](const Rule* a, const Rule* b) {
    return std::tie(a->precedence, a->rule_id) < std::tie(b->precedence, b->rule_id);
  });
  // Folded and indexed once for every keyword of every rule, on both passes.
  const FoldedText subject(input.subject);
  const FoldedText description(input.description);

  RouteDecision decision;
  decision.priority = input.priority;
  const Rule* winner =
      FirstMatch(ordered, input, input.category, /*category_from_classifier=*/false, subject,
                 description, &decision.rule_evaluations);
  const size_t first_pass_tried = decision.rule_evaluations.size();
  bool classifier_consulted = false;
  bool via_classifier = false;
  if (winner == nullptr && suggest_category) {
    classifier_consulted = true;
    decision.classifier_category = suggest_category(input);
    if (!decision.classifier_category.empty() && decision.classifier_category != input.category) {
      winner = FirstMatch(ordered, input, decision.classifier_category,
                          /*category_from_classifier=*/true, subject, description,
                          &decision.rule_evaluations);
      via_classifier = winner != nullptr;
    }
  }

  if (winner != nullptr) {
    decision.method = via_classifier ? RouteMethod::kClassifier : RouteMethod::kRule;
    decision.rule_id = winner->rule_id;
    decision.queue_id = winner->queue_id;
    if (!winner->assign_category.empty()) {
      decision.category = winner->assign_category;
    } else {
      decision.category = via_classifier ? decision.classifier_category : input.category;
    }
    if (winner->assign_priority != 0) {
      decision.priority = winner->assign_priority;
    }
    decision.matched_keywords = decision.rule_evaluations.back().matched_keywords;
  } else {
    decision.method = default_queue_id.empty() ? RouteMethod::kNoQueue : RouteMethod::kDefaultQueue;
    decision.queue_id = default_queue_id;
    decision.category = input.category.empty() ? decision.classifier_category : input.category;
  }
  decision.explanation = Explain(decision, winner, ordered.size(), first_pass_tried,
                                 classifier_consulted, input.category);
  return decision;
}

absl::Status ValidateRule(const Rule& rule) {
  const size_t name_characters = CountCharacters(rule.name);
  if (name_characters == 0 || name_characters > kMaxNameCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("name must be 1-", kMaxNameCharacters, " characters"));
  }
  if (rule.precedence < 0 || rule.precedence > kMaxPrecedence) {
    return absl::InvalidArgumentError(absl::StrCat("precedence must be 0-", kMaxPrecedence));
  }
  if (rule.queue_id.empty()) {
    return absl::InvalidArgumentError("target_queue_id is required");
  }
  const RuleCriteria& criteria = rule.criteria;
  for (size_t i = 0; i < criteria.kinds.size(); ++i) {
    if (!IsKnownKind(criteria.kinds[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "]: ", criteria.kinds[i], " is not a complaint kind"));
    }
  }
  for (size_t i = 0; i < criteria.categories.size(); ++i) {
    if (criteria.categories[i].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("categories[", i, "] is empty"));
    }
  }
  for (size_t i = 0; i < criteria.territory_prefixes.size(); ++i) {
    const std::string& prefix = criteria.territory_prefixes[i];
    if (prefix.empty() || prefix.size() > kMaxTerritoryPrefixLength ||
        !std::all_of(prefix.begin(), prefix.end(),
                     [](char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); })) {
      return absl::InvalidArgumentError(absl::StrCat("territory_prefixes[", i, "] must be 1-",
                                                     kMaxTerritoryPrefixLength,
                                                     " letters or digits (an INSEE code prefix)"));
    }
  }
  if (criteria.keywords.size() > kMaxKeywords) {
    return absl::InvalidArgumentError(absl::StrCat("at most ", kMaxKeywords, " keywords"));
  }
  for (size_t i = 0; i < criteria.keywords.size(); ++i) {
    const size_t characters = CountCharacters(criteria.keywords[i]);
    if (characters == 0 || characters > kMaxKeywordCharacters) {
      return absl::InvalidArgumentError(
          absl::StrCat("keywords[", i, "] must be 1-", kMaxKeywordCharacters, " characters"));
    }
    if (absl::StatusOr<KeywordPattern> pattern = KeywordPattern::Parse(criteria.keywords[i]);
        !pattern.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("keywords[", i, "]: ", pattern.status().message()));
    }
  }
  for (size_t i = 0; i < criteria.priorities.size(); ++i) {
    if (!IsKnownPriority(criteria.priorities[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("priorities[", i, "]: ", criteria.priorities[i], " is not a priority"));
    }
  }
  if (rule.assign_priority != 0 && !IsKnownPriority(rule.assign_priority)) {
    return absl::InvalidArgumentError(
        absl::StrCat("assign_priority: ", rule.assign_priority, " is not a priority"));
  }
  return absl::OkStatus();
}

Rule RuleFromProto(const v1::RoutingRule& rule) {
  Rule result;
  result.rule_id = rule.routing_rule_id();
  result.name = rule.name();
  result.precedence = rule.precedence();
  result.criteria.kinds.assign(rule.kinds().begin(), rule.kinds().end());
  result.criteria.categories.assign(rule.categories().begin(), rule.categories().end());
  result.criteria.territory_prefixes.assign(rule.territory_prefixes().begin(),
                                            rule.territory_prefixes().end());
  result.criteria.keywords.assign(rule.keywords().begin(), rule.keywords().end());
  result.criteria.priorities.assign(rule.priorities().begin(), rule.priorities().end());
  result.queue_id = rule.target_queue_id();
  result.enabled = rule.enabled();
  result.assign_category = rule.assign_category();
  result.assign_priority = rule.assign_priority();
  return result;
}

RouteInput RouteInputFromCandidate(const v1::RouteCandidate& candidate) {
  RouteInput input;
  input.kind = candidate.kind();
  input.category = candidate.category_hint();
  input.commune_code = candidate.territory().commune_code();
  input.department_code = candidate.territory().department_code();
  input.subject = candidate.subject();
  input.description = candidate.description();
  input.priority = candidate.priority();
  return input;
}

v1::PreviewRouteResponse ToPreviewRouteResponse(const RouteDecision& decision) {
  v1::PreviewRouteResponse response;
  response.set_method(static_cast<typev1::RouteMethod>(decision.method));
  response.set_routing_rule_id(decision.rule_id);
  response.set_queue_id(decision.queue_id);
  response.set_category(decision.category);
  response.set_priority(static_cast<typev1::Priority>(decision.priority));
  response.set_classifier_category(decision.classifier_category);
  for (const RuleEvaluation& evaluation : decision.rule_evaluations) {
    v1::RuleEvaluation* out = response.add_rule_evaluations();
    out->set_routing_rule_id(evaluation.rule_id);
    out->set_name(evaluation.name);
    out->set_precedence(evaluation.precedence);
    out->set_matched(evaluation.matched);
    for (const CriterionResult& result : evaluation.criterion_results) {
      v1::CriterionResult* criterion = out->add_criterion_results();
      criterion->set_criterion(static_cast<v1::RoutingCriterion>(result.criterion));
      criterion->set_matched(result.matched);
      criterion->set_detail(result.detail);
    }
    for (const std::string& keyword : evaluation.matched_keywords) {
      out->add_matched_keywords(keyword);
    }
  }
  response.set_explanation(decision.explanation);
  return response;
}

}  // namespace doleances::workflow
