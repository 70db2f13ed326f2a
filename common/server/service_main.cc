#include "common/server/service_main.h"

#include "common/auth/doleances_auth_migrations.h"
#include "common/auth/principal_store.h"
#include "common/events/doleances_events_migrations.h"
#include "common/events/event_consumer.h"
#include "common/events/event_log.h"
#include "common/log/log.h"

#include <absl/synchronization/mutex.h>

#include <iostream>
#include <utility>

namespace doleances::server {

ServiceRuntime::ServiceRuntime(ServerConfig config, std::unique_ptr<db::ConnectionPool> pool,
                               std::unique_ptr<ServiceHost> host)
    : config_(std::move(config)),
      pool_(std::move(pool)),
      notifier_(std::make_unique<events::CommitNotifier>(*pool_)),
      host_(std::move(host)) {}

ServiceRuntime::~ServiceRuntime() { host_.reset(); }

auth::Authorizer& ServiceRuntime::MakeAuthorizer(const auth::PermissionTable& permissions) {
  auth::PrincipalStore& principals = Keep(std::make_unique<auth::PrincipalStore>(*pool_));
  return Keep(std::make_unique<auth::Authorizer>(
      principals, permissions, auth::AuthOptions{.dev_trust_header = config_.dev_trust_header}));
}

ServiceDefinition StandardDefinition(std::string name, DefaultPorts ports) {
  ServiceDefinition definition;
  definition.name = std::move(name);
  definition.ports = ports;
  definition.migrations = {&events::EventsMigrations(), &auth::AuthMigrations()};
  definition.prepare_hooks = {&events::EventLog::PrepareStatements,
                              &events::EventConsumer::PrepareStatements,
                              &auth::PrincipalStore::PrepareStatements};
  return definition;
}

int RunService(const ServiceDefinition& definition, int argc, char** argv) {
  BlockTerminationSignals();
  // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detection on: a
  // lock-graph update on every acquisition, visible in intake's profile under load.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::StatusOr<ServerConfig> config = LoadServerConfig(
      definition.name, definition.ports, std::vector<std::string>(argv + 1, argv + argc));
  if (!config.ok()) {
    std::cerr << "doleances-" << definition.name << ": " << config.status().message() << "\n";
    return 2;
  }
  if (config->dev_trust_header) {
    log::Warning(
        "DEVELOPMENT MODE: x-doleances-dev-principal is trusted without credentials; "
        "never expose this process to a network",
        {{"service", definition.name}});
  }
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
      db::ConnectionPool::Create({.url = config->database_url,
                                  .size = config->db_pool_size,
                                  .application_name = "doleances-" + definition.name,
                                  .prepare_hooks = definition.prepare_hooks});
  if (!pool.ok()) {
    log::Error("cannot connect to the database", {{"error", pool.status().ToString()}});
    return 1;
  }
  for (const db::MigrationSet* migrations : definition.migrations) {
    if (absl::Status migrated = db::ApplyMigrations(**pool, *migrations); !migrated.ok()) {
      log::Error("migration failed",
                 {{"schema", migrations->schema}, {"error", migrated.ToString()}});
      return 1;
    }
  }
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Create(*config);
  if (!host.ok()) {
    log::Error("cannot start", {{"error", host.status().ToString()}});
    return 1;
  }
  ServiceRuntime runtime(*config, *std::move(pool), *std::move(host));
  if (absl::Status wired = definition.wire(runtime); !wired.ok()) {
    log::Error("cannot wire the service", {{"error", wired.ToString()}});
    return 1;
  }
  if (absl::Status started = runtime.host().Start(); !started.ok()) {
    log::Error("cannot start", {{"error", started.ToString()}});
    return 1;
  }
  runtime.host().RunUntilSignalled();
  return 0;
}

}  // namespace doleances::server
