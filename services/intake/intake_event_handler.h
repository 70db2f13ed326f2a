#pragma once

#include "common/events/event_consumer.h"
#include "common/events/event_log.h"
#include "services/intake/workflow_public_texts.h"

#include <absl/status/status.h>
#include <pqxx/transaction>

namespace doleances::intake {

// Consumer group of intake: mirrors the status changes that workflow and mediation announce into
// the citizen-facing view (complaint status, version, public history). Runs in the consumer's
// transaction; events of other kinds, and intake's own, are ignored. An event about a complaint
// this database does not hold is logged and skipped (it cannot become known later).
inline constexpr char kIntakeConsumerGroup[] = "intake";

// Applies one event without reading public texts (questions and responses show no text).
absl::Status ApplyIntakeEvent(pqxx::work& tx, const events::StoredEvent& stored);

// The consumer's handler: ApplyIntakeEvent, reading the public text of questions and responses
// from `texts` (which must outlive it).
events::EventHandler IntakeEventHandler(PublicTextSource& texts);

}  // namespace doleances::intake
