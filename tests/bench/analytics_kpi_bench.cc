// analytics_kpi_bench: how fast GetKpis answers over the aggregates of N complaints, against K0,
// the naive GROUP BY over one base row per complaint computing the same figures, and whether the
// two agree.
//   analytics_kpi_bench --database=URL [--complaints=1000000] [--administrations=20]
//                       [--days=730] [--calls=200] [--reuse]
// Use a throwaway database: it migrates it and replaces the analytics tables' contents. Facts are
// generated in process one receive day at a time, turned into aggregates with the service's own
// ContributionOf/FileContribution (rows no later day can touch are written out as soon as that
// day is done, so memory stays bounded), and COPYed on one connection while the K0 rows go
// through another; indexes are built after the load. Prints ONE JSON line on stdout; progress
// and any disagreement go to stderr.
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
#include "tests/bench/process_stats.h"

#include <absl/container/btree_map.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>
#include <absl/time/clock.h>
#include <google/protobuf/util/time_util.h>
#include <unistd.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <tuple>

namespace {

using namespace doleances;
using analytics::CellKey;
using analytics::Cells;
using analytics::ComplaintFact;
using analytics::FactDimensions;

constexpr int kMinGroupSize = 5;

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

// Wall time and CPU, of the bench and of the whole PostgreSQL cluster (backends, parallel
// workers, WAL writer, checkpointer), per load phase: where a slow load spends its time. The
// server's CPU is read from /proc, so only when PostgreSQL runs on this machine.
class LoadPhases {
 public:
  explicit LoadPhases(std::optional<int> postmaster_pid) : postmaster_pid_(postmaster_pid) {
    Restart();
  }
  // Ends the phase begun at the previous End (or at construction), names it and logs it.
  void End(const std::string& name) {
    const absl::Duration wall = absl::Now() - start_;
    const absl::Duration own = OwnCpu() - own_cpu_;
    const absl::Duration server = ServerCpu() - server_cpu_;
    phases_.push_back(absl::StrFormat(
        "\"%s\":{\"wall_s\":%.1f,\"bench_cpu_s\":%.1f,\"server_cpu_s\":%.1f}", name,
        absl::ToDoubleSeconds(wall), absl::ToDoubleSeconds(own), absl::ToDoubleSeconds(server)));
    std::cerr << absl::StrFormat("phase %s: %.1f s (bench CPU %.1f s, server CPU %.1f s)\n", name,
                                 absl::ToDoubleSeconds(wall), absl::ToDoubleSeconds(own),
                                 absl::ToDoubleSeconds(server));
    Restart();
  }
  std::string Json() const { return absl::StrCat("{", absl::StrJoin(phases_, ","), "}"); }

 private:
  static absl::Duration OwnCpu() {
    return bench::TreeCpu(static_cast<int>(getpid())).value_or(absl::ZeroDuration());
  }
  absl::Duration ServerCpu() const {
    return postmaster_pid_.has_value()
               ? bench::TreeCpu(*postmaster_pid_).value_or(absl::ZeroDuration())
               : absl::ZeroDuration();
  }
  void Restart() {
    start_ = absl::Now();
    own_cpu_ = OwnCpu();
    server_cpu_ = ServerCpu();
  }

  std::optional<int> postmaster_pid_;
  std::vector<std::string> phases_;
  absl::Time start_;
  absl::Duration own_cpu_;
  absl::Duration server_cpu_;
};

double Percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values.empty()
             ? 0
             : values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
}

constexpr char kK0Columns[] =
    "administration_id text, receive_day date, category text, routed boolean,"
    " responded boolean, closed boolean, withdrawn boolean, resolved boolean, left_day date,"
    " ack_us bigint, first_response_us bigint, resolution_us bigint, sla_met boolean,"
    " satisfaction smallint, problem_solved boolean";

// The K0 row of a fact: what a naive schema would keep per complaint.
auto K0Row(const ComplaintFact& f, absl::TimeZone zone) {
  using analytics::AdministrationTime;
  const auto& s = f.slots;
  const auto day = [&](int64_t micros) {
    return analytics::DayString(analytics::DayNumber(absl::FromUnixMicros(micros), zone));
  };
  const auto delay = [&](int64_t until) -> std::optional<int64_t> {
    if (until == 0) {
      return std::nullopt;
    }
    return absl::ToInt64Microseconds(AdministrationTime(f, until));
  };
  const int64_t left = std::max(s[analytics::kClosedTime], s[analytics::kWithdrawnTime]);
  const int64_t response = s[analytics::kFirstResponseTime];
  const int64_t closed = s[analytics::kClosedTime];
  const bool resolved = s[analytics::kWithdrawnTime] == 0 && (response != 0 || closed != 0);
  const int64_t resolved_at =
      !resolved ? 0
                : (response == 0 ? closed : (closed == 0 ? response : std::min(response, closed)));
  const int64_t met = s[analytics::kClockSlots + 3 * 2];
  const int64_t missed = s[analytics::kClockSlots + 3 * 2 + 1];
  std::optional<bool> sla_met;
  if (met != 0 || missed != 0) {
    sla_met = met > missed;
  }
  std::optional<int> satisfaction;
  if (s[analytics::kFeedbackTime] != 0) {
    satisfaction = f.satisfaction;
  }
  return std::make_tuple(f.dimensions.administration_id, day(s[analytics::kReceiveTime]),
                         f.dimensions.category, s[analytics::kRoutedTime] != 0, response != 0,
                         closed != 0, s[analytics::kWithdrawnTime] != 0, resolved,
                         left == 0 ? std::optional<std::string>() : day(left),
                         delay(s[analytics::kRoutedTime]), delay(response), delay(resolved_at),
                         sla_met, satisfaction, f.problem_solved && satisfaction.has_value());
}

// Generates and loads the fixture; returns the number of aggregate rows.
absl::StatusOr<int64_t> Load(const Options& options, absl::Time now, absl::TimeZone zone,
                             std::string& phases_json) {
  pqxx::connection cells_connection(options.database);
  pqxx::connection k0_connection(options.database);
  LoadPhases phases(bench::ParentOf(
      pqxx::nontransaction(cells_connection).exec1("SELECT pg_backend_pid()")[0].as<int>()));
  {
    pqxx::nontransaction setup(cells_connection);
    setup.exec(absl::StrCat(
        "TRUNCATE analytics.kpi_cells, analytics.term_counts, analytics.complaint_facts;"
        "ALTER TABLE analytics.kpi_cells DROP CONSTRAINT IF EXISTS kpi_cells_pkey;"
        "DROP INDEX IF EXISTS analytics.kpi_cells_recent;"
        "CREATE SCHEMA IF NOT EXISTS analytics_bench;"
        "DROP TABLE IF EXISTS analytics_bench.k0_complaints;"
        "CREATE TABLE analytics_bench.k0_complaints (",
        kK0Columns, ")"));
  }
  pqxx::work cells_tx(cells_connection);
  pqxx::work k0_tx(k0_connection);
  pqxx::stream_to cells(cells_tx, "analytics.kpi_cells",
                        std::vector<std::string>{"administration_id", "basis", "day", "kind",
                                                 "channel", "priority", "category", "department_id",
                                                 "department_code", "region_code", "cells"});
  pqxx::stream_to k0(
      k0_tx, "analytics_bench.k0_complaints",
      std::vector<std::string>{"administration_id", "receive_day", "category", "routed",
                               "responded", "closed", "withdrawn", "resolved", "left_day", "ack_us",
                               "first_response_us", "resolution_us", "sla_met", "satisfaction",
                               "problem_solved"});
  int64_t aggregate_rows = 0;
  // Pending aggregate rows by the last receive day that can still add to them: their own day,
  // or the month's last day for rows filed by month.
  std::map<int64_t, absl::btree_map<CellKey, Cells>> pending;
  const auto flush_before = [&](int64_t day) {
    while (!pending.empty() && pending.begin()->first < day) {
      for (const auto& [key, values] : pending.begin()->second) {
        const auto& [d, basis, row_day] = key;
        if (values.empty()) {
          continue;
        }
        cells << std::make_tuple(d.administration_id, static_cast<int>(basis),
                                 analytics::DayString(row_day), d.kind, d.channel, d.priority,
                                 d.category, d.department_id, d.department_code, d.region_code,
                                 analytics::CellsText(values));
        ++aggregate_rows;
      }
      pending.erase(pending.begin());
    }
  };

  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> unit(0, 1);
  // Administrations differ in size like real ones: a ministry's service and small town halls
  // (administration a gets a share proportional to 1 / (a + 1)).
  double harmonic = 0;
  for (int a = 0; a < options.administrations; ++a) {
    harmonic += 1.0 / (a + 1);
  }
  const absl::Time first = now - absl::Hours(24 * options.days);
  absl::btree_map<CellKey, Cells> filed;
  for (int day = 0; day < options.days; ++day) {
    for (int a = 0; a < options.administrations; ++a) {
      const double share = static_cast<double>(options.complaints) / harmonic / (a + 1);
      const auto count = static_cast<int64_t>(share * (day + 1) / options.days) -
                         static_cast<int64_t>(share * day / options.days);
      for (int64_t i = 0; i < count; ++i) {
        const absl::Time receive = first + absl::Seconds((day + unit(random)) * 86400.0);
        const ComplaintFact fact = RandomFact(random, a, receive, now);
        filed.clear();
        analytics::FileContribution(fact.dimensions, analytics::ContributionOf(fact, zone), 1,
                                    filed);
        for (auto& [key, values] : filed) {
          const int64_t row_day = std::get<2>(key);
          const bool by_month = analytics::IsDayPacked(std::get<1>(key)) ||
                                static_cast<int>(analytics::FullOf(std::get<1>(key))) >= 10;
          const int64_t last =
              by_month ? analytics::PeriodOf(analytics::v1::DIMENSION_MONTH, row_day).second
                       : row_day;
          analytics::AddCells(pending[last][key], values);
        }
        k0 << K0Row(fact, zone);
      }
    }
    flush_before(analytics::DayNumber(first + absl::Hours(24 * (day + 1)), zone));
    if (day % 73 == 72) {
      std::cerr << "generated day " << day + 1 << "/" << options.days << ", " << aggregate_rows
                << " aggregate rows written\n";
    }
  }
  flush_before(analytics::kLatestDay);
  cells.complete();
  k0.complete();
  phases.End("generate_and_copy");
  cells_tx.commit();
  k0_tx.commit();
  phases.End("commit");
  std::cerr << "indexing\n";
  pqxx::nontransaction index(cells_connection);
  index.exec("SET maintenance_work_mem = '512MB'");
  index.exec(
      "ALTER TABLE analytics.kpi_cells ADD CONSTRAINT kpi_cells_pkey PRIMARY KEY"
      " (administration_id, basis, day, kind, channel, priority, category, department_id,"
      " department_code, region_code)");
  phases.End("index_kpi_cells_pkey");
  index.exec("CREATE INDEX kpi_cells_recent ON analytics.kpi_cells (basis, day)");
  phases.End("index_kpi_cells_recent");
  index.exec("CREATE INDEX ON analytics_bench.k0_complaints (administration_id, receive_day)");
  phases.End("index_k0");
  index.exec("ANALYZE analytics_bench.k0_complaints; ANALYZE analytics.kpi_cells");
  phases.End("analyze");
  phases_json = phases.Json();
  return aggregate_rows;
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
          " FROM analytics_bench.k0_complaints WHERE administration_id = $1"
          " AND receive_day BETWEEN date '1970-01-01' + $2::int AND date '1970-01-01' + $3::int"
          " GROUP BY category),"
          " backlog AS (SELECT category, count(*) AS open FROM analytics_bench.k0_complaints"
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
  if (options.database.empty() || options.administrations < 1 || options.days < 300 ||
      options.calls < 1 || options.complaints < 1) {
    return absl::InvalidArgumentError(
        "--database is required; --days at least 300; --calls and --complaints at least 1");
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
      now = absl::FromUnixSeconds(
          tx.exec1("SELECT coalesce(obj_description('analytics_bench.k0_complaints'::regclass),"
                   " '0')")[0]
              .as<int64_t>());
      aggregate_rows = tx.exec1("SELECT count(*) FROM analytics.kpi_cells")[0].as<int64_t>();
      return absl::OkStatus();
    }));
  } else {
    try {
      ASSIGN_OR_RETURN(aggregate_rows, Load(options, now, zone, load_phases));
    } catch (const std::exception& error) {
      return absl::InternalError(absl::StrCat("load failed: ", error.what()));
    }
    RETURN_IF_ERROR(pool->Execute(absl::StrCat(
        "COMMENT ON TABLE analytics_bench.k0_complaints IS '", absl::ToUnixSeconds(now), "'")));
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
    const int a = static_cast<int>(random() % options.administrations);
    const bool past = call % 2 == 1;
    const int64_t end_day = today + 1 - (past ? 1 + static_cast<int64_t>(random() % 200) : 0);
    const absl::Time end = analytics::NoonOf(end_day, zone) - absl::Hours(12);
    const absl::Time start = end - absl::Hours(24 * 90);

    analytics::v1::GetKpisRequest request;
    request.mutable_query()->add_administration_ids(AdministrationId(a));
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
      expected = K0Figures(tx, AdministrationId(a), first_day, last_day, backlog_day);
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
                   options.complaints, options.administrations, options.days, aggregate_rows,
                   absl::ToDoubleSeconds(load_time), options.calls,
                   static_cast<double>(rows_answered) / options.calls, Percentile(kpi_ms, 0.5),
                   Percentile(kpi_ms, 0.9), kpi_p99, Percentile(k0_ms, 0.5), Percentile(k0_ms, 0.9),
                   k0_p99, kpi_p99 > 0 ? k0_p99 / kpi_p99 : 0, mismatches == 0 ? "true" : "false",
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
