#pragma once

#include "common/auth/authorizer.h"
#include "common/auth/principal_store.h"
#include "common/db/connection_pool.h"
#include "common/db/migrations.h"
#include "common/events/commit_notifier.h"
#include "common/server/server_config.h"
#include "common/server/service_host.h"

#include <absl/status/status.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace doleances::server {

// What a running service process is made of, handed to its wiring function.
class ServiceRuntime {
 public:
  ServiceRuntime(ServerConfig config, std::unique_ptr<db::ConnectionPool> pool,
                 std::unique_ptr<ServiceHost> host);
  ~ServiceRuntime();

  const ServerConfig& config() const { return config_; }
  db::ConnectionPool& pool() { return *pool_; }
  ServiceHost& host() { return *host_; }
  events::CommitNotifier& notifier() { return *notifier_; }

  // An authorizer for `permissions`, with the process's auth options; lives as long as the
  // runtime.
  auth::Authorizer& MakeAuthorizer(const auth::PermissionTable& permissions);

  // Keeps `object` alive until the process ends (after the server has stopped).
  template <typename T>
  T& Keep(std::unique_ptr<T> object) {
    T& kept = *object;
    kept_.push_back(std::shared_ptr<void>(std::move(object)));
    return kept;
  }

 private:
  ServerConfig config_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<events::CommitNotifier> notifier_;
  std::vector<std::shared_ptr<void>> kept_;
  std::unique_ptr<ServiceHost> host_;  // Declared last: stops first.
};

// Everything a service's main() declares about itself.
struct ServiceDefinition {
  std::string name;  // "intake": config, log and metric prefix.
  DefaultPorts ports;
  // Schemas to migrate at start, in order (shared ones such as events first).
  std::vector<const db::MigrationSet*> migrations;
  // Prepared statements of every component the service uses.
  std::vector<db::PrepareHook> prepare_hooks;
  // Creates the service implementations and registers them on runtime.host(); may start
  // consumers (stopping them with runtime.host().OnShutdown).
  std::function<absl::Status(ServiceRuntime& runtime)> wire;
};

// A definition with what every service shares: the events and auth schemas, and the prepared
// statements of the event log and the principal store.
ServiceDefinition StandardDefinition(std::string name, DefaultPorts ports);

// The whole life of a service process: load config (exit 2 with one clear line when invalid),
// connect, migrate, wire, serve until SIGTERM/SIGINT, shut down gracefully. Returns the exit code.
int RunService(const ServiceDefinition& definition, int argc, char** argv);

}  // namespace doleances::server
