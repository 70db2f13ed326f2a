#pragma once

#include "common/auth/principal_store.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace doleances::testing {

// A gRPC server on a free loopback port serving `service`, shut down on destruction.
class LocalGrpcServer {
 public:
  explicit LocalGrpcServer(grpc::Service* service);
  ~LocalGrpcServer();

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Creates principal `id` with `roles` on `administrations` and returns a fresh API key for it
// ("dk_<id>_<secret>"); fails the test if the database refuses.
std::string IssueTestKey(auth::PrincipalStore& principals, const std::string& id,
                         std::vector<auth::Role> roles, std::vector<std::string> administrations);

}  // namespace doleances::testing
