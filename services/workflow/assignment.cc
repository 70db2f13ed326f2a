#include "services/workflow/assignment.h"

#include <absl/status/status.h>
#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool CoversTerritory(const std::vector<std::string>& prefixes, const CaseToAssign& c) {
  if (prefixes.empty()) {
    return true;
  }
  // Corsica's "2A"/"2B": prefixes are letters or digits, compared without case.
  for (const std::string& prefix : prefixes) {
    if ((!c.commune_code.empty() && absl::StartsWithIgnoreCase(c.commune_code, prefix)) ||
        (!c.department_code.empty() && absl::StartsWithIgnoreCase(c.department_code, prefix))) {
      return true;
    }
  }
  return false;
}

bool AbsentAt(const std::vector<Absence>& absences, absl::Time now) {
  return std::any_of(absences.begin(), absences.end(), [now](const Absence& absence) {
    return (!absence.start.has_value() || *absence.start <= now) &&
           (!absence.end.has_value() || now < *absence.end);
  });
}

}  // namespace

std::string Disqualification(const AgentProfile& agent, const CaseToAssign& c, absl::Time now,
                             AssignmentMode mode) {
  if (!agent.active) {
    return "inactive";
  }
  if (!Contains(agent.department_ids, c.department_id)) {
    return absl::StrCat("not a member of department ", c.department_id);
  }
  if (!agent.queue_ids.empty() && !Contains(agent.queue_ids, c.queue_id)) {
    return absl::StrCat("does not work queue ", c.queue_id);
  }
  if (!agent.categories.empty() && !Contains(agent.categories, c.category)) {
    return c.category.empty() ? "a specialist, and the case has no category"
                              : absl::StrCat("not qualified for category '", c.category, "'");
  }
  if (!CoversTerritory(agent.territory_prefixes, c)) {
    return absl::StrCat("does not cover territory '",
                        c.commune_code.empty() ? c.department_code : c.commune_code, "'");
  }
  if (AbsentAt(agent.absences, now)) {
    return "absent";
  }
  if (mode == AssignmentMode::kAutomatic && agent.capacity == 0) {
    return "capacity 0 (no automatic assignment)";
  }
  if (agent.capacity > 0 && agent.open_cases >= agent.capacity) {
    return absl::StrCat("full: ", agent.open_cases, " of ", agent.capacity, " open");
  }
  return "";
}

absl::StatusOr<AgentChoice> ChooseLeastLoaded(const std::vector<AgentProfile>& agents,
                                              const CaseToAssign& case_to_assign, absl::Time now) {
  const AgentProfile* best = nullptr;
  int qualified = 0;
  std::vector<std::string> skipped;
  // a is less loaded than b: fewer open cases, then a lower share of capacity
  // (open_a/cap_a < open_b/cap_b, cross-multiplied), then the smaller id.
  const auto less_loaded = [](const AgentProfile& a, const AgentProfile& b) {
    if (a.open_cases != b.open_cases) {
      return a.open_cases < b.open_cases;
    }
    const int64_t share_a = static_cast<int64_t>(a.open_cases) * b.capacity;
    const int64_t share_b = static_cast<int64_t>(b.open_cases) * a.capacity;
    if (share_a != share_b) {
      return share_a < share_b;
    }
    return a.agent_id < b.agent_id;
  };
  for (const AgentProfile& agent : agents) {
    const std::string why_not =
        Disqualification(agent, case_to_assign, now, AssignmentMode::kAutomatic);
    if (!why_not.empty()) {
      skipped.push_back(absl::StrCat(agent.agent_id, ": ", why_not));
      continue;
    }
    ++qualified;
    if (best == nullptr || less_loaded(agent, *best)) {
      best = &agent;
    }
  }
  if (best == nullptr) {
    return absl::FailedPreconditionError(
        agents.empty() ? std::string("no agent to assign automatically: nobody works this queue")
                       : absl::StrCat("no agent qualified and present to assign automatically (",
                                      absl::StrJoin(skipped, "; "), ")"));
  }
  return AgentChoice{
      best->agent_id,
      absl::StrCat("least loaded qualified agent: ", best->open_cases, " of ", best->capacity,
                   " open (", qualified, " qualified of ", agents.size(), ")")};
}

}  // namespace doleances::workflow
