#pragma once

#include <absl/status/status.h>
#include <absl/strings/string_view.h>
#include <absl/time/time.h>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <cstdint>
#include <string>
#include <vector>

namespace doleances::events {

// Fixed number of partitions; an aggregate's events always land in the same one.
inline constexpr int kPartitions = 16;

// Notification channel on which committed appends wake consumers up.
inline constexpr char kNotifyChannel[] = "doleances_events";

// An event as appended by a service: the serialized doleances.events.v1.Event envelope, the
// aggregate (complaint) it belongs to, and its type name for filtering and debugging.
struct NewEvent {
  std::string aggregate_id;
  std::string event_type;
  std::string payload;  // Binary protobuf.
};

// An event as read back from the log.
struct StoredEvent {
  int64_t id = 0;
  std::string tx_id;
  int partition = 0;
  std::string aggregate_id;
  std::string event_type;
  std::string payload;
  absl::Time recorded_at;
};

// The partition of an aggregate: a stable hash (FNV-1a), independent of PostgreSQL internals.
int PartitionOf(absl::string_view aggregate_id);

// Appends events inside the caller's transaction, so they commit or vanish with the state
// change that caused them (transactional outbox).
class EventLog {
 public:
  // Prepares this component's statements; pass it to the pool's prepare hooks.
  static void PrepareStatements(pqxx::connection& connection);

  // Appends one event to the log as part of `tx`. Throws what libpqxx throws, like any statement
  // of the caller's transaction; INVALID_ARGUMENT for an event without aggregate or type.
  static absl::Status Append(pqxx::transaction_base& tx, const NewEvent& event);

  // Appends `events` as part of `tx` with one statement, in their order (their ids increase in
  // it), for writers that change many aggregates in one transaction. Throws like Append;
  // INVALID_ARGUMENT, appending nothing, when one lacks aggregate or type.
  static absl::Status AppendAll(pqxx::transaction_base& tx, const std::vector<NewEvent>& events);
};

}  // namespace doleances::events
