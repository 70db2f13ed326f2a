#pragma once

#include "common/db/connection_pool.h"
#include "common/events/event_log.h"

#include <absl/base/thread_annotations.h>
#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace doleances::events {

// Applies one event inside the consumer's transaction. Its effects commit together with the
// group's new position, so an event is applied exactly once as far as the database is concerned;
// effects outside the database (pushing to a stream) may repeat after a crash and must tolerate
// it. A non-OK status rolls the batch back: the consumer stalls on that event, reports the error
// and lag, and retries it; it never skips it.
using EventHandler = std::function<absl::Status(pqxx::work& tx, const StoredEvent& event)>;

// Effects a handler gathers over the events of one consumer transaction and writes once, before
// the commit: events that move the same rows (aggregates) then write each row once per batch
// rather than once per event.
class BatchAccumulator {
 public:
  virtual ~BatchAccumulator() = default;
  // A consumer transaction starts, or starts again after a rollback: forget what was gathered.
  virtual void Begin() = 0;
  // The transaction's events were applied: write what was gathered. A failure rolls the batch
  // back like a failed event.
  virtual absl::Status Flush(pqxx::work& tx) = 0;
};

struct ConsumerOptions {
  std::string group;     // Consumer group: members share the work and never apply an event twice.
  int batch_size = 200;  // Events per partition and, roughly, per transaction.
  absl::Duration poll_interval = absl::Seconds(1);  // Fallback when no NOTIFY arrives.
  // Called after each batch that applied events has committed (e.g. to wake watchers of the
  // state those events changed); optional.
  std::function<void()> after_commit;
  // Whether a batch waits for its WAL flush. Off by default: a consumer's writes are derived from
  // the log and replayed if a crash loses them (docs/decisions/0006).
  bool durable_commit = false;
  // Optional, not owned; serves one consumer.
  BatchAccumulator* accumulator = nullptr;
  // Optional: called in the consumer's transaction with the events it is about to apply, before
  // the first of them (e.g. to fetch in one call what the handler will need for each). Called
  // again if the transaction is retried; what it does must not change what the handler does.
  std::function<void(const std::vector<StoredEvent>&)> before_apply;
  // This member polls only the partitions p with p % slices == slice (ConsumerMembers sets
  // them): members of one process then never chase the same events, which made every NOTIFY
  // cost each member a poll and a failed claim. Members of other processes with the same slice
  // still share its partitions safely through the claim.
  int slice = 0;
  int slices = 1;
};

// How far a consumer group is behind the committed log.
struct ConsumerLag {
  int64_t pending_events = 0;
  absl::Duration oldest_pending_age = absl::ZeroDuration();
};

// Consumes the event log for one consumer group: partitions are claimed one batch each, all in
// one transaction, with FOR UPDATE SKIP LOCKED, so group members run in parallel on different
// partitions and each aggregate's events are applied in log order. Reads only events whose
// transactions are settled (below pg_snapshot_xmin), in (tx_id, id) order, so a late-committing
// transaction is never skipped.
class EventConsumer {
 public:
  EventConsumer(db::ConnectionPool& pool, ConsumerOptions options, EventHandler handler);
  ~EventConsumer();  // Stops the background loop if it runs.

  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  // Creates the group's position rows (from the start of the log) if they do not exist yet.
  absl::Status Register();

  // Applies at most one batch on every partition that has settled events and is not claimed by
  // another member, in one transaction; if an event fails, again one partition per transaction so
  // that the others advance. Returns the number of events applied, or the first error.
  absl::StatusOr<int> PollOnce();

  // Starts a background loop: LISTEN for wake-ups, drain with PollOnce, poll at poll_interval.
  void Start();
  // Stops the loop after the batch in flight (which commits or rolls back as a whole).
  void Stop();

  // Events committed but not yet applied by this group.
  absl::StatusOr<ConsumerLag> MeasureLag();

  static void PrepareStatements(pqxx::connection& connection);

 private:
  struct PollResult {
    int applied = 0;
    // Whether some partition had an event past the group's position, applied or not (held back
    // by an unsettled transaction, or claimed by another member).
    bool events_waiting = false;
  };
  // PollOnce, also telling whether events wait that it could not apply.
  absl::StatusOr<PollResult> Poll();
  // One transaction applying a batch on each of `partitions` that no other member holds.
  absl::StatusOr<int> ApplyBatches(const std::vector<int>& partitions);
  void RunLoop();

  db::ConnectionPool& pool_;
  const ConsumerOptions options_;
  const EventHandler handler_;
  std::atomic<bool> stopping_{false};
  std::thread loop_;
};

}  // namespace doleances::events
