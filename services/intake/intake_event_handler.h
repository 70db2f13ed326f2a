#pragma once

#include "common/events/event_log.h"

#include <absl/status/status.h>
#include <pqxx/transaction>

namespace doleances::intake {

// Consumer group of intake: mirrors the status changes that workflow and mediation announce into
// the citizen-facing view (complaint status, version, public history). Runs in the consumer's
// transaction; events of other kinds, and intake's own, are ignored. An event about a complaint
// this database does not hold is logged and skipped (it cannot become known later).
inline constexpr char kIntakeConsumerGroup[] = "intake";

absl::Status ApplyIntakeEvent(pqxx::work& tx, const events::StoredEvent& stored);

}  // namespace doleances::intake
