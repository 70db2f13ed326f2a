// Who may take a mediation: the assignment rules, pure (no database, no clock of its own).
#pragma once

#include "services/mediation/mediation_record.h"

#include <absl/time/time.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::mediation {

// What a mediation asks of its mediator.
struct AssignmentNeeds {
  std::string administration_id;
  std::string category;        // Empty: any specialty fits.
  std::string territory_code;  // Commune code, else department code; empty: any territory.
  std::string disputed_department_id;
  absl::Time now;
};

// Whether the mediator is attached to the department whose decision is disputed.
bool HasConflictOfInterest(const MediatorRecord& mediator,
                           const std::string& disputed_department_id);

// Whether [start, end) lies inside one availability window (no windows: always available).
bool IsAvailable(const std::vector<Window>& windows, absl::Time start, absl::Time end);

// Why the administration cannot give this mediation to `mediator` by hand ("inactive",
// "full", "conflict of interest", "does not serve the administration"); nullopt if it can.
std::optional<std::string> ManualDisqualification(const MediatorRecord& mediator,
                                                  const AssignmentNeeds& needs);

// Why automatic assignment passes `mediator` over: the manual reasons, plus capacity 0, no
// matching specialty or territory, or unavailable now; nullopt if it qualifies.
std::optional<std::string> AutomaticDisqualification(const MediatorRecord& mediator,
                                                     const AssignmentNeeds& needs);

// The qualifying mediator with the fewest open mediations (then the lowest load relative to
// capacity, then the smallest id, so the choice is deterministic); nullopt if none qualifies.
std::optional<MediatorRecord> ChooseMediator(const std::vector<MediatorRecord>& candidates,
                                             const AssignmentNeeds& needs);

}  // namespace doleances::mediation
