#pragma once

#include "common/events/event_log.h"

#include <absl/status/status.h>
#include <pqxx/transaction>

namespace doleances::workflow {

// Consumer group of workflow. Routes each ComplaintReceived (the administration's rules, else its
// default queue) into a new case and announces it with ComplaintRouted, in the consumer's
// transaction: a redelivered event finds the case already there and changes nothing. Without a
// rule or a default queue, the case waits in RECEIVED for a human to route it.
inline constexpr char kWorkflowConsumerGroup[] = "workflow";

absl::Status ApplyWorkflowEvent(pqxx::work& tx, const events::StoredEvent& stored);

}  // namespace doleances::workflow
