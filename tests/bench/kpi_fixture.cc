#include "tests/bench/kpi_fixture.h"

#include "common/status/status_macros.h"
#include "services/analytics/pg_analytics_store.h"
#include "tests/bench/kpi_batch_aggregator.h"
#include "tests/bench/kpi_complaints.h"
#include "tests/bench/load_phases.h"
#include "tests/bench/pg_copy_writer.h"
#include "tests/bench/process_stats.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace doleances::bench {
namespace {

// Receive days generated before their complaints are aggregated: a month's worth keeps the sums
// of one dimension set in the cache, with ~120 MB of complaints per thread at 10M.
constexpr int kBatchDays = 30;

// Administrations split over `shards` with about the same number of complaints each.
std::vector<std::vector<int>> SplitAdministrations(int administrations, int shards) {
  std::vector<std::vector<int>> split(shards);
  std::vector<double> load(shards, 0);
  for (int a = 0; a < administrations; ++a) {  // Largest first.
    const int lightest =
        static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    split[lightest].push_back(a);
    load[lightest] += 1.0 / (a + 1);
  }
  return split;
}

// Generates and COPYs the complaints of `administrations`; returns the aggregate rows written.
absl::StatusOr<int64_t> LoadShard(const std::string& url, const KpiFixtureOptions& options,
                                  const std::vector<int>& administrations,
                                  const DimensionTable& table, absl::Time now, absl::TimeZone zone,
                                  bool report_progress) {
  ASSIGN_OR_RETURN(const std::unique_ptr<PgCopyWriter> cells_writer,
                   PgCopyWriter::Start(url, "",
                                       absl::StrCat("COPY analytics.kpi_cells (", kKpiCellsColumns,
                                                    ") FROM STDIN (FORMAT binary)")));
  ASSIGN_OR_RETURN(
      const std::unique_ptr<PgCopyWriter> k0_writer,
      PgCopyWriter::Start(url, "", absl::StrCat("COPY ", kK0Table, " FROM STDIN (FORMAT binary)")));
  double harmonic = 0;
  for (int a = 0; a < options.administrations; ++a) {
    harmonic += 1.0 / (a + 1);
  }
  // One random stream per administration: the complaints do not depend on the sharding.
  std::vector<std::mt19937_64> randoms;
  for (const int a : administrations) {
    randoms.emplace_back(42 + a);
  }
  std::uniform_real_distribution<double> unit(0, 1);
  ComplaintSource source;
  Shape shape;
  BatchAggregator aggregator(table, zone);
  std::vector<BatchedComplaint> batch;
  BinaryCopyRows cells, k0;
  int64_t aggregate_rows = 0;
  const absl::Time first = now - absl::Hours(24 * options.days);
  for (int day = 0; day < options.days; ++day) {
    for (size_t i = 0; i < administrations.size(); ++i) {
      const int a = administrations[i];
      const double share = static_cast<double>(options.complaints) / harmonic / (a + 1);
      const auto count = static_cast<int64_t>(share * (day + 1) / options.days) -
                         static_cast<int64_t>(share * day / options.days);
      for (int64_t n = 0; n < count; ++n) {
        const absl::Time receive = first + absl::Seconds((day + unit(randoms[i])) * 86400.0);
        BatchedComplaint& complaint = batch.emplace_back();
        source.Next(randoms[i], a, receive, now, complaint.fact, shape);
        complaint.dimensions = DimensionTable::IdOf(shape);
        complaint.fact.dimensions = table[complaint.dimensions];
        EncodeK0Row(complaint.fact, zone, k0);
        k0_writer->Write(k0);
      }
    }
    if ((day + 1) % kBatchDays == 0 || day + 1 == options.days) {
      const int64_t complete_before =
          day + 1 == options.days ? analytics::kLatestDay
                                  : analytics::DayNumber(first + absl::Hours(24 * (day + 1)), zone);
      aggregate_rows += aggregator.AddAndEncode(batch, complete_before, cells);
      cells_writer->Write(cells);
      batch.clear();
      if (report_progress) {
        std::cerr << "generated day " << day + 1 << "/" << options.days << "\n";
      }
    }
  }
  RETURN_IF_ERROR(cells_writer->Finish(cells));
  RETURN_IF_ERROR(k0_writer->Finish(k0));
  return aggregate_rows;
}

// Runs each list of statements on a connection of its own, all at once; the first error.
absl::Status RunConcurrently(const std::string& url,
                             const std::vector<std::vector<std::string>>& scripts) {
  std::vector<std::string> errors(scripts.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < scripts.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        pqxx::connection connection(url);
        pqxx::nontransaction tx(connection);
        for (const std::string& sql : scripts[i]) {
          tx.exec(sql);
        }
      } catch (const std::exception& error) {
        errors[i] = error.what();
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const std::string& error : errors) {
    if (!error.empty()) {
      return absl::InternalError(error);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<KpiFixtureLoad> LoadKpiFixture(const std::string& url,
                                              const KpiFixtureOptions& options, absl::Time now,
                                              absl::TimeZone zone) {
  std::optional<LoadPhases> phases;
  try {
    pqxx::connection connection(url);
    pqxx::nontransaction setup(connection);
    phases.emplace(ParentOf(setup.exec1("SELECT pg_backend_pid()")[0].as<int>()));
    // The indexes are built after the load, from sorted runs, rather than row by row. K0's
    // table is the bench's own and can be rebuilt: no WAL for it.
    setup.exec(absl::StrCat(
        "TRUNCATE analytics.kpi_cells, analytics.term_counts, analytics.complaint_facts;"
        "ALTER TABLE analytics.kpi_cells DROP CONSTRAINT IF EXISTS kpi_cells_pkey;"
        "DROP INDEX IF EXISTS analytics.kpi_cells_recent;"
        "CREATE SCHEMA IF NOT EXISTS analytics_bench;"
        "DROP TABLE IF EXISTS ",
        kK0Table, "; CREATE UNLOGGED TABLE ", kK0Table, " (", kK0Columns, ")"));
  } catch (const std::exception& error) {
    return absl::InternalError(absl::StrCat("fixture setup: ", error.what()));
  }
  phases->End("setup");  // Dropping an earlier fixture's files can take seconds.
  const DimensionTable table(options.administrations);
  const std::vector<std::vector<int>> shards =
      SplitAdministrations(options.administrations, std::max(1, options.threads));
  std::vector<absl::StatusOr<int64_t>> written(shards.size(), int64_t{0});
  std::vector<std::thread> threads;
  for (size_t i = 0; i < shards.size(); ++i) {
    threads.emplace_back(
        [&, i] { written[i] = LoadShard(url, options, shards[i], table, now, zone, i == 0); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  KpiFixtureLoad load;
  for (const absl::StatusOr<int64_t>& rows : written) {
    if (!rows.ok()) {
      return rows.status();
    }
    load.aggregate_rows += *rows;
  }
  phases->End("generate_and_copy");
  // Three builds at once on two cores: the primary key's sort is by far the longest, so it
  // may take a parallel worker once the other two are done.
  const std::string kpi_cells_pkey =
      "CREATE UNIQUE INDEX kpi_cells_pkey ON analytics.kpi_cells (administration_id, basis, day,"
      " kind, channel, priority, category, department_id, department_code, region_code)";
  RETURN_IF_ERROR(RunConcurrently(
      url, {{"SET maintenance_work_mem = '1GB'", "SET max_parallel_maintenance_workers = 1",
             kpi_cells_pkey,
             "ALTER TABLE analytics.kpi_cells ADD CONSTRAINT kpi_cells_pkey PRIMARY KEY"
             " USING INDEX kpi_cells_pkey"},
            {"SET maintenance_work_mem = '512MB'", "SET max_parallel_maintenance_workers = 0",
             "CREATE INDEX kpi_cells_recent ON analytics.kpi_cells (basis, day)"},
            {"SET maintenance_work_mem = '512MB'", "SET max_parallel_maintenance_workers = 0",
             absl::StrCat("CREATE INDEX ON ", kK0Table, " (administration_id, receive_day)"),
             absl::StrCat("ANALYZE ", kK0Table)}}));
  phases->End("indexes");
  RETURN_IF_ERROR(RunConcurrently(url, {{"ANALYZE analytics.kpi_cells"}}));
  phases->End("analyze");
  load.phases_json = phases->Json();
  return load;
}

}  // namespace doleances::bench
