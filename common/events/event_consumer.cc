#include "common/events/event_consumer.h"

#include "common/db/pg_status.h"
#include "common/db/transaction.h"
#include "common/log/log.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace doleances::events {
namespace {

constexpr char kRegisterGroup[] = "events_register_group";
constexpr char kPendingPartitions[] = "events_pending_partitions";
constexpr char kClaimAndRead[] = "events_claim_and_read";
constexpr char kAdvancePosition[] = "events_advance_position";
constexpr char kMeasureLag[] = "events_measure_lag";

// Waits for NOTIFY in short slices so that Stop() is honoured promptly.
constexpr absl::Duration kWaitSlice = absl::Milliseconds(50);

// How soon to look again when committed events wait behind an older running transaction.
constexpr absl::Duration kHeldBackRetry = absl::Milliseconds(10);

// The settled horizon: every transaction with a smaller id has committed or aborted. Settled
// events come first in (tx_id, id) order: if a partition's next event is not settled, none is.
constexpr char kSettled[] = "tx_id < pg_snapshot_xmin(pg_current_snapshot())";

class WakeUpReceiver : public pqxx::notification_receiver {
 public:
  explicit WakeUpReceiver(pqxx::connection& connection)
      : pqxx::notification_receiver(connection, kNotifyChannel) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override {}
};

StoredEvent RowToEvent(const pqxx::row& row, int partition) {
  StoredEvent event;
  event.id = row[0].as<int64_t>();
  event.tx_id = row[1].as<std::string>();
  event.partition = partition;
  event.aggregate_id = row[2].as<std::string>();
  event.event_type = row[3].as<std::string>();
  event.payload = pqxx::binarystring(row[4]).str();
  event.recorded_at = absl::FromUnixMicros(row[5].as<int64_t>());
  return event;
}

}  // namespace

void EventConsumer::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kRegisterGroup,
                     "INSERT INTO events.consumer_positions (consumer_group, partition) "
                     "SELECT $1, generate_series(0, $2 - 1) ON CONFLICT DO NOTHING");
  // The partitions with an event past the group's position, and whether that next event is
  // settled. One probe of the (partition, tx_id, id) index per partition: LATERAL ... LIMIT 1
  // cannot be flattened into a join. An EXISTS could, and its generic plan, cached while the log
  // was small, hashed a sequential scan of the whole log on every poll (6 ms a call under load).
  connection.prepare(
      kPendingPartitions,
      absl::StrCat("SELECT p.partition, next.settled FROM events.consumer_positions p"
                   " CROSS JOIN LATERAL (SELECT e.",
                   kSettled,
                   " AS settled FROM events.event_log e WHERE e.partition = p.partition"
                   " AND (e.tx_id, e.id) > (p.last_tx_id, p.last_event_id)"
                   " ORDER BY e.tx_id, e.id LIMIT 1) AS next"
                   " WHERE p.consumer_group = $1 AND p.partition % $2 = $3"));
  // Claims a partition (no rows if another member holds it) and reads its next settled events,
  // in one round trip. The text copy of tx_id gets its own name: ORDER BY would otherwise sort by
  // the output column, as text ("1010" < "920"), and skip events.
  connection.prepare(
      kClaimAndRead,
      absl::StrCat(
          "WITH claimed AS (SELECT last_tx_id, last_event_id FROM events.consumer_positions"
          " WHERE consumer_group = $1 AND partition = $2 FOR UPDATE SKIP LOCKED) "
          "SELECT e.id, e.tx_id::text AS tx_id_text, e.aggregate_id, e.event_type,"
          " e.payload, (extract(epoch FROM e.recorded_at) * 1000000)::bigint "
          "FROM claimed CROSS JOIN LATERAL (SELECT * FROM events.event_log"
          " WHERE partition = $2 AND (tx_id, id) > (claimed.last_tx_id,"
          " claimed.last_event_id) AND ",
          kSettled, " ORDER BY tx_id, id LIMIT $3) AS e ORDER BY e.tx_id, e.id"));
  connection.prepare(kAdvancePosition,
                     "UPDATE events.consumer_positions SET last_tx_id = $3::xid8,"
                     " last_event_id = $4, updated_at = now() "
                     "WHERE consumer_group = $1 AND partition = $2");
  connection.prepare(kMeasureLag,
                     "SELECT count(*), coalesce((extract(epoch FROM now() - min(e.recorded_at))"
                     " * 1000000)::bigint, 0) "
                     "FROM events.consumer_positions p JOIN events.event_log e"
                     " ON e.partition = p.partition"
                     " AND (e.tx_id, e.id) > (p.last_tx_id, p.last_event_id) "
                     "WHERE p.consumer_group = $1");
}

EventConsumer::EventConsumer(db::ConnectionPool& pool, ConsumerOptions options,
                             EventHandler handler)
    : pool_(pool), options_(std::move(options)), handler_(std::move(handler)) {}

EventConsumer::~EventConsumer() { Stop(); }

absl::Status EventConsumer::Register() {
  return db::RunInTransaction(pool_, "events_register_group", [&](pqxx::work& tx) {
    tx.exec_prepared(kRegisterGroup, options_.group, kPartitions);
    return absl::OkStatus();
  });
}

absl::StatusOr<int> EventConsumer::PollOnce() {
  absl::StatusOr<PollResult> polled = Poll();
  if (!polled.ok()) {
    return polled.status();
  }
  return polled->applied;
}

absl::StatusOr<EventConsumer::PollResult> EventConsumer::Poll() {
  struct Pending {
    std::vector<int> settled;  // Partitions whose next event can be applied now.
    bool any = false;          // Whether any partition has an event past the position.
  };
  // A single read: outside a transaction block, one round trip.
  absl::StatusOr<Pending> pending = db::RunWithoutTransaction(
      pool_, "events_pending_partitions", [&](pqxx::nontransaction& tx) -> absl::StatusOr<Pending> {
        Pending found;
        for (const pqxx::row& row :
             tx.exec_prepared(kPendingPartitions, options_.group, std::max(1, options_.slices),
                              options_.slice)) {
          found.any = true;
          if (row[1].as<bool>()) {
            found.settled.push_back(row[0].as<int>());
          }
        }
        return found;
      });
  if (!pending.ok()) {
    return pending.status();
  }
  PollResult result{.applied = 0, .events_waiting = pending->any};
  const std::vector<int>& partitions = pending->settled;
  if (partitions.empty()) {
    return result;
  }
  // Every pending partition in one transaction: one commit (one WAL flush) for the lot instead of
  // one per partition, which bounded a consumer to the disk's flush rate.
  absl::StatusOr<int> together = ApplyBatches(partitions);
  if (together.ok() || partitions.size() == 1) {
    if (!together.ok()) {
      return together.status();
    }
    if (*together > 0 && options_.after_commit) {
      options_.after_commit();
    }
    result.applied = *together;
    return result;
  }
  // Some event failed: apply the partitions one transaction each, so that only the failing
  // partition stalls while the others go on.
  for (int partition : partitions) {
    absl::StatusOr<int> batch = ApplyBatches({partition});
    if (!batch.ok()) {
      return batch.status();
    }
    result.applied += *batch;
    if (*batch > 0 && options_.after_commit) {
      options_.after_commit();
    }
  }
  return result;
}

absl::StatusOr<int> EventConsumer::ApplyBatches(const std::vector<int>& partitions) {
  return db::RunInTransaction(
      pool_, "events_apply_batch", [&](pqxx::work& tx) -> absl::StatusOr<int> {
        if (options_.accumulator != nullptr) {
          options_.accumulator->Begin();
        }
        // Claim and read every partition first, so that before_apply sees the transaction's
        // events together.
        std::vector<StoredEvent> events;
        std::vector<int> claimed;
        for (int partition : partitions) {
          // About batch_size events per transaction: a handler that updates the same rows for
          // many events leaves a row version per update until the commit, and each update walks
          // them.
          if (static_cast<int>(events.size()) >= options_.batch_size) {
            break;  // The rest goes in the next round, at once.
          }
          const pqxx::result batch =
              tx.exec_prepared(kClaimAndRead, options_.group, partition, options_.batch_size);
          // No rows: another member holds this partition, or its events are not settled yet.
          for (const pqxx::row& row : batch) {
            events.push_back(RowToEvent(row, partition));
          }
          if (!batch.empty()) {
            claimed.push_back(partition);
          }
        }
        if (events.empty()) {
          return 0;
        }
        if (options_.before_apply) {
          options_.before_apply(events);
        }
        for (const StoredEvent& event : events) {
          if (absl::Status applied = handler_(tx, event); !applied.ok()) {
            log::Error("event handler failed; consumer stalls on this event",
                       {{"group", options_.group},
                        {"event_id", static_cast<long long>(event.id)},
                        {"event_type", event.event_type},
                        {"error", applied.ToString()}});
            return applied;
          }
        }
        // Each partition's events are contiguous and in log order: its last one is the new
        // position.
        for (int partition : claimed) {
          const auto last = std::find_if(events.rbegin(), events.rend(), [&](const StoredEvent& e) {
            return e.partition == partition;
          });
          tx.exec_prepared(kAdvancePosition, options_.group, partition, last->tx_id, last->id);
        }
        if (options_.accumulator != nullptr) {
          if (absl::Status flushed = options_.accumulator->Flush(tx); !flushed.ok()) {
            return flushed;
          }
        }
        if (!options_.durable_commit) {
          // What a consumer writes is derived from the log and committed with its position: a
          // commit lost in a crash is applied again from the log. Any later durable commit
          // flushes the WAL past this one, so nothing durable can depend on a lost commit. Read
          // at commit, so set last: a transaction that applied nothing skips the round trip.
          tx.exec("SET LOCAL synchronous_commit = off");
        }
        return static_cast<int>(events.size());
      });
}

absl::StatusOr<ConsumerLag> EventConsumer::MeasureLag() {
  return db::RunInTransaction(
      pool_, "events_measure_lag", [&](pqxx::work& tx) -> absl::StatusOr<ConsumerLag> {
        const pqxx::row row = tx.exec_prepared1(kMeasureLag, options_.group);
        return ConsumerLag{row[0].as<int64_t>(), absl::Microseconds(row[1].as<int64_t>())};
      });
}

void EventConsumer::Start() {
  if (!loop_.joinable()) {
    stopping_ = false;
    loop_ = std::thread([this] { RunLoop(); });
  }
}

void EventConsumer::Stop() {
  stopping_ = true;
  if (loop_.joinable()) {
    loop_.join();
  }
}

void EventConsumer::RunLoop() {
  std::unique_ptr<pqxx::connection> listener;
  std::unique_ptr<WakeUpReceiver> receiver;
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_) {
    if (listener == nullptr) {
      absl::StatusOr<std::unique_ptr<pqxx::connection>> opened = pool_.OpenDedicated();
      if (opened.ok()) {
        listener = *std::move(opened);
        receiver = std::make_unique<WakeUpReceiver>(*listener);
      }
    }
    absl::StatusOr<PollResult> polled = Poll();
    if (!polled.ok()) {
      absl::SleepFor(backoff);  // A stalled handler or a database outage: retry, never skip.
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    if (polled->applied > 0) {
      continue;  // Drain before waiting.
    }
    // Committed events held back by an older transaction still running somewhere in the cluster
    // (or by another member's claim) bring no new NOTIFY when it ends: look again soon rather
    // than after a full poll interval.
    const absl::Duration wait = polled->events_waiting ? kHeldBackRetry : options_.poll_interval;
    absl::Duration waited = absl::ZeroDuration();
    while (!stopping_ && waited < wait) {
      if (listener == nullptr) {
        absl::SleepFor(kWaitSlice);
      } else {
        try {
          if (listener->await_notification(0, absl::ToInt64Microseconds(kWaitSlice)) > 0) {
            break;
          }
        } catch (const std::exception& e) {
          log::Warning("event listener lost its connection", {{"error", e.what()}});
          receiver.reset();
          listener.reset();
        }
      }
      waited += kWaitSlice;
    }
  }
  receiver.reset();
}

}  // namespace doleances::events
