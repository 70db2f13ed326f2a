// bench_noop_server: the G0 baseline, an empty unary handler behind the same ServiceHost the
// services use (interceptor, health, reflection, message limits, TLS when configured), so that
// the only difference with a service under load is the service's own work.
//   bench_noop_server [--callback] [--grpc-address=127.0.0.1:0] [--metrics-address=127.0.0.1:0]
// --callback serves the handler through gRPC's callback API instead of the synchronous one, to
// measure what the choice of API alone costs (docs/decisions/0009-intake-callback-api.md).
// Prints "port=N" once serving; stops on SIGTERM or SIGINT.
#include "common/server/server_config.h"
#include "common/server/service_host.h"

#include "doleances/bench/v1/noop.grpc.pb.h"

#include <algorithm>
#include <iostream>

namespace {

class NoopServiceImpl final : public doleances::bench::v1::NoopService::Service {
  grpc::Status Noop(grpc::ServerContext*, const doleances::bench::v1::NoopRequest*,
                    doleances::bench::v1::NoopResponse*) override {
    return grpc::Status::OK;
  }
};

class CallbackNoopServiceImpl final : public doleances::bench::v1::NoopService::CallbackService {
  grpc::ServerUnaryReactor* Noop(grpc::CallbackServerContext* context,
                                 const doleances::bench::v1::NoopRequest*,
                                 doleances::bench::v1::NoopResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace doleances;
  server::BlockTerminationSignals();
  // The same configuration loader as the services; a placeholder URL because no database is used.
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto callback = std::find(args.begin(), args.end(), "--callback");
  const bool use_callback = callback != args.end();
  if (use_callback) {
    args.erase(callback);
  }
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
  NoopServiceImpl sync_service;
  CallbackNoopServiceImpl callback_service;
  if (use_callback) {
    (*host)->AddService(&callback_service);
  } else {
    (*host)->AddService(&sync_service);
  }
  if (absl::Status started = (*host)->Start(); !started.ok()) {
    std::cerr << started.message() << "\n";
    return 1;
  }
  std::cout << "port=" << (*host)->grpc_port() << std::endl;
  (*host)->RunUntilSignalled();
  return 0;
}
