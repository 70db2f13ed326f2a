#pragma once

#include <absl/status/status.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace grpc {
class Channel;
class ClientContext;
class Status;
}  // namespace grpc

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace doleances::cli {

// Parsed command line: positional words and --name=value options (a bare --name is "true").
struct Invocation {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;

  // The option's value, else the environment variable's, else `fallback`.
  std::string Option(const std::string& name, const std::string& env,
                     const std::string& fallback) const;
};

Invocation ParseInvocation(int argc, char** argv);

// The option's value as an integer; `fallback` when it is absent or not a number.
int64_t IntOption(const Invocation& invocation, const std::string& name, int64_t fallback);

// Where each service listens: --intake=host:port (DOLEANCES_INTAKE_ADDRESS), and so on.
std::string ServiceAddress(const Invocation& invocation, const std::string& service);

// A channel to `address`, plain or TLS (--tls-ca=ca.pem, DOLEANCES_TLS_CA).
std::shared_ptr<grpc::Channel> OpenChannel(const Invocation& invocation,
                                           const std::string& address);

// A client context with the call deadline (--timeout-seconds, default 10) and the caller's API
// key (--api-key, DOLEANCES_API_KEY) attached.
std::unique_ptr<grpc::ClientContext> CallContext(const Invocation& invocation);

// Prints `response` as JSON when `status` is OK, else the error; returns the exit code (0 or 1).
int Report(const grpc::Status& status, const google::protobuf::Message& response,
           std::ostream& out);

// One sub-command: runs with the invocation, writes its human output to `out`, and returns the
// process exit code.
struct Command {
  std::string usage;
  std::function<int(const Invocation&, std::ostream& out)> run;
};

}  // namespace doleances::cli
