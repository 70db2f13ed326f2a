// doleances-workflow: wires configuration, database, migrations and the gRPC service together.
#include "common/server/service_main.h"
#include "doleances/workflow/v1/workflow_service.grpc.pb.h"
#include "services/workflow/doleances_workflow_migrations.h"
#include "services/workflow/workflow_permissions.h"

#include <memory>

int main(int argc, char** argv) {
  using namespace doleances;
  server::ServiceDefinition definition = server::StandardDefinition("workflow", {50052, 9102});
  definition.migrations.push_back(&workflow::WorkflowMigrations());
  definition.wire = [](server::ServiceRuntime& runtime) {
    // The RPCs land with the workflow issue; until then each answers UNIMPLEMENTED.
    auto& service = runtime.Keep(std::make_unique<workflow::v1::WorkflowService::Service>());
    runtime.host().AddService(&service);
    return absl::OkStatus();
  };
  return server::RunService(definition, argc, argv);
}
