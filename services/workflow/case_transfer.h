#pragma once

#include "services/workflow/case_record.h"
#include "services/workflow/complaint_texts.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <string>

namespace doleances::workflow {

// A request to forward a case to the competent administration (CRPA L114-2).
struct Transfer {
  std::string target_administration_id;
  std::string target_queue_id;  // Empty: the target's routing rules decide.
  std::string motive;           // Why this administration is not competent (internal).
  std::string public_message;   // Empty: the standard notice.
  int actor_kind = 0;
  std::string actor_id;
  ComplaintTextSource* texts = nullptr;  // For the target's keyword rules; optional.
};

struct Transferred {
  CaseRecord old_case;  // Now TRANSFERRED.
  CaseRecord new_case;  // Opened in the target administration, routed there.
};

// The notice the citizen gets when the agent writes none.
inline constexpr char kStandardTransferNotice[] =
    "Votre demande ne relève pas de notre compétence : nous l'avons transmise à l'administration "
    "compétente, qui vous répondra (article L114-2 du code des relations entre le public et "
    "l'administration).";

// Within `tx`, on the locked case `current` whose transition to TRANSFERRED the caller has
// checked: ends it TRANSFERRED (CaseTransferred, its clocks cancelled) and opens the linked case
// in the target administration for the same complaint, routed by the target's rules or to the
// named queue, its clocks started as the target's policies say from the transfer (the statutory
// one from the first receipt). INVALID_ARGUMENT for a target that is this administration or a
// queue that is not the target's.
absl::StatusOr<Transferred> TransferLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                           const Transfer& transfer, absl::Time now);

}  // namespace doleances::workflow
