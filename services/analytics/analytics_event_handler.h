#pragma once

#include "common/events/event_consumer.h"
#include "common/events/event_log.h"
#include "services/analytics/analytics_metrics.h"

#include <absl/status/status.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace doleances::analytics {

// Consumer group of analytics: every event of the log.
inline constexpr char kAnalyticsConsumerGroup[] = "analytics";

// Applies events to the complaint facts and the aggregates, in the consumer's transaction. Each
// event updates its complaint's fact (order-independent, idempotent), and the aggregates move by
// the fact's contribution after minus before: a redelivered event moves nothing, and a
// reordered one ends where the ordered ones would. The aggregates' moves are summed over the
// consumer's transaction and written once before its commit (the handler is the consumer's
// BatchAccumulator): under load the events of a batch mostly move the same rows (today's, the
// same administration's), which are then written once rather than once per event.
class AnalyticsEventHandler final : public events::BatchAccumulator {
 public:
  // `metrics` may be null (tests). `zone` decides the day of each instant.
  AnalyticsEventHandler(AnalyticsMetrics* metrics, absl::TimeZone zone);
  ~AnalyticsEventHandler() override;

  // The options of the consumer that applies events with this handler (one consumer only).
  events::ConsumerOptions ConsumerOptions();

  absl::Status Apply(pqxx::work& tx, const events::StoredEvent& stored);

  // events::BatchAccumulator
  void Begin() override;
  absl::Status Flush(pqxx::work& tx) override;

  // Call after the consumer's batch committed (ConsumerOptions::after_commit): the events applied
  // since the last call are now in the aggregates. Observes and returns each one's lag from its
  // recorded_at. Events of a batch that rolled back are counted when their retry commits.
  std::vector<absl::Duration> Committed(absl::Time now) const;

 private:
  AnalyticsMetrics* metrics_;
  absl::TimeZone zone_;
  // Events applied in the batch in flight: id -> recorded_at (a retried event keeps one entry).
  mutable absl::Mutex mutex_;
  mutable absl::flat_hash_map<int64_t, absl::Time> in_flight_ ABSL_GUARDED_BY(mutex_);
  // The aggregates' moves of the transaction in flight, written by Flush. Used by the consumer's
  // thread only.
  struct Deltas;
  std::unique_ptr<Deltas> pending_;
};

// The watermark of answers: every event committed before it is applied. Measured periodically,
// since a lag query per RPC would cost more than the answer; a value measured earlier stays true.
class Watermark {
 public:
  // Now when nothing is pending, else the commit time of the oldest pending event; unchanged
  // when the lag cannot be measured (the lag metric reports the failure).
  void Refresh(events::EventConsumer& consumer, absl::Time now);
  absl::Time Get() const { return absl::FromUnixMicros(micros_.load()); }

 private:
  std::atomic<int64_t> micros_{0};
};

}  // namespace doleances::analytics
