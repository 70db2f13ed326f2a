#include "services/analytics/analytics_event_handler.h"

#include "common/log/log.h"
#include "doleances/events/v1/events.pb.h"
#include "services/analytics/complaint_fact.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/container/btree_map.h>

#include <optional>
#include <tuple>

namespace doleances::analytics {
namespace {

using TermKey = std::tuple<FactDimensions, int64_t, std::string>;

}  // namespace

struct AnalyticsEventHandler::Deltas {
  absl::btree_map<CellKey, Cells> cells;
  absl::btree_map<TermKey, int64_t> terms;

  void Add(const ComplaintFact& fact, const Contribution& contribution, int64_t sign) {
    FileContribution(fact.dimensions, contribution, sign, cells);
    for (const auto& [where, count] : contribution.terms) {
      terms[{fact.dimensions, where.first, where.second}] += sign * count;
    }
  }
};

AnalyticsEventHandler::AnalyticsEventHandler(AnalyticsMetrics* metrics, absl::TimeZone zone)
    : metrics_(metrics), zone_(zone) {}

AnalyticsEventHandler::~AnalyticsEventHandler() = default;

events::ConsumerOptions AnalyticsEventHandler::ConsumerOptions() {
  return {.group = kAnalyticsConsumerGroup,
          .after_commit = [this] { Committed(absl::Now()); },
          .accumulator = this};
}

void AnalyticsEventHandler::Begin() { pending_ = std::make_unique<Deltas>(); }

absl::Status AnalyticsEventHandler::Flush(pqxx::work& tx) {
  if (pending_ == nullptr) {
    return absl::OkStatus();
  }
  PgAnalyticsStore::AddCells(tx, pending_->cells);
  for (const auto& [key, delta] : pending_->terms) {
    PgAnalyticsStore::AddTerm(tx, std::get<0>(key), std::get<1>(key), std::get<2>(key), delta);
  }
  pending_.reset();
  return absl::OkStatus();
}

absl::Status AnalyticsEventHandler::Apply(pqxx::work& tx, const events::StoredEvent& stored) {
  events::v1::Event event;
  if (!event.ParseFromString(stored.payload)) {
    // A malformed event can never be applied; stalling on it would stop every later one.
    log::Error("unreadable event skipped", {{"event_id", static_cast<long long>(stored.id)}});
    return absl::OkStatus();
  }
  {
    absl::MutexLock lock(&mutex_);
    in_flight_[stored.id] = stored.recorded_at;
  }
  if (event.complaint_id().empty()) {
    return absl::OkStatus();
  }
  std::optional<ComplaintFact> locked = PgAnalyticsStore::LockFact(tx, event.complaint_id());
  ComplaintFact fact;
  if (locked.has_value()) {
    fact = *std::move(locked);
  } else {
    fact.complaint_id = event.complaint_id();
  }
  const ComplaintFact before = fact;
  ApplyEvent(event, fact);
  if (metrics_ != nullptr) {
    metrics_->EventApplied(stored.event_type);
  }
  if (fact == before) {
    return absl::OkStatus();  // Redelivered, or nothing analytics keeps.
  }
  if (pending_ == nullptr) {
    return absl::FailedPreconditionError(
        "AnalyticsEventHandler::Apply outside a consumer transaction (ConsumerOptions())");
  }
  pending_->Add(before, ContributionOf(before, zone_), -1);
  pending_->Add(fact, ContributionOf(fact, zone_), +1);
  PgAnalyticsStore::SaveFact(tx, fact);
  return absl::OkStatus();
}

std::vector<absl::Duration> AnalyticsEventHandler::Committed(absl::Time now) const {
  absl::flat_hash_map<int64_t, absl::Time> committed;
  {
    absl::MutexLock lock(&mutex_);
    committed.swap(in_flight_);
  }
  std::vector<absl::Duration> lags;
  lags.reserve(committed.size());
  for (const auto& [id, recorded_at] : committed) {
    lags.push_back(now - recorded_at);
    if (metrics_ != nullptr) {
      metrics_->EventToAggregate(lags.back());
    }
  }
  return lags;
}

void Watermark::Refresh(events::EventConsumer& consumer, absl::Time now) {
  const absl::StatusOr<events::ConsumerLag> lag = consumer.MeasureLag();
  if (!lag.ok()) {
    return;
  }
  const absl::Time watermark = lag->pending_events == 0 ? now : now - lag->oldest_pending_age;
  micros_.store(absl::ToUnixMicros(watermark));
}

}  // namespace doleances::analytics
