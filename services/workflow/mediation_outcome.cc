#include "services/workflow/mediation_outcome.h"

#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/pg_case_store.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_cat.h>

namespace doleances::workflow {

absl::StatusOr<OutcomeApplied> ApplyMediationOutcome(pqxx::transaction_base& tx,
                                                     const std::string& case_id,
                                                     const std::string& mediation_id,
                                                     type::v1::MediationOutcome outcome,
                                                     absl::Time now) {
  absl::StatusOr<type::v1::CaseState> target = StateAfterMediation(outcome);
  if (!target.ok()) {
    return target.status();
  }
  std::optional<CaseRecord> current = PgCaseStore::Lock(tx, case_id);
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat("case ", case_id, " not found"));
  }
  if (current->state != type::v1::CASE_STATE_IN_MEDIATION) {
    return OutcomeApplied{*current, /*already_applied=*/true};
  }
  if (absl::Status allowed = CheckTransition(
          type::v1::CASE_STATE_IN_MEDIATION, *target, Trigger::kMediationOutcome,
          /*has_motive=*/true, /*has_public_message=*/true, absl::StrCat("case/", case_id));
      !allowed.ok()) {
    return allowed;
  }
  CaseHistoryEntry entry;
  entry.to_state = *target;
  entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_MEDIATION_OUTCOME;
  entry.related_id = mediation_id;
  entry.actor_kind = type::v1::ACTOR_KIND_SYSTEM;
  entry.actor_id = mediation_id;
  entry.motive_code = absl::AsciiStrToLower(type::v1::MediationOutcome_Name(outcome));
  entry.internal_note = absl::StrCat("mediation ", mediation_id,
                                     " closed: ", type::v1::MediationOutcome_Name(outcome));
  entry.occur_time = now;
  absl::StatusOr<CaseRecord> updated = PgCaseStore::TransitionLocked(
      tx, *current, entry, [&](const CaseRecord& after, const CaseHistoryEntry& recorded) {
        return ToNewEvent(CaseTransitionedEvent(after, recorded, now));
      });
  if (!updated.ok()) {
    return updated.status();
  }
  return OutcomeApplied{*std::move(updated), /*already_applied=*/false};
}

}  // namespace doleances::workflow
