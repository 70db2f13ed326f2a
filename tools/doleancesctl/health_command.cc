#include "tools/doleancesctl/health_command.h"

#include "grpc/health/v1/health.grpc.pb.h"

#include <absl/strings/numbers.h>
#include <absl/time/clock.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

namespace doleances::cli {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// One probe: "SERVING", "NOT_SERVING", or the gRPC error that prevented an answer.
std::string Probe(const Invocation& invocation, const std::string& service) {
  std::unique_ptr<Health::Stub> stub =
      Health::NewStub(OpenChannel(invocation, ServiceAddress(invocation, service)));
  std::unique_ptr<grpc::ClientContext> context = CallContext(invocation);
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(context.get(), HealthCheckRequest(), &response);
  if (!status.ok()) {
    return "unreachable (" + status.error_message() + ")";
  }
  return HealthCheckResponse::ServingStatus_Name(response.status());
}

int Run(const Invocation& invocation, std::ostream& out) {
  std::vector<std::string> services(invocation.words.begin() + 1, invocation.words.end());
  if (services.empty()) {
    services = {"intake", "workflow", "mediation", "analytics"};
  }
  int wait_seconds = 0;
  if (!absl::SimpleAtoi(invocation.Option("wait-seconds", "", "0"), &wait_seconds)) {
    out << "--wait-seconds must be a number\n";
    return 2;
  }
  const absl::Time give_up = absl::Now() + absl::Seconds(wait_seconds);
  while (true) {
    std::vector<std::string> answers;
    bool all_serving = true;
    for (const std::string& service : services) {
      answers.push_back(Probe(invocation, service));
      all_serving = all_serving && answers.back() == "SERVING";
    }
    if (all_serving || absl::Now() >= give_up) {
      for (size_t i = 0; i < services.size(); ++i) {
        out << services[i] << "\t" << ServiceAddress(invocation, services[i]) << "\t" << answers[i]
            << "\n";
      }
      return all_serving ? 0 : 1;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
}

}  // namespace

Command HealthCommand() {
  return {"health [intake|workflow|mediation|analytics ...] [--wait-seconds=N]", &Run};
}

}  // namespace doleances::cli
