// analytics_kpi_bench: how fast GetKpis answers over the aggregates of N complaints, against K0,
// the naive GROUP BY over one base row per complaint computing the same figures, and whether the
// two agree.
//   analytics_kpi_bench --database=URL [--complaints=1000000] [--administrations=20]
//                       [--days=730] [--calls=200] [--load-threads=2] [--reuse]
// Use a throwaway database: it migrates it and replaces the analytics tables' contents with the
// fixture of kpi_fixture.h (generated in process, aggregated by the service's own code, loaded
// with binary COPY). Prints ONE JSON line on stdout, with the load's phases; progress and any
// disagreement go to stderr.
//
// The measured query is the dashboard's: one administration (Zipf-sized, picked at random), 90
// days, grouped by category; even calls end now, odd calls end up to 200 days ago (the backlog at
// the end of the range then needs the steps since). K0 answers the same question with the same
// rules (nearest-rank quantiles mapped to the service's buckets, the backlog over every receive
// day, groups under 5 complaints suppressed); "identical" compares every figure but the
// Kaplan-Meier quantiles (counts of the survival estimate are compared).
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
#include "tests/bench/kpi_complaints.h"
#include "tests/bench/kpi_fixture.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>
#include <absl/time/clock.h>
#include <google/protobuf/util/time_util.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>

namespace {

using namespace doleances;

constexpr int kMinGroupSize = 5;

struct Options {
  std::string database;
  bench::KpiFixtureOptions fixture;
  int calls = 200;
  bool reuse = false;  // Keep the data of an earlier run with the same options.
};

double Percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values.empty()
             ? 0
             : values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
}

// The figures of one group, as one comparable line.
std::string SummaryLine(int64_t count, const std::vector<int64_t>& quantile_micros) {
  return absl::StrCat(count, "[", absl::StrJoin(quantile_micros, ","), "]");
}

std::vector<int64_t> QuantilesOf(const analytics::v1::DurationSummary& s) {
  using google::protobuf::util::TimeUtil;
  if (s.sample_count() == 0) {
    return {};
  }
  return {TimeUtil::DurationToMicroseconds(s.median()), TimeUtil::DurationToMicroseconds(s.p90()),
          TimeUtil::DurationToMicroseconds(s.p99())};
}

// GetKpis' answer, one line per category.
std::map<std::string, std::string> Figures(const analytics::v1::GetKpisResponse& response) {
  std::map<std::string, std::string> figures;
  for (const analytics::v1::KpiRow& row : response.rows()) {
    const std::string& category = row.dimension_values(0).value();
    if (row.suppressed()) {
      figures[category] = "suppressed";
      continue;
    }
    const analytics::v1::Volumes& v = row.volumes();
    std::vector<std::string> delays;
    for (const analytics::v1::ClockDelay& delay : row.delays()) {
      if (delay.clock() != type::v1::CLOCK_KIND_MEDIATION_OUTCOME) {
        delays.push_back(SummaryLine(delay.summary().sample_count(), QuantilesOf(delay.summary())));
      }
    }
    int64_t met = 0, missed = 0;
    for (const analytics::v1::SlaCompliance& sla : row.sla_compliances()) {
      if (sla.clock() == type::v1::CLOCK_KIND_FIRST_RESPONSE) {
        met = sla.met_count();
        missed = sla.missed_count();
      }
    }
    std::string satisfaction = "none";
    if (row.has_satisfaction()) {
      satisfaction = absl::StrCat(row.satisfaction().response_count(), "/",
                                  absl::StrJoin(row.satisfaction().score_counts(), ","), "/",
                                  row.satisfaction().problem_solved_rate());
    }
    const analytics::v1::SurvivalEstimate& km = row.time_to_resolution();
    figures[category] = absl::StrCat(
        v.received(), " ", v.routed(), " ", v.responded(), " ", v.closed(), " ", v.withdrawn(),
        " rate=", row.resolution_rate(), " delays=", absl::StrJoin(delays, " "), " sla=", met, "/",
        missed, " sat=", satisfaction, " backlog=", row.backlog().open_count(),
        " km=", km.cohort_size(), "/", km.resolved_count(), "/", km.censored_count());
  }
  return figures;
}

// The value the service reports for a sample of `micros`: its bucket's.
int64_t BucketMicros(int64_t micros) {
  return absl::ToInt64Microseconds(
      analytics::BucketValue(analytics::BucketOf(absl::Microseconds(micros))));
}

// K0: the same figures by GROUP BY over the base rows; quantiles nearest-rank (percentile_disc,
// with the service's rounding of the rank) mapped to the bucket value the service reports.
std::map<std::string, std::string> K0Figures(pqxx::work& tx, const std::string& administration,
                                             int64_t first_day, int64_t last_day,
                                             int64_t backlog_day) {
  // The service's rank is ceil(q * n - 1e-9), percentile_disc's ceil(q * n): q - 1e-12 gives the
  // service's rank for every n below 10^9 (q * n is never within 10^-3 above an integer).
  const auto summary = [](const std::string& column) {
    return absl::StrCat(
        "count(", column,
        "), percentile_disc(ARRAY[0.5 - 1e-12, 0.9 - 1e-12, 0.99 - 1e-12]::float8[])"
        " WITHIN GROUP (ORDER BY ",
        column, ")");
  };
  const pqxx::result result = tx.exec_params(
      absl::StrCat(
          "WITH cohort AS (SELECT category, count(*) AS received, count(*) FILTER (WHERE routed),"
          " count(*) FILTER (WHERE responded), count(*) FILTER (WHERE closed),"
          " count(*) FILTER (WHERE withdrawn), count(*) FILTER (WHERE resolved) AS resolved, ",
          summary("ack_us"), ", ", summary("first_response_us"), ", ", summary("resolution_us"),
          ", count(*) FILTER (WHERE sla_met), count(*) FILTER (WHERE NOT sla_met),"
          " count(satisfaction), count(*) FILTER (WHERE satisfaction = 1),"
          " count(*) FILTER (WHERE satisfaction = 2), count(*) FILTER (WHERE satisfaction = 3),"
          " count(*) FILTER (WHERE satisfaction = 4), count(*) FILTER (WHERE satisfaction = 5),"
          " count(*) FILTER (WHERE problem_solved)"
          " FROM ",
          bench::kK0Table,
          " WHERE administration_id = $1"
          " AND receive_day BETWEEN date '1970-01-01' + $2::int AND date '1970-01-01' + $3::int"
          " GROUP BY category),"
          " backlog AS (SELECT category, count(*) AS open FROM ",
          bench::kK0Table,
          " WHERE administration_id = $1 AND receive_day <= date '1970-01-01' + $4::int"
          " AND (left_day IS NULL OR left_day > date '1970-01-01' + $4::int) GROUP BY category)"
          " SELECT cohort.*, coalesce(backlog.open, 0) FROM cohort LEFT JOIN backlog"
          " USING (category)"),
      administration, static_cast<int>(first_day), static_cast<int>(last_day),
      static_cast<int>(backlog_day));
  std::map<std::string, std::string> figures;
  for (const pqxx::row& r : result) {
    const std::string category = r[0].as<std::string>();
    const auto received = r[1].as<int64_t>();
    if (received < kMinGroupSize) {
      figures[category] = "suppressed";
      continue;
    }
    const auto resolved = r[6].as<int64_t>();
    std::vector<std::string> delays;
    for (int column = 7; column <= 11; column += 2) {
      const auto n = r[column].as<int64_t>();
      std::vector<int64_t> micros;
      if (n > 0) {
        const std::string array = r[column + 1].as<std::string>();  // "{p50,p90,p99}"
        for (const absl::string_view value :
             absl::StrSplit(absl::string_view(array).substr(1, array.size() - 2), ',')) {
          int64_t parsed = 0;
          (void)absl::SimpleAtoi(value, &parsed);
          micros.push_back(BucketMicros(parsed));
        }
      }
      delays.push_back(SummaryLine(n, micros));
    }
    const auto feedbacks = r[15].as<int64_t>();
    std::string satisfaction = "none";
    if (feedbacks >= kMinGroupSize) {
      satisfaction =
          absl::StrCat(feedbacks, "/", r[16].as<int64_t>(), ",", r[17].as<int64_t>(), ",",
                       r[18].as<int64_t>(), ",", r[19].as<int64_t>(), ",", r[20].as<int64_t>(), "/",
                       static_cast<double>(r[21].as<int64_t>()) / feedbacks);
    }
    figures[category] = absl::StrCat(
        received, " ", r[2].as<int64_t>(), " ", r[3].as<int64_t>(), " ", r[4].as<int64_t>(), " ",
        r[5].as<int64_t>(), " rate=", static_cast<double>(resolved) / received,
        " delays=", absl::StrJoin(delays, " "), " sla=", r[13].as<int64_t>(), "/",
        r[14].as<int64_t>(), " sat=", satisfaction, " backlog=", r[22].as<int64_t>(),
        " km=", received, "/", resolved, "/", received - resolved);
  }
  return figures;
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
      ok = absl::SimpleAtoi(value, &options.fixture.complaints);
    } else if (name == "--administrations") {
      ok = absl::SimpleAtoi(value, &options.fixture.administrations);
    } else if (name == "--days") {
      ok = absl::SimpleAtoi(value, &options.fixture.days);
    } else if (name == "--load-threads") {
      ok = absl::SimpleAtoi(value, &options.fixture.threads);
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
  const bench::KpiFixtureOptions& f = options.fixture;
  if (options.database.empty() || f.administrations < 1 || f.days < 300 || options.calls < 1 ||
      f.complaints < 1 || f.threads < 1) {
    return absl::InvalidArgumentError(
        "--database is required; --days at least 300; --calls, --complaints and --load-threads"
        " at least 1");
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
  // Whole seconds: a reused fixture was generated with the same "now" (see --reuse).
  absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  int64_t aggregate_rows = 0;
  std::string load_phases = "{}";
  const absl::Time load_start = absl::Now();
  if (options.reuse) {
    RETURN_IF_ERROR(db::RunInTransaction(*pool, "bench_reuse", [&](pqxx::work& tx) {
      now = absl::FromUnixSeconds(tx.exec1(absl::StrCat("SELECT coalesce(obj_description('",
                                                        bench::kK0Table, "'::regclass), '0')"))[0]
                                      .as<int64_t>());
      aggregate_rows = tx.exec1("SELECT count(*) FROM analytics.kpi_cells")[0].as<int64_t>();
      return absl::OkStatus();
    }));
  } else {
    ASSIGN_OR_RETURN(const bench::KpiFixtureLoad load,
                     bench::LoadKpiFixture(options.database, options.fixture, now, zone));
    aggregate_rows = load.aggregate_rows;
    load_phases = load.phases_json;
    RETURN_IF_ERROR(pool->Execute(absl::StrCat("COMMENT ON TABLE ", bench::kK0Table, " IS '",
                                               absl::ToUnixSeconds(now), "'")));
  }
  const absl::Duration load_time = absl::Now() - load_start;
  std::cerr << "loaded in " << absl::FormatDuration(load_time) << "\n";

  auth::PrincipalStore principals(*pool);
  auth::Authorizer authorizer(principals, analytics::AnalyticsPermissions(), {});
  analytics::PgAnalyticsStore store(*pool);
  analytics::AnalyticsServiceImpl service(
      authorizer, store, kMinGroupSize, [now] { return now; }, [now] { return now; });
  doleances::testing::LocalGrpcServer server(&service);
  auto stub = analytics::v1::AnalyticsService::NewStub(server.channel());
  const std::string key = doleances::testing::IssueTestKey(
      principals, absl::StrCat("bench-analyst-", absl::ToUnixNanos(absl::Now())),
      {auth::Role::kAnalyst}, {"*"});

  std::mt19937_64 random(7);
  std::vector<double> kpi_ms, k0_ms;
  int64_t rows_answered = 0;
  int mismatches = 0;
  const int64_t today = analytics::DayNumber(now, zone);
  // Warm-up (excluded): the first calls pay for connections, plans and a cold cache.
  const int warmup = std::min(options.calls, 10);
  for (int call = 0; call < warmup + options.calls; ++call) {
    const int a = static_cast<int>(random() % options.fixture.administrations);
    const bool past = call % 2 == 1;
    const int64_t end_day = today + 1 - (past ? 1 + static_cast<int64_t>(random() % 200) : 0);
    const absl::Time end = analytics::NoonOf(end_day, zone) - absl::Hours(12);
    const absl::Time start = end - absl::Hours(24 * 90);

    analytics::v1::GetKpisRequest request;
    request.mutable_query()->add_administration_ids(bench::FixtureAdministrationId(a));
    *request.mutable_query()->mutable_time_range()->mutable_start_time() = util::ToTimestamp(start);
    *request.mutable_query()->mutable_time_range()->mutable_end_time() = util::ToTimestamp(end);
    request.mutable_query()->add_group_by(analytics::v1::DIMENSION_CATEGORY);
    request.set_page_size(1000);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + key);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    analytics::v1::GetKpisResponse response;
    absl::Time t0 = absl::Now();
    const grpc::Status status = stub->GetKpis(&context, request, &response);
    const double kpi_call_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
    if (!status.ok()) {
      return absl::InternalError(status.error_message());
    }

    const int64_t first_day = analytics::DayNumber(start, zone);
    const int64_t last_day = analytics::DayNumber(end - absl::Microseconds(1), zone);
    const int64_t backlog_day = std::min(last_day, today);
    std::map<std::string, std::string> expected;
    t0 = absl::Now();
    RETURN_IF_ERROR(db::RunInTransaction(*pool, "bench_k0", [&](pqxx::work& tx) {
      expected = K0Figures(tx, bench::FixtureAdministrationId(a), first_day, last_day, backlog_day);
      return absl::OkStatus();
    }));
    const double k0_call_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
    if (call < warmup) {
      continue;
    }
    kpi_ms.push_back(kpi_call_ms);
    k0_ms.push_back(k0_call_ms);
    rows_answered += response.rows_size();
    const std::map<std::string, std::string> answered = Figures(response);
    if (answered != expected) {
      ++mismatches;
      for (const auto& [category, line] : expected) {
        const auto it = answered.find(category);
        if (it == answered.end() || it->second != line) {
          std::cerr << "call " << call << " administration " << a << " " << category
                    << ":\n  K0      " << line << "\n  GetKpis "
                    << (it == answered.end() ? "(missing)" : it->second) << "\n";
          break;
        }
      }
      if (answered.size() != expected.size()) {
        std::cerr << "  groups: GetKpis " << answered.size() << ", K0 " << expected.size() << "\n";
      }
    }
  }
  const double k0_p99 = Percentile(k0_ms, 0.99);
  const double kpi_p99 = Percentile(kpi_ms, 0.99);
  std::cout << absl::StrFormat(
                   "{\"complaints\":%d,\"administrations\":%d,\"days\":%d,\"aggregate_rows\":%d,"
                   "\"load_seconds\":%.1f,\"calls\":%d,\"rows_per_answer\":%.1f,"
                   "\"getkpis_p50_ms\":%.2f,\"getkpis_p90_ms\":%.2f,\"getkpis_p99_ms\":%.2f,"
                   "\"k0_p50_ms\":%.2f,\"k0_p90_ms\":%.2f,\"k0_p99_ms\":%.2f,"
                   "\"k0_over_getkpis_p99\":%.1f,\"identical\":%s,\"mismatched_calls\":%d,"
                   "\"load_phases\":%s}",
                   options.fixture.complaints, options.fixture.administrations,
                   options.fixture.days, aggregate_rows, absl::ToDoubleSeconds(load_time),
                   options.calls, static_cast<double>(rows_answered) / options.calls,
                   Percentile(kpi_ms, 0.5), Percentile(kpi_ms, 0.9), kpi_p99,
                   Percentile(k0_ms, 0.5), Percentile(k0_ms, 0.9), k0_p99,
                   kpi_p99 > 0 ? k0_p99 / kpi_p99 : 0, mismatches == 0 ? "true" : "false",
                   mismatches, load_phases)
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
