#include "common/events/event_log.h"

#include <pqxx/pqxx>

namespace doleances::events {
namespace {

constexpr char kAppendEvent[] = "events_append_event";

}  // namespace

int PartitionOf(absl::string_view aggregate_id) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : aggregate_id) {
    hash = (hash ^ c) * 16777619u;
  }
  return static_cast<int>(hash % kPartitions);
}

void EventLog::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kAppendEvent,
                     "INSERT INTO events.event_log (partition, aggregate_id, event_type, payload) "
                     "VALUES ($1, $2, $3, $4)");
}

absl::Status EventLog::Append(pqxx::transaction_base& tx, const NewEvent& event) {
  if (event.aggregate_id.empty() || event.event_type.empty()) {
    return absl::InvalidArgumentError("an event needs an aggregate id and a type");
  }
  tx.exec_prepared(kAppendEvent, PartitionOf(event.aggregate_id), event.aggregate_id,
                   event.event_type,
                   pqxx::binarystring(event.payload.data(), event.payload.size()));
  return absl::OkStatus();
}

}  // namespace doleances::events
