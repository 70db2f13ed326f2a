#pragma once

#include "common/db/connection_pool.h"
#include "common/events/event_consumer.h"

#include <absl/status/status.h>

#include <memory>
#include <vector>

namespace doleances::events {

// Several members of one consumer group in one process, sharing a handler. A handler whose work
// is a chain of round trips (another service, then a dozen statements) keeps one member waiting
// far below the CPU's limit; members take a slice of the partitions each and overlap those
// waits, each aggregate's events still applied in order.
class ConsumerMembers {
 public:
  // `members` at least 1. `handler` must be thread-safe; `options.accumulator` must be null (an
  // accumulator serves one consumer).
  ConsumerMembers(db::ConnectionPool& pool, int members, const ConsumerOptions& options,
                  const EventHandler& handler);

  // Creates the group's positions (once for all members).
  absl::Status Register();
  void Start();
  void Stop();
  // A member, for what is measured per group (lag).
  EventConsumer& any() { return *members_.front(); }

 private:
  std::vector<std::unique_ptr<EventConsumer>> members_;
};

}  // namespace doleances::events
