// Event-to-aggregate lag under load: a producer appends complaint histories one event per
// transaction at a steady rate (as intake and workflow do), waking the consumer through the
// coalesced NOTIFY, while the analytics consumer runs its real loop. Each event's time from its
// recorded_at to the commit of the aggregates it moved is collected through the handler's commit
// hook (the same one that feeds doleances_analytics_event_to_aggregate_seconds) and printed, not
// asserted: the machine is shared. Asserted: every event is applied once and the KPIs count
// every complaint.
#include "common/db/transaction.h"
#include "common/events/commit_notifier.h"
#include "common/events/event_log.h"
#include "common/util/proto_time.h"
#include "services/analytics/analytics_testing.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/clock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

namespace doleances::analytics {
namespace {

using events::v1::Event;

class AnalyticsLagTest : public testing::AnalyticsTestEnvironment {
 protected:
  void Append(const Event& event) {
    ASSERT_TRUE(db::RunInTransaction(*pool_, "lag_publish", [&](pqxx::work& tx) {
                  return events::EventLog::Append(
                      tx, {event.complaint_id(), "Event", event.SerializeAsString()});
                }).ok());
  }
};

double Millis(std::vector<absl::Duration>& sorted, double q) {
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()));
  return absl::ToDoubleMilliseconds(sorted[index]);
}

TEST_F(AnalyticsLagTest, EveryEventReachesTheAggregatesAndTheLagIsPrinted) {
  constexpr int kComplaints = 600;
  constexpr double kEventsPerSecond = 250;  // ~10 s of steady load.
  absl::Mutex mutex;
  std::vector<absl::Duration> lags;
  events::ConsumerOptions options = handler_->ConsumerOptions();
  options.after_commit = [&] {
    const std::vector<absl::Duration> committed = handler_->Committed(absl::Now());
    absl::MutexLock lock(&mutex);
    lags.insert(lags.end(), committed.begin(), committed.end());
  };
  events::EventConsumer consumer(*pool_, options,
                                 [this](pqxx::work& tx, const events::StoredEvent& event) {
                                   return handler_->Apply(tx, event);
                                 });
  events::CommitNotifier notifier(*pool_);
  consumer.Start();

  const testing::EventFactory factory(kLyon);
  const absl::Time march = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), paris_);
  std::vector<Event> events;
  for (int i = 0; i < kComplaints; ++i) {
    const std::string id = absl::StrCat("50000000-0000-4000-8000-", 100000000000 + i);
    const absl::Time t = march + absl::Minutes(i * 60);
    events.push_back(factory.Received(id, t));
    events.push_back(factory.Routed(id, t + absl::Hours(1), "voirie", "dept-1"));
    events.push_back(factory.Responded(id, t + absl::Hours(5)));
    events.push_back(factory.Transitioned(id, t + absl::Hours(6), type::v1::CASE_STATE_RESPONDED,
                                          type::v1::CASE_STATE_CLOSED));
  }
  // Interleaved across complaints like live traffic, each complaint's events in order.
  std::vector<Event> schedule;
  for (int step = 0; step < 4; ++step) {
    for (int i = 0; i < kComplaints; ++i) {
      schedule.push_back(events[static_cast<size_t>(i * 4 + step)]);
    }
  }
  const absl::Time start = absl::Now();
  for (size_t n = 0; n < schedule.size(); ++n) {
    // Open loop: each event at its intended time, late ones sent at once.
    const absl::Time intended = start + absl::Seconds(static_cast<double>(n) / kEventsPerSecond);
    if (const absl::Duration wait = intended - absl::Now(); wait > absl::ZeroDuration()) {
      absl::SleepFor(wait);
    }
    Append(schedule[n]);
    notifier.EventsCommitted();
  }
  const absl::Duration publishing = absl::Now() - start;
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  size_t applied = 0;
  while (absl::Now() < deadline) {
    {
      absl::MutexLock lock(&mutex);
      applied = lags.size();
    }
    if (applied >= schedule.size()) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  consumer.Stop();
  absl::MutexLock lock(&mutex);
  ASSERT_EQ(lags.size(), schedule.size());
  std::sort(lags.begin(), lags.end());
  std::cout << absl::StrFormat(
                   "event-to-aggregate lag: %d events at %.0f/s offered (%.0f/s achieved), one "
                   "per producer transaction: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                   lags.size(), kEventsPerSecond,
                   static_cast<double>(schedule.size()) / absl::ToDoubleSeconds(publishing),
                   Millis(lags, 0.5), Millis(lags, 0.9), Millis(lags, 0.99),
                   absl::ToDoubleMilliseconds(lags.back()))
            << std::endl;

  v1::GetKpisRequest request;
  request.mutable_query()->add_administration_ids(kLyon);
  *request.mutable_query()->mutable_time_range()->mutable_start_time() =
      util::ToTimestamp(absl::FromCivil(absl::CivilSecond(2026, 3, 1, 0, 0, 0), paris_));
  *request.mutable_query()->mutable_time_range()->mutable_end_time() =
      util::ToTimestamp(absl::FromCivil(absl::CivilSecond(2026, 4, 1, 0, 0, 0), paris_));
  v1::GetKpisResponse response;
  ASSERT_TRUE(stub_->GetKpis(Context(analyst_key_).get(), request, &response).ok());
  ASSERT_EQ(response.rows_size(), 1);
  EXPECT_EQ(response.rows(0).volumes().received(), kComplaints);
  EXPECT_EQ(response.rows(0).volumes().closed(), kComplaints);
  EXPECT_EQ(response.rows(0).backlog().open_count(), 0);
}

}  // namespace
}  // namespace doleances::analytics
