#pragma once

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <string>
#include <vector>

namespace doleances::server {

// Startup configuration shared by every service, loaded once in main().
struct ServerConfig {
  std::string service;          // "intake", "workflow", ...: metric prefix and log field.
  std::string grpc_address;     // host:port; port 0 picks a free one.
  std::string metrics_address;  // host:port of the Prometheus /metrics endpoint.
  std::string database_url;     // libpq connection string.
  int db_pool_size = 8;
  std::string tls_cert_file;  // PEM; TLS is on when set (with tls_key_file).
  std::string tls_key_file;
  std::string tls_client_ca_file;  // PEM; when set, clients must present a certificate it signed.
  // Development only: trust the x-doleances-dev-principal header instead of real credentials.
  bool dev_trust_header = false;
  absl::Duration shutdown_grace = absl::Seconds(10);
};

// Ports a service listens on unless told otherwise.
struct DefaultPorts {
  int grpc;
  int metrics;
};

// Builds the configuration from defaults, then DOLEANCES_* environment variables, then
// command-line flags (--name=value), the later overriding the earlier:
//   --grpc-address / DOLEANCES_GRPC_ADDRESS       --metrics-address / DOLEANCES_METRICS_ADDRESS
//   --database-url / DOLEANCES_DATABASE_URL       --db-pool-size / DOLEANCES_DB_POOL_SIZE
//   --tls-cert, --tls-key, --tls-client-ca / DOLEANCES_TLS_CERT, _KEY, _CLIENT_CA
//   --dev-trust-header / DOLEANCES_DEV_TRUST_HEADER=1    --shutdown-grace-seconds
// INVALID_ARGUMENT, naming the flag, for an unknown flag, a malformed value, a missing database
// URL, or a TLS key without certificate.
absl::StatusOr<ServerConfig> LoadServerConfig(const std::string& service, DefaultPorts ports,
                                              const std::vector<std::string>& args);

}  // namespace doleances::server
