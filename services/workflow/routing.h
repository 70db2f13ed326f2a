// Routing rules: which queue receives a complaint, and why (doleances.workflow.v1 RoutingRule and
// PreviewRoute). Pure domain logic on plain structs; the handler loads the rules and the default
// queue, and the proto mappings at the end of this file convert at its boundary.
#pragma once

#include "doleances/workflow/v1/routing.pb.h"
#include "doleances/workflow/v1/workflow_service.pb.h"

#include <absl/status/status.h>

#include <functional>
#include <string>
#include <vector>

namespace doleances::workflow {

// A complaint as routing sees it.
struct RouteInput {
  int kind = 0;  // doleances.type.v1.ComplaintKind
  // Category code (the complaint's hint); empty if none.
  std::string category;
  // INSEE codes; either may be empty.
  std::string commune_code;
  std::string department_code;
  std::string subject;
  std::string description;
  int priority = 0;  // doleances.type.v1.Priority
};

// What a rule matches. An empty criterion matches anything; a non-empty one matches when any of
// its values does; a rule matches when all its non-empty criteria do.
struct RuleCriteria {
  std::vector<int> kinds;               // doleances.type.v1.ComplaintKind, exact
  std::vector<std::string> categories;  // exact
  // Match the commune or the department code by prefix, ASCII case-insensitively ("2a" = "2A").
  std::vector<std::string> territory_prefixes;
  // Words or phrases found in the subject or the description: case- and accent-insensitive, on
  // word boundaries, a trailing '*' for a prefix (see KeywordPattern).
  std::vector<std::string> keywords;
  std::vector<int> priorities;  // doleances.type.v1.Priority, exact
};

struct Rule {
  std::string rule_id;
  std::string name;
  // Lower is tried first; ties are broken by rule_id.
  int precedence = 0;
  RuleCriteria criteria;
  std::string queue_id;
  bool enabled = true;
  // Category given to matching complaints; empty keeps theirs.
  std::string assign_category;
  // Priority given to matching complaints; 0 (UNSPECIFIED) keeps theirs.
  int assign_priority = 0;
};

// Values equal doleances.workflow.v1.RoutingCriterion.
enum class RoutingCriterion {
  kKind = 1,
  kCategory = 2,
  kTerritory = 3,
  kKeywords = 4,
  kPriority = 5,
};

// Values equal doleances.type.v1.RouteMethod; kNoQueue (UNSPECIFIED) when nothing matched and the
// administration has no default queue.
enum class RouteMethod {
  kNoQueue = 0,
  kRule = 1,
  kClassifier = 2,
  kDefaultQueue = 3,
  kManual = 4,  // A person named the queue.
};

// The verdict of one non-empty criterion of one rule.
struct CriterionResult {
  RoutingCriterion criterion = RoutingCriterion::kKind;
  bool matched = false;
  // Why, in English: "keyword 'nid de poule' found in subject",
  // "department 69 does not start with 13".
  std::string detail;
};

// How one rule fared (doleances.workflow.v1.RuleEvaluation).
struct RuleEvaluation {
  std::string rule_id;
  std::string name;
  int precedence = 0;
  bool matched = false;
  // In criterion order (kind, category, territory, keywords, priority); every non-empty criterion
  // is evaluated, even after one fails, so the explanation is complete.
  std::vector<CriterionResult> criterion_results;
  // The rule's keywords (as written in the rule) found in the subject or description.
  std::vector<std::string> matched_keywords;
};

// Where a complaint goes (doleances.workflow.v1.PreviewRouteResponse, less department_id).
struct RouteDecision {
  RouteMethod method = RouteMethod::kNoQueue;
  // The rule that matched; empty for kDefaultQueue and kNoQueue.
  std::string rule_id;
  // Empty for kNoQueue.
  std::string queue_id;
  // Category the case gets: the rule's assign_category, else the category the rule matched
  // with (the classifier's for kClassifier); without a rule, the complaint's, else the
  // classifier's suggestion.
  std::string category;
  // Priority the case gets: the rule's assign_priority, else the complaint's.
  int priority = 0;
  // The classifier's suggestion, if it was consulted (empty if it had none).
  std::string classifier_category;
  // The winning rule's matched keywords.
  std::vector<std::string> matched_keywords;
  // Every enabled rule tried, in order, up to and including the match; when the classifier was
  // consulted, the second pass follows the first.
  std::vector<RuleEvaluation> rule_evaluations;
  // One-paragraph English summary.
  std::string explanation;
};

// Suggests a category from a complaint's text; returns "" when it has none (or fails).
using CategorySuggester = std::function<std::string(const RouteInput&)>;

// Routes `input`: tries the enabled rules by ascending (precedence, rule_id), whatever their order
// in `rules`, and returns the first that matches. If none does and `suggest_category` is set, it
// is called once and, if it suggests a category other than input.category, the rules are tried
// again with it (kClassifier). Otherwise the decision is default_queue_id (kDefaultQueue), or no
// queue if that is empty (kNoQueue). Rules are assumed valid (ValidateRule); an invalid keyword
// is reported in the explanation and never matches.
RouteDecision Route(const std::vector<Rule>& rules, const std::string& default_queue_id,
                    const RouteInput& input, const CategorySuggester& suggest_category = nullptr);

// Checks a rule before it is stored: name 1-100 characters; precedence 0-1,000,000; queue_id set;
// kinds and priorities known and not UNSPECIFIED; categories and territory prefixes non-empty,
// prefixes 1-5 letters or digits; at most 200 keywords of 1-100 characters, each a valid
// KeywordPattern. INVALID_ARGUMENT naming the first offending field. Uniqueness of name and
// precedence is the store's to check.
absl::Status ValidateRule(const Rule& rule);

// Maps a stored rule to the struct Route takes (routing_rule_id → rule_id, target_queue_id →
// queue_id).
Rule RuleFromProto(const v1::RoutingRule& rule);

// Maps PreviewRoute's described complaint to the struct Route takes.
RouteInput RouteInputFromCandidate(const v1::RouteCandidate& candidate);

// Maps a decision to PreviewRoute's response; department_id is left for the caller, which knows
// the queue's department.
v1::PreviewRouteResponse ToPreviewRouteResponse(const RouteDecision& decision);

}  // namespace doleances::workflow
