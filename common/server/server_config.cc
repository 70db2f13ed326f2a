#include "common/server/server_config.h"

#include <absl/strings/match.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

#include <cstdlib>
#include <functional>
#include <map>

namespace doleances::server {
namespace {

// One setting: its flag name, its environment variable, and how to store a value.
struct Setting {
  std::string env;
  std::function<absl::Status(ServerConfig&, const std::string&)> set;
};

absl::Status SetPositiveInt(int& target, const std::string& name, const std::string& value) {
  int parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(name, " must be a positive integer"));
  }
  target = parsed;
  return absl::OkStatus();
}

absl::Status SetBool(bool& target, const std::string& name, const std::string& value) {
  if (value == "1" || value == "true" || value.empty()) {
    target = true;
  } else if (value == "0" || value == "false") {
    target = false;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(name, " must be true or false"));
  }
  return absl::OkStatus();
}

std::map<std::string, Setting> Settings() {
  auto text = [](std::string ServerConfig::*field) {
    return [field](ServerConfig& config, const std::string& value) {
      config.*field = value;
      return absl::OkStatus();
    };
  };
  return {
      {"grpc-address", {"DOLEANCES_GRPC_ADDRESS", text(&ServerConfig::grpc_address)}},
      {"metrics-address", {"DOLEANCES_METRICS_ADDRESS", text(&ServerConfig::metrics_address)}},
      {"database-url", {"DOLEANCES_DATABASE_URL", text(&ServerConfig::database_url)}},
      {"tls-cert", {"DOLEANCES_TLS_CERT", text(&ServerConfig::tls_cert_file)}},
      {"tls-key", {"DOLEANCES_TLS_KEY", text(&ServerConfig::tls_key_file)}},
      {"tls-client-ca", {"DOLEANCES_TLS_CLIENT_CA", text(&ServerConfig::tls_client_ca_file)}},
      {"db-pool-size",
       {"DOLEANCES_DB_POOL_SIZE",
        [](ServerConfig& config, const std::string& value) {
          return SetPositiveInt(config.db_pool_size, "db-pool-size", value);
        }}},
      {"dev-trust-header",
       {"DOLEANCES_DEV_TRUST_HEADER",
        [](ServerConfig& config, const std::string& value) {
          return SetBool(config.dev_trust_header, "dev-trust-header", value);
        }}},
      {"shutdown-grace-seconds",
       {"DOLEANCES_SHUTDOWN_GRACE_SECONDS",
        [](ServerConfig& config, const std::string& value) {
          int seconds = 0;
          absl::Status status = SetPositiveInt(seconds, "shutdown-grace-seconds", value);
          config.shutdown_grace = absl::Seconds(seconds);
          return status;
        }}},
  };
}

}  // namespace

absl::StatusOr<ServerConfig> LoadServerConfig(const std::string& service, DefaultPorts ports,
                                              const std::vector<std::string>& args) {
  ServerConfig config;
  config.service = service;
  config.grpc_address = absl::StrCat("0.0.0.0:", ports.grpc);
  config.metrics_address = absl::StrCat("0.0.0.0:", ports.metrics);
  const std::map<std::string, Setting> settings = Settings();
  for (const auto& [name, setting] : settings) {
    if (const char* value = std::getenv(setting.env.c_str()); value != nullptr) {
      if (absl::Status status = setting.set(config, value); !status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(setting.env, ": ", status.message()));
      }
    }
  }
  for (const std::string& arg : args) {
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? arg.npos : equals - 2);
    const std::string value = equals == std::string::npos ? "" : arg.substr(equals + 1);
    auto setting = settings.find(name);
    if (setting == settings.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (absl::Status status = setting->second.set(config, value); !status.ok()) {
      return status;
    }
  }
  if (config.database_url.empty()) {
    return absl::InvalidArgumentError("--database-url (or DOLEANCES_DATABASE_URL) is required");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }
  return config;
}

}  // namespace doleances::server
