#pragma once

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <cstdint>
#include <string>

namespace doleances::bench {

// The complaints of the GetKpis benchmark (tests/bench/analytics_kpi_bench.cc).
struct KpiFixtureOptions {
  int64_t complaints = 1000000;
  int administrations = 20;  // Sized like real ones: administration a gets a share ~ 1 / (a + 1).
  int days = 730;            // Received uniformly over the days before `now`.
  int threads = 2;           // Generating threads, each with COPY connections of its own.
};

// What a load did.
struct KpiFixtureLoad {
  int64_t aggregate_rows = 0;
  // Per phase, wall time and CPU of the bench and of the PostgreSQL cluster, as a JSON object:
  // {"generate_and_copy": {"wall_s": .., "bench_cpu_s": .., "server_cpu_s": ..}, ...}.
  std::string phases_json;
};

// Generates the complaints of `options` received before `now` and loads them into the migrated
// database at `url`: their aggregates into analytics.kpi_cells, whose contents it replaces
// (see kpi_batch_aggregator.h), and one row each into kK0Table (kpi_complaints.h), which it
// recreates; then builds the tables' indexes (the service's own on kpi_cells) and analyzes them.
// The same options and `now` give the same complaints, whatever the number of threads. INTERNAL
// when PostgreSQL fails.
absl::StatusOr<KpiFixtureLoad> LoadKpiFixture(const std::string& url,
                                              const KpiFixtureOptions& options, absl::Time now,
                                              absl::TimeZone zone);

}  // namespace doleances::bench
