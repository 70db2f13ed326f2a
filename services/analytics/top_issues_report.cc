#include "services/analytics/top_issues_report.h"

#include <absl/container/btree_map.h>

#include <algorithm>
#include <string>

namespace doleances::analytics {
namespace {

struct TerritoryGroup {
  int64_t complaints = 0;
  absl::btree_map<std::string, int64_t> categories;
  absl::btree_map<std::string, int64_t> terms;
};

// Largest first, ties by name, at most `limit`, none under `min_count`.
std::vector<std::pair<std::string, int64_t>> Top(
    const absl::btree_map<std::string, int64_t>& counts, int limit, int min_count) {
  std::vector<std::pair<std::string, int64_t>> top;
  for (const auto& [name, count] : counts) {
    if (count >= min_count && count > 0) {
      top.emplace_back(name, count);
    }
  }
  std::stable_sort(top.begin(), top.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (top.size() > static_cast<size_t>(limit)) {
    top.resize(limit);
  }
  return top;
}

}  // namespace

std::vector<v1::TopIssueGroup> BuildTopIssues(const TopIssuesSpec& spec,
                                              const std::vector<CellRow>& cohort_rows,
                                              const std::vector<TermRow>& term_rows,
                                              int min_group_size) {
  const auto territory_of = [&](int64_t day, const FactDimensions& dimensions) {
    return spec.territory_level == v1::DIMENSION_UNSPECIFIED
               ? std::string()
               : DimensionValueOf(spec.territory_level, day, dimensions);
  };
  absl::btree_map<std::string, TerritoryGroup> groups;
  for (const CellRow& row : cohort_rows) {
    const int64_t received = CellValue(row.cells, kReceived);
    TerritoryGroup& group = groups[territory_of(row.day, row.dimensions)];
    group.complaints += received;
    group.categories[row.dimensions.category] += received;
  }
  for (const TermRow& row : term_rows) {
    groups[territory_of(row.day, row.dimensions)].terms[row.term] += row.complaints;
  }
  std::vector<v1::TopIssueGroup> out;
  for (const auto& [territory, group] : groups) {
    if (group.complaints < min_group_size || group.complaints == 0) {
      continue;
    }
    v1::TopIssueGroup& issue = out.emplace_back();
    if (spec.territory_level != v1::DIMENSION_UNSPECIFIED) {
      issue.mutable_territory()->set_dimension(spec.territory_level);
      issue.mutable_territory()->set_value(territory);
    }
    issue.set_complaint_count(group.complaints);
    for (const auto& [category, count] :
         Top(group.categories, spec.max_categories, min_group_size)) {
      v1::CategoryCount* out_category = issue.add_categories();
      out_category->set_category(category);
      out_category->set_count(count);
      out_category->set_share(static_cast<double>(count) / static_cast<double>(group.complaints));
    }
    for (const auto& [term, count] : Top(group.terms, spec.max_terms, min_group_size)) {
      v1::TermCount* out_term = issue.add_terms();
      out_term->set_term(term);
      out_term->set_count(count);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.complaint_count() > b.complaint_count();
  });
  return out;
}

}  // namespace doleances::analytics
