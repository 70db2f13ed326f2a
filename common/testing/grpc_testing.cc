#include "common/testing/grpc_testing.h"

#include "common/testing/status_matchers.h"

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

namespace doleances::testing {

LocalGrpcServer::LocalGrpcServer(grpc::Service* service) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service);
  server_ = builder.BuildAndStart();
  channel_ =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
}

LocalGrpcServer::~LocalGrpcServer() {
  if (server_ != nullptr) {
    server_->Shutdown();
  }
}

std::string IssueTestKey(auth::PrincipalStore& principals, const std::string& id,
                         std::vector<auth::Role> roles, std::vector<std::string> administrations) {
  EXPECT_THAT(
      principals.UpsertPrincipal({id, std::move(roles), std::move(administrations)}, std::nullopt),
      IsOk());
  absl::StatusOr<auth::ApiKey> key = principals.IssueApiKey(id, std::nullopt);
  EXPECT_THAT(key, IsOk());
  return key.ok() ? auth::FormatApiKey(*key) : "";
}

}  // namespace doleances::testing
