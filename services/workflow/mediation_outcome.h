#pragma once

#include "doleances/type/v1/mediation.pb.h"
#include "services/workflow/case_record.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <string>

namespace doleances::workflow {

struct OutcomeApplied {
  CaseRecord case_record;
  bool already_applied = false;
};

// Within `tx`, applies a mediation's outcome to its case: the case leaves IN_MEDIATION for the
// state the outcome leads to (StateAfterMediation), announced like any transition, its clocks
// resuming or stopping. Idempotent, as both the MediationClosed event and ReportMediationOutcome
// carry it: a case no longer in mediation is left as it is (already_applied). NOT_FOUND for an
// unknown case; INVALID_ARGUMENT for an outcome that is not one.
absl::StatusOr<OutcomeApplied> ApplyMediationOutcome(pqxx::transaction_base& tx,
                                                     const std::string& case_id,
                                                     const std::string& mediation_id,
                                                     type::v1::MediationOutcome outcome,
                                                     absl::Time now);

}  // namespace doleances::workflow
