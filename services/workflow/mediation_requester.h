#pragma once

#include "common/db/connection_pool.h"
#include "doleances/mediation/v1/mediation_service.grpc.pb.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>

namespace doleances::workflow {

// Delivers SendToMediation's requests to MediationService.OpenMediation. A request is a row
// written with the case's move to IN_MEDIATION; this sends each pending one, one transaction
// per request (the row stays locked during the call, so replicas never send one twice at once;
// OpenMediation is idempotent per complaint anyway), and on failure retries later with
// exponential backoff (1 s doubling to 5 min), so a request made while mediation is down is
// delivered once it is back, never lost.
class MediationRequester {
 public:
  // `api_key()`: the bearer key workflow calls mediation with (read at each attempt, so a key
  // issued after start-up or rotated is picked up); empty to call without one.
  MediationRequester(db::ConnectionPool& pool, std::shared_ptr<grpc::Channel> channel,
                     std::function<std::string()> api_key, std::function<absl::Time()> clock);

  // Sends the requests due at now, up to `limit`; returns how many mediation acknowledged.
  absl::StatusOr<int> SendDue(int limit = 50);

 private:
  // One request, if one is due: true if one was attempted.
  absl::StatusOr<bool> SendOne(int& acknowledged);

  db::ConnectionPool& pool_;
  std::unique_ptr<mediation::v1::MediationService::Stub> stub_;
  std::function<std::string()> api_key_;
  std::function<absl::Time()> clock_;
};

}  // namespace doleances::workflow
