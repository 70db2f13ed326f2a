// doleances-intake: wires configuration, database, migrations and the gRPC service together.
#include "common/server/service_main.h"
#include "doleances/intake/v1/intake_service.grpc.pb.h"
#include "services/intake/doleances_intake_migrations.h"
#include "services/intake/intake_permissions.h"

#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("intake", {50051, 9101});
  definition.migrations.push_back(&intake::IntakeMigrations());
  definition.wire = [](server::ServiceRuntime& runtime) {
    // The RPCs land with the intake issue; until then each answers UNIMPLEMENTED.
    auto& service = runtime.Keep(std::make_unique<intake::v1::IntakeService::Service>());
    runtime.host().AddService(&service);
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
