#pragma once

#include "common/events/event_consumer.h"
#include "common/events/event_log.h"
#include "services/workflow/complaint_texts.h"

#include <absl/status/status.h>
#include <pqxx/transaction>

#include <functional>
#include <vector>

namespace doleances::workflow {

// Consumer group of workflow. Routes each ComplaintReceived (the administration's rules, else its
// default queue) into a new case and announces it with ComplaintRouted, in the consumer's
// transaction: a redelivered event finds the case already there and changes nothing. Without a
// rule or a default queue, the case waits in RECEIVED for a human to route it.
inline constexpr char kWorkflowConsumerGroup[] = "workflow";

// Applies one event; keyword rules see no complaint text (tests, replays).
absl::Status ApplyWorkflowEvent(pqxx::work& tx, const events::StoredEvent& stored);

// The consumer's handler: ApplyWorkflowEvent, reading a complaint's subject and description from
// `texts` (which must outlive it) when a keyword rule could match them.
events::EventHandler WorkflowEventHandler(ComplaintTextSource& texts);

// The consumer's before_apply: prefetches from `texts` the complaints of the batch's
// ComplaintReceived events, so that routing them reads intake once per batch, not per complaint.
std::function<void(const std::vector<events::StoredEvent>&)> PrefetchReceivedTexts(
    ComplaintTextSource& texts);

}  // namespace doleances::workflow
