// doleances-analytics: wires configuration, database, migrations and the gRPC service together.
#include "common/server/service_main.h"
#include "doleances/analytics/v1/analytics_service.grpc.pb.h"
#include "services/analytics/analytics_permissions.h"
#include "services/analytics/doleances_analytics_migrations.h"

#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("analytics", {50054, 9104});
  definition.migrations.push_back(&analytics::AnalyticsMigrations());
  definition.wire = [](server::ServiceRuntime& runtime) {
    // The RPCs land with the analytics issue; until then each answers UNIMPLEMENTED.
    auto& service = runtime.Keep(std::make_unique<analytics::v1::AnalyticsService::Service>());
    runtime.host().AddService(&service);
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
