// doleances-mediation: wires configuration, database, migrations and the gRPC service together.
#include "common/server/service_main.h"
#include "doleances/mediation/v1/mediation_service.grpc.pb.h"
#include "services/mediation/doleances_mediation_migrations.h"
#include "services/mediation/mediation_permissions.h"

#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("mediation", {50053, 9103});
  definition.migrations.push_back(&mediation::MediationMigrations());
  definition.wire = [](server::ServiceRuntime& runtime) {
    // The RPCs land with the mediation issue; until then each answers UNIMPLEMENTED.
    auto& service = runtime.Keep(std::make_unique<mediation::v1::MediationService::Service>());
    runtime.host().AddService(&service);
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
