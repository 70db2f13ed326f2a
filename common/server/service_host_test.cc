#include "common/server/service_host.h"

#include "common/testing/status_matchers.h"
#include "grpc/health/v1/health.grpc.pb.h"

#include <absl/strings/str_cat.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace doleances::server {
namespace {

using ::doleances::testing::IsOk;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

// GET /metrics over a plain socket: the endpoint is real HTTP served by prometheus-cpp.
std::string FetchMetrics(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = "GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n";
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) {
    response.append(buffer, n);
  }
  close(fd);
  return response;
}

ServerConfig LocalConfig() {
  ServerConfig config;
  config.service = "hosttest";
  config.grpc_address = "127.0.0.1:0";
  config.metrics_address = "127.0.0.1:0";
  config.database_url = "unused";
  config.shutdown_grace = absl::Seconds(1);
  return config;
}

grpc::Status CheckHealth(std::shared_ptr<grpc::Channel> channel, HealthCheckResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return Health::NewStub(channel)->Check(&context, HealthCheckRequest(), response);
}

TEST(ServiceHostTest, ServesHealthAndCountsCallsInMetrics) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Create(LocalConfig());
  ASSERT_THAT(host, IsOk());
  ASSERT_THAT((*host)->Start(), IsOk());
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*host)->grpc_port()),
                                     grpc::InsecureChannelCredentials());

  HealthCheckResponse response;
  ASSERT_TRUE(CheckHealth(channel, &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  EXPECT_THAT(FetchMetrics((*host)->metrics_port()),
              HasSubstr("doleances_hosttest_rpc_duration_seconds_count{code=\"OK\","
                        "method=\"Check\"} 1"));
}

TEST(ServiceHostTest, RefusesCallsAfterShutdown) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Create(LocalConfig());
  ASSERT_THAT(host, IsOk());
  ASSERT_THAT((*host)->Start(), IsOk());
  bool hook_ran = false;
  (*host)->OnShutdown([&] { hook_ran = true; });
  const int port = (*host)->grpc_port();
  (*host)->Shutdown();

  HealthCheckResponse response;
  EXPECT_FALSE(CheckHealth(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                               grpc::InsecureChannelCredentials()),
                           &response)
                   .ok());
  EXPECT_TRUE(hook_ran);
}

TEST(ServiceHostTest, BusyMetricsPortIsUnavailable) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> first = ServiceHost::Create(LocalConfig());
  ASSERT_THAT(first, IsOk());
  ServerConfig clash = LocalConfig();
  clash.metrics_address = absl::StrCat("127.0.0.1:", (*first)->metrics_port());

  EXPECT_EQ(ServiceHost::Create(clash).status().code(), absl::StatusCode::kUnavailable);
}

// A CA, a server certificate for localhost and a client certificate, made with the openssl
// command for each test run.
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(std::filesystem::temp_directory_path() /
                           ("doleances-tls-" + std::to_string(getpid())));
    std::filesystem::create_directories(*dir_);
    const std::string script = absl::StrCat(
        "cd ", *dir_, " && ",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca "
        "-keyout ca.key -out ca.pem && ",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key "
        "-out server.csr && ",
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext && ",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 "
        "-extfile san.ext -out server.pem && ",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=portal-lyon -keyout client.key "
        "-out client.csr && ",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 "
        "-out client.pem) >/dev/null 2>&1");
    ASSERT_EQ(std::system(("(" + script).c_str()), 0);
  }

  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::string Read(const std::string& name) {
    std::ifstream file(*dir_ + "/" + name);
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
  }

  std::unique_ptr<ServiceHost> StartHost(bool require_client_certificate) {
    ServerConfig config = LocalConfig();
    config.tls_cert_file = *dir_ + "/server.pem";
    config.tls_key_file = *dir_ + "/server.key";
    if (require_client_certificate) {
      config.tls_client_ca_file = *dir_ + "/ca.pem";
    }
    absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Create(config);
    EXPECT_THAT(host, IsOk());
    EXPECT_THAT((*host)->Start(), IsOk());
    return *std::move(host);
  }

  std::shared_ptr<grpc::Channel> Channel(int port, bool with_client_certificate) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read("ca.pem");
    if (with_client_certificate) {
      options.pem_private_key = Read("client.key");
      options.pem_cert_chain = Read("client.pem");
    }
    return grpc::CreateChannel(absl::StrCat("localhost:", port), grpc::SslCredentials(options));
  }

  static std::string* dir_;
};

std::string* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, ServerTlsAcceptsTlsClientsAndRefusesPlaintext) {
  std::unique_ptr<ServiceHost> host = StartHost(/*require_client_certificate=*/false);
  HealthCheckResponse response;

  EXPECT_TRUE(CheckHealth(Channel(host->grpc_port(), false), &response).ok());
  EXPECT_FALSE(CheckHealth(grpc::CreateChannel(absl::StrCat("localhost:", host->grpc_port()),
                                               grpc::InsecureChannelCredentials()),
                           &response)
                   .ok());
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateSignedByTheCa) {
  std::unique_ptr<ServiceHost> host = StartHost(/*require_client_certificate=*/true);
  HealthCheckResponse response;

  EXPECT_FALSE(CheckHealth(Channel(host->grpc_port(), false), &response).ok());
  EXPECT_TRUE(CheckHealth(Channel(host->grpc_port(), true), &response).ok());
}

TEST_F(TlsTest, UnreadableCertificateFileIsInvalidArgument) {
  ServerConfig config = LocalConfig();
  config.tls_cert_file = *dir_ + "/missing.pem";
  config.tls_key_file = *dir_ + "/server.key";
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Create(config);
  ASSERT_THAT(host, IsOk());

  EXPECT_EQ((*host)->Start().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace doleances::server
