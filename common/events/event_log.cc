#include "common/events/event_log.h"

#include "common/db/pg_arrays.h"

#include <pqxx/pqxx>

namespace doleances::events {
namespace {

constexpr char kAppendEvent[] = "events_append_event";
constexpr char kAppendEvents[] = "events_append_events";

absl::Status CheckEvent(const NewEvent& event) {
  if (event.aggregate_id.empty() || event.event_type.empty()) {
    return absl::InvalidArgumentError("an event needs an aggregate id and a type");
  }
  return absl::OkStatus();
}

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
  // Identity values are drawn as rows arrive, so the ordinality order is the id order.
  connection.prepare(kAppendEvents,
                     "INSERT INTO events.event_log (partition, aggregate_id, event_type, payload) "
                     "SELECT p, a, t, b FROM unnest($1::smallint[], $2::text[], $3::text[],"
                     " $4::bytea[]) WITH ORDINALITY AS e(p, a, t, b, n) ORDER BY n");
}

absl::Status EventLog::Append(pqxx::transaction_base& tx, const NewEvent& event) {
  if (absl::Status valid = CheckEvent(event); !valid.ok()) {
    return valid;
  }
  tx.exec_prepared(kAppendEvent, PartitionOf(event.aggregate_id), event.aggregate_id,
                   event.event_type,
                   pqxx::binarystring(event.payload.data(), event.payload.size()));
  return absl::OkStatus();
}

absl::Status EventLog::AppendAll(pqxx::transaction_base& tx, const std::vector<NewEvent>& events) {
  if (events.empty()) {
    return absl::OkStatus();
  }
  std::vector<int> partitions;
  std::vector<std::string> aggregates, types, payloads;
  for (const NewEvent& event : events) {
    if (absl::Status valid = CheckEvent(event); !valid.ok()) {
      return valid;
    }
    partitions.push_back(PartitionOf(event.aggregate_id));
    aggregates.push_back(event.aggregate_id);
    types.push_back(event.event_type);
    payloads.push_back(event.payload);
  }
  tx.exec_prepared(kAppendEvents, db::IntArrayLiteral(partitions), db::TextArrayLiteral(aggregates),
                   db::TextArrayLiteral(types), db::ByteaArrayLiteral(payloads));
  return absl::OkStatus();
}

}  // namespace doleances::events
