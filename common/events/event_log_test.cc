#include "common/events/event_log.h"

#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/events/commit_notifier.h"
#include "common/events/consumer_lag_metrics.h"
#include "common/events/doleances_events_migrations.h"
#include "common/events/event_consumer.h"
#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"

#include <absl/strings/str_cat.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/clock.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace doleances::events {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;

// Effects of the test handlers: one row per applied event; a second apply would violate the key.
constexpr char kEffectsTable[] =
    "CREATE TABLE effects (event_id bigint, consumer_group text, PRIMARY KEY (consumer_group, "
    "event_id),"
    " aggregate_id text NOT NULL, seq int NOT NULL)";

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(pool_, nullptr);
    ASSERT_THAT(db::ApplyMigrations(*pool_, EventsMigrations()), IsOk());
    ASSERT_THAT(pool_->Execute(kEffectsTable), IsOk());
  }

  static db::PoolOptions Options() {
    return {.size = 8,
            .prepare_hooks = {&EventLog::PrepareStatements, &EventConsumer::PrepareStatements}};
  }

  // Appends the event `seq` of `aggregate` in a transaction of its own.
  void Publish(const std::string& aggregate, int seq) {
    ASSERT_THAT(db::RunInTransaction(
                    *pool_, "publish",
                    [&](pqxx::work& tx) {
                      return EventLog::Append(tx, {aggregate, "TestEvent", absl::StrCat(seq)});
                    }),
                IsOk());
  }

  // A handler that records each event and fails if an aggregate's events arrive out of order.
  EventHandler Recorder(const std::string& group) {
    return [group](pqxx::work& tx, const StoredEvent& event) -> absl::Status {
      const int seq = std::stoi(event.payload);
      const int previous =
          tx.exec_params1(
                "SELECT coalesce(max(seq), 0) FROM effects WHERE consumer_group = $1"
                " AND aggregate_id = $2",
                group, event.aggregate_id)[0]
              .as<int>();
      if (previous != seq - 1) {
        return absl::InternalError(
            absl::StrCat(event.aggregate_id, ": got ", seq, " after ", previous));
      }
      tx.exec_params("INSERT INTO effects VALUES ($1, $2, $3, $4)", event.id, group,
                     event.aggregate_id, seq);
      return absl::OkStatus();
    };
  }

  int64_t Effects(const std::string& group) {
    absl::StatusOr<int64_t> count = db::RunInTransaction(*pool_, "count", [&](pqxx::work& tx) {
      return absl::StatusOr<int64_t>(
          tx.exec_params1("SELECT count(*) FROM effects WHERE consumer_group = $1", group)[0]
              .as<int64_t>());
    });
    EXPECT_THAT(count, IsOk());
    return count.value_or(-1);
  }

  // Polls until `group` has applied `expected` events. Other processes' transactions on the same
  // server may hold the settled horizon back for a while: events are then late, never lost.
  absl::Status DrainUntil(EventConsumer& consumer, const std::string& group, int64_t expected) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (Effects(group) < expected && absl::Now() < deadline) {
      absl::StatusOr<int> applied = consumer.PollOnce();
      if (!applied.ok()) {
        return applied.status();
      }
      if (*applied == 0) {
        absl::SleepFor(absl::Milliseconds(10));
      }
    }
    return absl::OkStatus();
  }

  // Polls until PollOnce fails (the first batch that reaches the failing event).
  absl::Status PollUntilError(EventConsumer& consumer) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      absl::StatusOr<int> applied = consumer.PollOnce();
      if (!applied.ok()) {
        return applied.status();
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return absl::OkStatus();
  }

  testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_ = database_.MakePool(Options());
};

TEST_F(EventLogTest, CommittedEventIsDeliveredWithItsBinaryPayload) {
  const std::string payload("\x00\x01binary\xff", 9);
  ASSERT_THAT(db::RunInTransaction(*pool_, "publish",
                                   [&](pqxx::work& tx) {
                                     return EventLog::Append(tx, {"c-1", "Bin", payload});
                                   }),
              IsOk());
  std::vector<StoredEvent> seen;
  EventConsumer consumer(*pool_, {.group = "g"}, [&](pqxx::work&, const StoredEvent& event) {
    seen.push_back(event);
    return absl::OkStatus();
  });
  ASSERT_THAT(consumer.Register(), IsOk());

  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (seen.empty() && absl::Now() < deadline) {
    ASSERT_THAT(consumer.PollOnce(), IsOk());
  }

  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].payload, payload);
  EXPECT_EQ(seen[0].aggregate_id, "c-1");
  EXPECT_EQ(seen[0].event_type, "Bin");
  EXPECT_EQ(seen[0].partition, PartitionOf("c-1"));
}

TEST_F(EventLogTest, AppendAllWritesEveryEventInItsOrderWithOneStatement) {
  const std::string binary("\x00\\\"{,}\xff", 7);
  ASSERT_THAT(db::RunInTransaction(*pool_, "publish",
                                   [&](pqxx::work& tx) {
                                     return EventLog::AppendAll(tx, {{"c-2", "TestEvent", "1"},
                                                                     {"c-1", "Bin", binary},
                                                                     {"c-2", "TestEvent", "2"}});
                                   }),
              IsOk());
  std::vector<StoredEvent> seen;
  EventConsumer consumer(*pool_, {.group = "g"}, [&](pqxx::work&, const StoredEvent& event) {
    seen.push_back(event);
    return absl::OkStatus();
  });
  ASSERT_THAT(consumer.Register(), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (seen.size() < 3 && absl::Now() < deadline) {
    ASSERT_THAT(consumer.PollOnce(), IsOk());
  }

  ASSERT_EQ(seen.size(), 3u);
  std::sort(seen.begin(), seen.end(),
            [](const StoredEvent& a, const StoredEvent& b) { return a.id < b.id; });
  EXPECT_EQ(seen[0].aggregate_id, "c-2");
  EXPECT_EQ(seen[0].payload, "1");
  EXPECT_EQ(seen[1].payload, binary);
  EXPECT_EQ(seen[1].partition, PartitionOf("c-1"));
  EXPECT_EQ(seen[2].payload, "2");
  EXPECT_EQ(seen[2].partition, PartitionOf("c-2"));
  EXPECT_EQ(seen[0].tx_id, seen[2].tx_id);
}

TEST_F(EventLogTest, AppendAllRefusesTheWholeSetForOneEventWithoutType) {
  absl::Status refused = db::RunInTransaction(*pool_, "publish", [&](pqxx::work& tx) {
    return EventLog::AppendAll(tx, {{"c-1", "TestEvent", "1"}, {"c-2", "", "2"}});
  });
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<int64_t> count = db::RunInTransaction(*pool_, "count", [](pqxx::work& tx) {
    return absl::StatusOr<int64_t>(
        tx.exec1("SELECT count(*) FROM events.event_log")[0].as<int64_t>());
  });
  EXPECT_THAT(count, IsOk());
  EXPECT_EQ(count.value_or(-1), 0);
}

TEST_F(EventLogTest, RolledBackAppendIsNeverDelivered) {
  absl::Status rolled_back = db::RunInTransaction(*pool_, "publish", [&](pqxx::work& tx) {
    EXPECT_THAT(EventLog::Append(tx, {"c-1", "TestEvent", "1"}), IsOk());
    return absl::AbortedError("state change refused");
  });
  ASSERT_THAT(rolled_back, StatusIs(absl::StatusCode::kAborted));
  Publish("complaint-2", 1);  // Committed after the rollback: once it arrives, all before has.
  EventConsumer consumer(*pool_, {.group = "g"}, Recorder("g"));
  ASSERT_THAT(consumer.Register(), IsOk());

  ASSERT_THAT(DrainUntil(consumer, "g", 1), IsOk());
  EXPECT_EQ(Effects("g"), 1);
  EXPECT_EQ(consumer.MeasureLag()->pending_events, 0);
}

TEST_F(EventLogTest, TransactionThatStartedFirstButCommitsLastIsNotSkipped) {
  // The early transaction takes a lower id and xid, then stays open while a later one commits.
  absl::StatusOr<db::ConnectionLease> early_connection = pool_->Acquire();
  ASSERT_THAT(early_connection, IsOk());
  auto early = std::make_unique<pqxx::work>(early_connection->connection(), "early");
  ASSERT_THAT(EventLog::Append(*early, {"complaint-a", "TestEvent", "1"}), IsOk());
  Publish("complaint-b", 1);

  EventConsumer consumer(*pool_, {.group = "g"}, Recorder("g"));
  ASSERT_THAT(consumer.Register(), IsOk());
  ASSERT_THAT(consumer.PollOnce(), IsOk());
  EXPECT_EQ(Effects("g"), 0) << "nothing may be delivered past a still-running appender";

  early->commit();
  early.reset();
  ASSERT_THAT(DrainUntil(consumer, "g", 2), IsOk());
  EXPECT_EQ(Effects("g"), 2);
}

TEST_F(EventLogTest, OrdersByTransactionIdNumericallyNotAsText) {
  // Transaction ids 9 and 10 sort the other way round as text; both are long settled.
  ASSERT_THAT(pool_->Execute(absl::StrCat(
                  "INSERT INTO events.event_log (tx_id, partition, aggregate_id, event_type,"
                  " payload) VALUES ('9', ",
                  PartitionOf("c-1"), ", 'c-1', 'TestEvent', '1'), ('10', ", PartitionOf("c-1"),
                  ", 'c-1', 'TestEvent', '2')")),
              IsOk());
  EventConsumer consumer(*pool_, {.group = "g"}, Recorder("g"));
  ASSERT_THAT(consumer.Register(), IsOk());

  ASSERT_THAT(DrainUntil(consumer, "g", 2), IsOk());
  EXPECT_EQ(Effects("g"), 2);
}

TEST_F(EventLogTest, TwoMembersOfAGroupShareTheWorkApplyEachEventOnceAndKeepAggregateOrder) {
  constexpr int kAggregates = 20;
  constexpr int kEventsPerAggregate = 50;
  constexpr int kTotal = kAggregates * kEventsPerAggregate;
  EventConsumer first(*pool_, {.group = "g", .batch_size = 7}, Recorder("g"));
  EventConsumer second(*pool_, {.group = "g", .batch_size = 7}, Recorder("g"));
  ASSERT_THAT(first.Register(), IsOk());
  ASSERT_THAT(second.Register(), IsOk());

  std::atomic<bool> publishing{true};
  std::vector<std::thread> publishers;
  for (int parity = 0; parity < 2; ++parity) {
    publishers.emplace_back([&, parity] {
      for (int seq = 1; seq <= kEventsPerAggregate; ++seq) {
        for (int aggregate = parity; aggregate < kAggregates; aggregate += 2) {
          Publish(absl::StrCat("complaint-", aggregate), seq);
        }
      }
    });
  }
  std::atomic<int> applied{0};
  std::atomic<int> errors{0};
  auto consume = [&](EventConsumer& consumer) {
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (applied.load() < kTotal && absl::Now() < deadline) {
      absl::StatusOr<int> batch = consumer.PollOnce();
      if (!batch.ok()) {
        ADD_FAILURE() << batch.status();
        errors.fetch_add(1);
        return;
      }
      applied.fetch_add(*batch);
    }
  };
  std::thread a([&] { consume(first); });
  std::thread b([&] { consume(second); });
  for (std::thread& publisher : publishers) {
    publisher.join();
  }
  publishing = false;
  a.join();
  b.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(applied.load(), kTotal);
  EXPECT_EQ(Effects("g"), kTotal);
}

TEST_F(EventLogTest, SlicedMembersApplyOnlyTheirOwnPartitionsAndTogetherEveryEvent) {
  // Two aggregates in partitions of different parity, and the members' slices by parity.
  std::string even_aggregate, odd_aggregate;
  for (int i = 0; even_aggregate.empty() || odd_aggregate.empty(); ++i) {
    const std::string aggregate = absl::StrCat("complaint-", i);
    (PartitionOf(aggregate) % 2 == 0 ? even_aggregate : odd_aggregate) = aggregate;
  }
  for (int seq = 1; seq <= 3; ++seq) {
    Publish(even_aggregate, seq);
    Publish(odd_aggregate, seq);
  }
  std::vector<int> even_seen, odd_seen;
  auto recording = [](std::vector<int>& seen) {
    return [&seen](pqxx::work&, const StoredEvent& event) {
      seen.push_back(event.partition);
      return absl::OkStatus();
    };
  };
  EventConsumer even(*pool_, {.group = "g", .slice = 0, .slices = 2}, recording(even_seen));
  EventConsumer odd(*pool_, {.group = "g", .slice = 1, .slices = 2}, recording(odd_seen));
  ASSERT_THAT(even.Register(), IsOk());

  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (even_seen.size() + odd_seen.size() < 6 && absl::Now() < deadline) {
    ASSERT_THAT(even.PollOnce(), IsOk());
    ASSERT_THAT(odd.PollOnce(), IsOk());
  }

  EXPECT_EQ(even_seen, std::vector<int>(3, PartitionOf(even_aggregate)));
  EXPECT_EQ(odd_seen, std::vector<int>(3, PartitionOf(odd_aggregate)));
  EXPECT_EQ(even.MeasureLag()->pending_events, 0);
}

TEST_F(EventLogTest, BeforeApplySeesEveryEventOfTheTransactionBeforeTheHandlerDoes) {
  for (int seq = 1; seq <= 3; ++seq) {
    for (const char* aggregate : {"c-1", "c-2", "c-3"}) {
      Publish(aggregate, seq);
    }
  }
  std::vector<size_t> hook_calls;  // Events per before_apply call.
  std::vector<int64_t> announced;  // Ids before_apply has seen.
  int applied_unannounced = 0;
  int applied = 0;
  EventConsumer consumer(
      *pool_,
      {.group = "g",
       .before_apply =
           [&](const std::vector<StoredEvent>& events) {
             hook_calls.push_back(events.size());
             for (const StoredEvent& event : events) {
               announced.push_back(event.id);
             }
           }},
      [&](pqxx::work&, const StoredEvent& event) {
        ++applied;
        if (std::find(announced.begin(), announced.end(), event.id) == announced.end()) {
          ++applied_unannounced;
        }
        return absl::OkStatus();
      });
  ASSERT_THAT(consumer.Register(), IsOk());

  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (applied < 9 && absl::Now() < deadline) {
    ASSERT_THAT(consumer.PollOnce(), IsOk());
  }

  EXPECT_EQ(applied, 9);
  EXPECT_EQ(applied_unannounced, 0);
  // The three partitions' events came in one transaction, announced in one call (unless another
  // test's transaction held the settled horizon back between the publishes).
  ASSERT_FALSE(hook_calls.empty());
  EXPECT_LE(hook_calls.size(), 9u);
  EXPECT_EQ(announced.size(), 9u);
}

TEST_F(EventLogTest, ConsumerKilledMidBatchGetsTheEventsAgainAndAppliesEachOnce) {
  for (int seq = 1; seq <= 10; ++seq) {
    Publish("complaint-a", seq);
  }
  bool kill_next = true;
  EventHandler recorder = Recorder("g");
  EventConsumer consumer(*pool_, {.group = "g"}, [&](pqxx::work& tx, const StoredEvent& event) {
    absl::Status status = recorder(tx, event);
    if (status.ok() && std::stoi(event.payload) == 6 && kill_next) {
      kill_next = false;
      // The backend dies mid-batch, after five effects were written in this transaction.
      tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
    }
    return status;
  });
  ASSERT_THAT(consumer.Register(), IsOk());

  EXPECT_THAT(PollUntilError(consumer), StatusIs(absl::StatusCode::kUnavailable));
  // Nothing of the killed batch stayed. Batches before it may have committed: another test's
  // transaction can hold the settled horizon back, so events 1-5 may come in a batch of their own.
  EXPECT_LE(Effects("g"), 5);
  ASSERT_THAT(DrainUntil(consumer, "g", 10), IsOk());

  EXPECT_EQ(Effects("g"), 10);
  EXPECT_EQ(consumer.MeasureLag()->pending_events, 0);
}

// Counts the events of a transaction and writes the count once, at Flush.
class CountingAccumulator final : public BatchAccumulator {
 public:
  void Begin() override { gathered_ = 0; }
  absl::Status Flush(pqxx::work& tx) override {
    tx.exec_params("INSERT INTO gathered VALUES ($1)", gathered_);
    return absl::OkStatus();
  }
  void Gather() { ++gathered_; }

 private:
  int gathered_ = 0;
};

TEST_F(EventLogTest, AccumulatorWritesOncePerBatchAndForgetsWhatARolledBackBatchGathered) {
  ASSERT_THAT(pool_->Execute("CREATE TABLE gathered (events int NOT NULL)"), IsOk());
  for (int seq = 1; seq <= 6; ++seq) {
    Publish("complaint-a", seq);
  }
  CountingAccumulator accumulator;
  bool fail = true;
  EventConsumer consumer(*pool_, {.group = "g", .accumulator = &accumulator},
                         [&](pqxx::work&, const StoredEvent& event) {
                           if (fail && event.payload == "4") {
                             fail = false;  // After 1-3 were gathered in this transaction.
                             return absl::UnavailableError("downstream hiccup");
                           }
                           accumulator.Gather();
                           return absl::OkStatus();
                         });
  ASSERT_THAT(consumer.Register(), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (consumer.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
    (void)consumer.PollOnce();
  }

  absl::StatusOr<std::pair<int64_t, int64_t>> written =
      db::RunInTransaction(*pool_, "gathered", [](pqxx::work& tx) {
        const pqxx::row row = tx.exec1("SELECT count(*), coalesce(sum(events), 0) FROM gathered");
        return absl::StatusOr<std::pair<int64_t, int64_t>>(
            std::make_pair(row[0].as<int64_t>(), row[1].as<int64_t>()));
      });
  ASSERT_THAT(written, IsOk());
  EXPECT_FALSE(fail);
  EXPECT_EQ(written->second, 6) << "each event counted once, the rolled-back batch's not at all";
  EXPECT_LT(written->first, 6) << "one write per batch, not per event";
}

TEST_F(EventLogTest, FailingHandlerStallsTheConsumerAndReportsLagWithoutSkipping) {
  for (int seq = 1; seq <= 3; ++seq) {
    Publish("complaint-a", seq);
  }
  bool fail = true;
  EventHandler recorder = Recorder("g");
  // The first event fails: however the log is cut into batches (a transaction of another test
  // can hold the visibility horizon back), nothing before it can be applied, so all three wait.
  EventConsumer consumer(*pool_, {.group = "g"}, [&](pqxx::work& tx, const StoredEvent& event) {
    if (fail && event.payload == "1") {
      return absl::FailedPreconditionError("downstream not ready");
    }
    return recorder(tx, event);
  });
  ASSERT_THAT(consumer.Register(), IsOk());

  EXPECT_THAT(PollUntilError(consumer), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(consumer.PollOnce(), StatusIs(absl::StatusCode::kFailedPrecondition));
  absl::StatusOr<ConsumerLag> lag = consumer.MeasureLag();
  ASSERT_THAT(lag, IsOk());
  EXPECT_EQ(lag->pending_events, 3);
  EXPECT_GT(lag->oldest_pending_age, absl::ZeroDuration());

  fail = false;
  ASSERT_THAT(DrainUntil(consumer, "g", 3), IsOk());
  EXPECT_EQ(Effects("g"), 3);
}

TEST_F(EventLogTest, LagMetricsReportPendingEventsAndTheirAge) {
  Publish("complaint-a", 1);
  Publish("complaint-a", 2);
  EventConsumer consumer(*pool_, {.group = "g"}, Recorder("g"));
  ASSERT_THAT(consumer.Register(), IsOk());
  prometheus::Registry registry;
  ConsumerLagMetrics metrics(registry, "test", consumer, "g");

  metrics.Refresh();
  const std::vector<prometheus::MetricFamily> families = registry.Collect();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].name, "doleances_test_event_consumer_lag_events");
  EXPECT_EQ(families[0].metric[0].gauge.value, 2);
  EXPECT_GT(families[1].metric[0].gauge.value, 0);

  ASSERT_THAT(DrainUntil(consumer, "g", 2), IsOk());
  metrics.Refresh();
  EXPECT_EQ(registry.Collect()[0].metric[0].gauge.value, 0);
}

TEST_F(EventLogTest, EachGroupReceivesEveryEvent) {
  for (int seq = 1; seq <= 5; ++seq) {
    Publish("complaint-a", seq);
  }
  EventConsumer workflow(*pool_, {.group = "workflow"}, Recorder("workflow"));
  EventConsumer analytics(*pool_, {.group = "analytics"}, Recorder("analytics"));
  ASSERT_THAT(workflow.Register(), IsOk());
  ASSERT_THAT(analytics.Register(), IsOk());

  ASSERT_THAT(DrainUntil(workflow, "workflow", 5), IsOk());
  ASSERT_THAT(DrainUntil(analytics, "analytics", 5), IsOk());

  EXPECT_EQ(Effects("workflow"), 5);
  EXPECT_EQ(Effects("analytics"), 5);
}

TEST_F(EventLogTest, BackgroundConsumerWakesUpOnNotifyWellBeforeItsPollInterval) {
  EventConsumer consumer(*pool_, {.group = "g", .poll_interval = absl::Seconds(30)}, Recorder("g"));
  ASSERT_THAT(consumer.Register(), IsOk());
  consumer.Start();
  // Let the loop reach its wait (an empty first poll) before publishing.
  absl::SleepFor(absl::Milliseconds(300));
  {
    CommitNotifier notifier(*pool_);
    Publish("complaint-a", 1);
    notifier.EventsCommitted();
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Effects("g") < 1 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  consumer.Stop();

  EXPECT_EQ(Effects("g"), 1);
  EXPECT_LT(absl::Now(), deadline);
}

TEST_F(EventLogTest, NotifierCoalescesABurstOfCommitsIntoFewNotifications) {
  CommitNotifier notifier(*pool_);
  for (int i = 0; i < 1000; ++i) {
    notifier.EventsCommitted();
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (notifier.notifications_sent() == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }

  EXPECT_GE(notifier.notifications_sent(), 1);
  EXPECT_LT(notifier.notifications_sent(), 100);
}

}  // namespace
}  // namespace doleances::events
