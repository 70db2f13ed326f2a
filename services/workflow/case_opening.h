#pragma once

#include "services/workflow/case_record.h"
#include "services/workflow/complaint_texts.h"
#include "services/workflow/routing.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <string>

namespace doleances::workflow {

// Opens a case: routing a received complaint, a transfer to the competent administration and
// an appeal linked to an earlier case all go through here.
struct CaseOpening {
  // The case to create: ids, administration, complaint dimensions, receive time, links
  // (parent_case_id, transfer_time) and event_version before its first event. Routing fills in
  // its queue, category, priority and state.
  CaseRecord record;
  // What the administration's rules match on (the text is read from `texts` when a keyword rule
  // needs it and the input has none).
  RouteInput input;
  // A queue a person named instead of the rules (TransferCase's target queue); empty routes.
  std::string queue_id;
  ComplaintTextSource* texts = nullptr;  // Optional: without it, keyword rules see no text.
  CaseHistoryEntry first_entry;          // Actor, time and notes of the first entry.
};

// Routes and creates the case with its first history entry, announces ComplaintRouted, starts
// its clocks and assigns it if its queue assigns automatically, all within `tx`. Returns the
// case as created, or nullopt when it existed already (a redelivered ComplaintReceived, a
// repeated transfer), in which case nothing was written. A case no rule and no default queue
// places stays RECEIVED, its legal clocks running.
absl::StatusOr<std::optional<CaseRecord>> OpenCase(pqxx::transaction_base& tx, CaseOpening opening,
                                                   absl::Time now);

}  // namespace doleances::workflow
