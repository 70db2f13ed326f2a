// analytics_kpi_bench: how fast GetKpis answers over the aggregates of N complaints, against the
// naive GROUP BY over one base row per complaint (K0).
//   analytics_kpi_bench --database=URL [--complaints=1000000] [--administrations=20]
//                       [--days=730] [--calls=200] [--reuse]
// Use a throwaway database: it migrates it and replaces the analytics tables' contents. Facts
// are generated in process, turned into aggregates with the service's own ContributionOf, and
// loaded with COPY; the same complaints go to analytics_bench.k0_complaints. Prints one JSON line
// with GetKpis (over gRPC, one administration, 90 days, grouped by category) and K0 latency
// percentiles in ms.
#include "common/auth/doleances_auth_migrations.h"
#include "common/auth/principal_store.h"
#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/events/doleances_events_migrations.h"
#include "common/status/status_macros.h"
#include "common/testing/grpc_testing.h"
#include "common/util/proto_time.h"
#include "services/analytics/analytics_permissions.h"
#include "services/analytics/analytics_service.h"
#include "services/analytics/complaint_fact.h"
#include "services/analytics/doleances_analytics_migrations.h"
#include "services/analytics/kpi_query.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/container/btree_map.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/time/clock.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <iostream>
#include <random>
#include <tuple>

namespace {

using namespace doleances;
using analytics::Basis;
using analytics::Cells;
using analytics::ComplaintFact;
using analytics::FactDimensions;

struct Options {
  std::string database;
  int64_t complaints = 1000000;
  int administrations = 20;
  int days = 730;
  int calls = 200;
  bool reuse = false;  // Keep the data of an earlier run with the same options.
};

std::string AdministrationId(int a) { return absl::StrFormat("00000000-0000-4000-8000-%012d", a); }

// Skewed choice: index i with weight 1 / (i + 1).
int Zipf(std::mt19937_64& random, int n) {
  static thread_local std::vector<double> weights;
  weights.clear();
  for (int i = 0; i < n; ++i) {
    weights.push_back(1.0 / (i + 1));
  }
  return std::discrete_distribution<int>(weights.begin(), weights.end())(random);
}

// A plausible complaint of administration `a` received at `receive`.
ComplaintFact RandomFact(std::mt19937_64& random, int a, absl::Time receive, absl::Time now) {
  std::uniform_real_distribution<double> unit(0, 1);
  std::lognormal_distribution<double> hours(3.0, 1.2);  // Median ~20 h.
  ComplaintFact fact;
  FactDimensions& d = fact.dimensions;
  d.administration_id = AdministrationId(a);
  d.kind = 1 + Zipf(random, 5);
  d.channel = 1 + Zipf(random, 6);
  d.priority = unit(random) < 0.9 ? 2 : 3;
  // Routing sends a category to one department: the two are not independent.
  const int category = Zipf(random, 25);
  d.category = absl::StrCat("cat-", category);
  d.department_id = absl::StrCat("dept-", a, "-", category % 6);
  d.department_code = absl::StrFormat("%02d", 1 + a % 95);
  d.region_code = absl::StrFormat("%02d", 11 + a % 18);
  const auto at = [&](absl::Duration after) {
    const absl::Time t = receive + after;
    return t < now ? absl::ToUnixMicros(t) : int64_t{0};
  };
  fact.slots[analytics::kReceiveTime] = absl::ToUnixMicros(receive);
  fact.slots[analytics::kRoutedTime] = at(absl::Minutes(1 + 60 * unit(random)));
  const absl::Duration answer = absl::Hours(hours(random));
  if (unit(random) < 0.92) {
    fact.slots[analytics::kFirstResponseTime] = at(answer);
    fact.slots[analytics::kClockSlots + 3 * 2 + (answer < absl::Hours(48) ? 0 : 1)] = at(answer);
    if (unit(random) < 0.95) {
      fact.slots[analytics::kClosedTime] = at(answer + absl::Hours(24));
    }
    if (unit(random) < 0.3) {
      fact.slots[analytics::kFeedbackTime] = at(answer + absl::Hours(30));
      fact.satisfaction = 1 + static_cast<int>(random() % 5);
      fact.problem_solved = unit(random) < 0.6;
      if (fact.slots[analytics::kFeedbackTime] == 0) {
        fact.satisfaction = 0;
      }
    }
  } else if (unit(random) < 0.7) {
    fact.slots[analytics::kWithdrawnTime] = at(answer);
  }
  return fact;
}

template <typename T>
double Percentile(std::vector<T> values, double q) {
  std::sort(values.begin(), values.end());
  return values.empty()
             ? 0
             : values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
}

// Generates the complaints of each administration in turn (bounded memory), aggregates them
// with the service's ContributionOf, and COPYs aggregates and K0 rows.
absl::Status Load(db::ConnectionPool& pool, const Options& options, absl::Time now,
                  absl::TimeZone zone, int64_t& aggregate_rows) {
  RETURN_IF_ERROR(pool.Execute(
      "TRUNCATE analytics.kpi_cells, analytics.term_counts, analytics.complaint_facts;"
      "CREATE SCHEMA IF NOT EXISTS analytics_bench;"
      "DROP TABLE IF EXISTS analytics_bench.k0_complaints;"
      "CREATE TABLE analytics_bench.k0_complaints (administration_id text, receive_day date,"
      " kind smallint, channel smallint, category text, department_code text,"
      " first_response_seconds double precision, resolved boolean, open boolean)"));
  std::mt19937_64 random(42);
  // Administrations differ in size like real ones: a ministry's service and small town halls
  // (administration a gets a share proportional to 1 / (a + 1)).
  double harmonic = 0;
  for (int a = 0; a < options.administrations; ++a) {
    harmonic += 1.0 / (a + 1);
  }
  const absl::Time first = now - absl::Hours(24 * options.days);
  for (int a = 0; a < options.administrations; ++a) {
    const auto per_administration =
        static_cast<int64_t>(static_cast<double>(options.complaints) / harmonic / (a + 1));
    absl::btree_map<analytics::CellKey, Cells> aggregates;
    absl::Status loaded = db::RunInTransaction(pool, "bench_load", [&](pqxx::work& tx) {
      tx.exec("SET LOCAL search_path TO analytics_bench");
      pqxx::stream_to k0(tx, "k0_complaints",
                         std::vector<std::string>{"administration_id", "receive_day", "kind",
                                                  "channel", "category", "department_code",
                                                  "first_response_seconds", "resolved", "open"});
      std::uniform_real_distribution<double> unit(0, 1);
      for (int64_t i = 0; i < per_administration; ++i) {
        const absl::Time receive = first + absl::Seconds(unit(random) * options.days * 86400.0);
        const ComplaintFact fact = RandomFact(random, a, receive, now);
        analytics::FileContribution(fact.dimensions, analytics::ContributionOf(fact, zone), 1,
                                    aggregates);
        const int64_t response = fact.slots[analytics::kFirstResponseTime];
        const bool left =
            fact.slots[analytics::kClosedTime] != 0 || fact.slots[analytics::kWithdrawnTime] != 0;
        std::optional<double> seconds;
        if (response != 0) {
          seconds = absl::ToDoubleSeconds(analytics::AdministrationTime(fact, response));
        }
        k0 << std::make_tuple(fact.dimensions.administration_id,
                              analytics::DayString(analytics::DayNumber(receive, zone)),
                              fact.dimensions.kind, fact.dimensions.channel,
                              fact.dimensions.category, fact.dimensions.department_code, seconds,
                              response != 0 && fact.slots[analytics::kWithdrawnTime] == 0, !left);
      }
      k0.complete();
      tx.exec("SET LOCAL search_path TO analytics");
      pqxx::stream_to cells(
          tx, "kpi_cells",
          std::vector<std::string>{"administration_id", "basis", "day", "kind", "channel",
                                   "priority", "category", "department_id", "department_code",
                                   "region_code", "cells"});
      for (const auto& [key, values] : aggregates) {
        const auto& [d, basis, day] = key;
        if (values.empty()) {
          continue;
        }
        cells << std::make_tuple(d.administration_id, static_cast<int>(basis),
                                 analytics::DayString(day), d.kind, d.channel, d.priority,
                                 d.category, d.department_id, d.department_code, d.region_code,
                                 analytics::CellsLiteral(values));
        ++aggregate_rows;
      }
      cells.complete();
      return absl::OkStatus();
    });
    RETURN_IF_ERROR(loaded);
    std::cerr << "loaded administration " << a + 1 << "/" << options.administrations << "\n";
  }
  return pool.Execute(
      "CREATE INDEX ON analytics_bench.k0_complaints (administration_id, receive_day);"
      "ANALYZE analytics_bench.k0_complaints; ANALYZE analytics.kpi_cells");
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    bool ok = true;
    if (name == "--database") {
      options.database = value;
    } else if (name == "--complaints") {
      ok = absl::SimpleAtoi(value, &options.complaints);
    } else if (name == "--administrations") {
      ok = absl::SimpleAtoi(value, &options.administrations);
    } else if (name == "--days") {
      ok = absl::SimpleAtoi(value, &options.days);
    } else if (name == "--reuse") {
      options.reuse = true;
    } else if (name == "--calls") {
      ok = absl::SimpleAtoi(value, &options.calls);
    } else {
      ok = false;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat("bad argument ", arg));
    }
  }
  if (options.database.empty() || options.administrations < 1 || options.days < 100) {
    return absl::InvalidArgumentError("--database is required; --days at least 100");
  }
  return options;
}

absl::Status Run(const Options& options) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(analytics::kAggregateTimeZone, &zone)) {
    return absl::FailedPreconditionError("no tzdata");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<db::ConnectionPool> pool,
                   db::ConnectionPool::Create(
                       {.url = options.database,
                        .size = 4,
                        .statement_timeout = absl::Minutes(10),
                        .prepare_hooks = {&auth::PrincipalStore::PrepareStatements,
                                          &analytics::PgAnalyticsStore::PrepareStatements}}));
  for (const db::MigrationSet* set :
       {&events::EventsMigrations(), &auth::AuthMigrations(), &analytics::AnalyticsMigrations()}) {
    RETURN_IF_ERROR(db::ApplyMigrations(*pool, *set));
  }
  const absl::Time now = absl::Now();
  int64_t aggregate_rows = 0;
  const absl::Time load_start = absl::Now();
  if (!options.reuse) {
    RETURN_IF_ERROR(Load(*pool, options, now, zone, aggregate_rows));
  }
  const absl::Duration load_time = absl::Now() - load_start;

  auth::PrincipalStore principals(*pool);
  auth::Authorizer authorizer(principals, analytics::AnalyticsPermissions(), {});
  analytics::PgAnalyticsStore store(*pool);
  analytics::AnalyticsServiceImpl service(
      authorizer, store, 5, [now] { return now; }, [now] { return now; });
  doleances::testing::LocalGrpcServer server(&service);
  auto stub = analytics::v1::AnalyticsService::NewStub(server.channel());
  const std::string key = doleances::testing::IssueTestKey(
      principals, absl::StrCat("bench-analyst-", absl::ToUnixSeconds(now)), {auth::Role::kAnalyst},
      {"*"});

  std::mt19937_64 random(7);
  // Even calls: the last 90 days (a dashboard); odd calls: 90 days ending up to 200 days ago,
  // where the backlog at the end of the range needs the activity since.
  std::vector<double> kpi_ms[2], k0_ms[2];
  int64_t rows_answered = 0;
  for (int call = 0; call < options.calls; ++call) {
    const int a = static_cast<int>(random() % options.administrations);
    const int past = call % 2;
    const int64_t end_day =
        analytics::DayNumber(now, zone) + 1 - (past ? 1 + static_cast<int64_t>(random() % 200) : 0);
    const absl::Time end = analytics::NoonOf(end_day, zone) - absl::Hours(12);
    const absl::Time start = end - absl::Hours(24 * 90);

    analytics::v1::GetKpisRequest request;
    request.mutable_query()->add_administration_ids(AdministrationId(a));
    *request.mutable_query()->mutable_time_range()->mutable_start_time() = util::ToTimestamp(start);
    *request.mutable_query()->mutable_time_range()->mutable_end_time() = util::ToTimestamp(end);
    request.mutable_query()->add_group_by(analytics::v1::DIMENSION_CATEGORY);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + key);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    analytics::v1::GetKpisResponse response;
    absl::Time t0 = absl::Now();
    const grpc::Status status = stub->GetKpis(&context, request, &response);
    kpi_ms[past].push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    if (!status.ok()) {
      return absl::InternalError(status.error_message());
    }
    rows_answered += response.rows_size();

    t0 = absl::Now();
    RETURN_IF_ERROR(db::RunInTransaction(*pool, "bench_k0", [&](pqxx::work& tx) {
      tx.exec_params(
          "SELECT category, count(*), count(*) FILTER (WHERE resolved),"
          " count(*) FILTER (WHERE open),"
          " percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY first_response_seconds)"
          " FROM analytics_bench.k0_complaints WHERE administration_id = $1"
          " AND receive_day BETWEEN $2::date AND $3::date GROUP BY category",
          AdministrationId(a), analytics::DayString(analytics::DayNumber(start, zone)),
          analytics::DayString(end_day - 1));
      return absl::OkStatus();
    }));
    k0_ms[past].push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
  }
  const auto percentiles = [](const std::vector<double>& ms) {
    return absl::StrFormat("{\"p50\":%.2f,\"p99\":%.2f}", Percentile(ms, 0.5),
                           Percentile(ms, 0.99));
  };
  std::cout << absl::StrFormat(
                   "{\"complaints\":%d,\"aggregate_rows\":%d,\"load_s\":%.1f,\"calls\":%d,"
                   "\"rows_per_answer\":%.1f,\"getkpis_ms\":{\"to_now\":%s,\"past\":%s},"
                   "\"k0_group_by_ms\":{\"to_now\":%s,\"past\":%s}}",
                   options.complaints, aggregate_rows, absl::ToDoubleSeconds(load_time),
                   options.calls, static_cast<double>(rows_answered) / options.calls,
                   percentiles(kpi_ms[0]), percentiles(kpi_ms[1]), percentiles(k0_ms[0]),
                   percentiles(k0_ms[1]))
            << std::endl;
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<Options> options = ParseOptions(argc, argv);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  if (absl::Status status = Run(*options); !status.ok()) {
    std::cerr << status.message() << "\n";
    return 1;
  }
  return 0;
}
