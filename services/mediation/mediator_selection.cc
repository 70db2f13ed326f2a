#include "services/mediation/mediator_selection.h"

#include <absl/strings/match.h>

#include <algorithm>
#include <tuple>

namespace doleances::mediation {
namespace {

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Empty lists mean "any"; an unknown category or territory cannot exclude anybody.
bool CoversCategory(const MediatorRecord& mediator, const std::string& category) {
  return mediator.specialties.empty() || category.empty() ||
         Contains(mediator.specialties, category);
}

bool CoversTerritory(const MediatorRecord& mediator, const std::string& territory_code) {
  if (mediator.territory_prefixes.empty() || territory_code.empty()) {
    return true;
  }
  return std::any_of(
      mediator.territory_prefixes.begin(), mediator.territory_prefixes.end(),
      [&](const std::string& prefix) { return absl::StartsWith(territory_code, prefix); });
}

}  // namespace

bool HasConflictOfInterest(const MediatorRecord& mediator,
                           const std::string& disputed_department_id) {
  return !disputed_department_id.empty() &&
         Contains(mediator.conflict_department_ids, disputed_department_id);
}

bool IsAvailable(const std::vector<Window>& windows, absl::Time start, absl::Time end) {
  if (windows.empty()) {
    return true;
  }
  return std::any_of(windows.begin(), windows.end(), [&](const Window& window) {
    return (!window.start.has_value() || *window.start <= start) &&
           (!window.end.has_value() || end <= *window.end);
  });
}

std::optional<std::string> ManualDisqualification(const MediatorRecord& mediator,
                                                  const AssignmentNeeds& needs) {
  if (!mediator.active) {
    return "inactive";
  }
  if (!Contains(mediator.administration_ids, needs.administration_id)) {
    return "does not serve the administration";
  }
  if (HasConflictOfInterest(mediator, needs.disputed_department_id)) {
    return "conflict of interest with the disputed department";
  }
  if (mediator.capacity > 0 && mediator.open_mediation_count >= mediator.capacity) {
    return "full";
  }
  return std::nullopt;
}

std::optional<std::string> AutomaticDisqualification(const MediatorRecord& mediator,
                                                     const AssignmentNeeds& needs) {
  if (std::optional<std::string> manual = ManualDisqualification(mediator, needs)) {
    return manual;
  }
  if (mediator.capacity == 0) {
    return "capacity 0 (manual assignment only)";
  }
  if (!CoversCategory(mediator, needs.category)) {
    return "no matching specialty";
  }
  if (!CoversTerritory(mediator, needs.territory_code)) {
    return "territory not covered";
  }
  if (!IsAvailable(mediator.availability_windows, needs.now, needs.now)) {
    return "unavailable now";
  }
  return std::nullopt;
}

std::optional<MediatorRecord> ChooseMediator(const std::vector<MediatorRecord>& candidates,
                                             const AssignmentNeeds& needs) {
  const MediatorRecord* best = nullptr;
  for (const MediatorRecord& candidate : candidates) {
    if (AutomaticDisqualification(candidate, needs).has_value()) {
      continue;
    }
    if (best == nullptr) {
      best = &candidate;
      continue;
    }
    // Relative loads count/capacity compared as cross products, avoiding division.
    const int64_t load = int64_t{candidate.open_mediation_count} * best->capacity;
    const int64_t best_load = int64_t{best->open_mediation_count} * candidate.capacity;
    if (std::tie(candidate.open_mediation_count, load, candidate.mediator_id) <
        std::tie(best->open_mediation_count, best_load, best->mediator_id)) {
      best = &candidate;
    }
  }
  return best == nullptr ? std::nullopt : std::optional<MediatorRecord>(*best);
}

}  // namespace doleances::mediation
