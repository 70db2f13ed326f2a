#include "common/server/server_config.h"

#include "common/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace doleances::server {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::HasSubstr;

class ServerConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"DOLEANCES_DATABASE_URL", "DOLEANCES_GRPC_ADDRESS",
                             "DOLEANCES_DB_POOL_SIZE", "DOLEANCES_DEV_TRUST_HEADER"}) {
      unsetenv(name);
    }
  }
};

TEST_F(ServerConfigTest, DefaultsComeFromTheServicePorts) {
  absl::StatusOr<ServerConfig> config =
      LoadServerConfig("intake", {50051, 9101}, {"--database-url=dbname=x"});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->grpc_address, "0.0.0.0:50051");
  EXPECT_EQ(config->metrics_address, "0.0.0.0:9101");
  EXPECT_FALSE(config->dev_trust_header);
}

TEST_F(ServerConfigTest, FlagsOverrideEnvironment) {
  setenv("DOLEANCES_DATABASE_URL", "dbname=from_env", 1);
  setenv("DOLEANCES_DB_POOL_SIZE", "3", 1);
  absl::StatusOr<ServerConfig> config =
      LoadServerConfig("intake", {50051, 9101}, {"--db-pool-size=5"});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->database_url, "dbname=from_env");
  EXPECT_EQ(config->db_pool_size, 5);
}

TEST_F(ServerConfigTest, MissingDatabaseUrlIsNamed) {
  EXPECT_THAT(LoadServerConfig("intake", {50051, 9101}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--database-url")));
}

TEST_F(ServerConfigTest, UnknownFlagIsNamed) {
  EXPECT_THAT(LoadServerConfig("intake", {50051, 9101}, {"--database-url=x", "--colour=blue"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--colour")));
}

TEST_F(ServerConfigTest, MalformedNumberIsNamed) {
  EXPECT_THAT(LoadServerConfig("intake", {50051, 9101}, {"--database-url=x", "--db-pool-size=0"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("db-pool-size")));
}

TEST_F(ServerConfigTest, TlsKeyWithoutCertificateIsRefused) {
  EXPECT_THAT(LoadServerConfig("intake", {50051, 9101}, {"--database-url=x", "--tls-key=k.pem"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--tls-cert")));
}

}  // namespace
}  // namespace doleances::server
