// bench_noop_server: the G0 baseline, an empty unary handler behind the same ServiceHost the
// services use (interceptor, health, reflection, message limits, TLS when configured), so that
// the only difference with a service under load is the service's own work.
//   bench_noop_server [--grpc-address=127.0.0.1:0] [--metrics-address=127.0.0.1:0]
// Prints "port=N" once serving; stops on SIGTERM or SIGINT.
#include "common/server/server_config.h"
#include "common/server/service_host.h"

#include "doleances/bench/v1/noop.grpc.pb.h"

#include <iostream>

namespace {

class NoopServiceImpl final : public doleances::bench::v1::NoopService::Service {
  grpc::Status Noop(grpc::ServerContext*, const doleances::bench::v1::NoopRequest*,
                    doleances::bench::v1::NoopResponse*) override {
    return grpc::Status::OK;
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace doleances;
  server::BlockTerminationSignals();
  // The same configuration loader as the services; a placeholder URL because no database is used.
  std::vector<std::string> args(argv + 1, argv + argc);
  args.push_back("--database-url=unused");
  absl::StatusOr<server::ServerConfig> config =
      server::LoadServerConfig("noop", {.grpc = 0, .metrics = 0}, args);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> host = server::ServiceHost::Create(*config);
  if (!host.ok()) {
    std::cerr << host.status().message() << "\n";
    return 1;
  }
  NoopServiceImpl service;
  (*host)->AddService(&service);
  if (absl::Status started = (*host)->Start(); !started.ok()) {
    std::cerr << started.message() << "\n";
    return 1;
  }
  std::cout << "port=" << (*host)->grpc_port() << std::endl;
  (*host)->RunUntilSignalled();
  return 0;
}
