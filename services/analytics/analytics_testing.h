#pragma once

#include "common/auth/authorizer.h"
#include "common/auth/principal_store.h"
#include "common/events/event_consumer.h"
#include "common/testing/grpc_testing.h"
#include "common/testing/pg_test_database.h"
#include "doleances/analytics/v1/analytics_service.grpc.pb.h"
#include "doleances/events/v1/events.pb.h"
#include "services/analytics/analytics_event_handler.h"
#include "services/analytics/analytics_service.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/time/time.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace doleances::analytics::testing {

// Events as the other services emit them, with a fresh event id each.
class EventFactory {
 public:
  explicit EventFactory(std::string administration_id)
      : administration_id_(std::move(administration_id)) {}

  events::v1::Event Base(const std::string& complaint_id, absl::Time at) const;
  events::v1::Event Received(const std::string& complaint_id, absl::Time at,
                             const std::string& category = "voirie",
                             const std::string& department_code = "69",
                             type::v1::ComplaintKind kind = type::v1::COMPLAINT_KIND_RECLAMATION,
                             type::v1::Channel channel = type::v1::CHANNEL_WEB_FORM) const;
  events::v1::Event Routed(const std::string& complaint_id, absl::Time at,
                           const std::string& category, const std::string& department_id,
                           std::vector<std::string> keywords = {}) const;
  events::v1::Event Transitioned(const std::string& complaint_id, absl::Time at,
                                 type::v1::CaseState from, type::v1::CaseState to) const;
  events::v1::Event Responded(const std::string& complaint_id, absl::Time at) const;
  events::v1::Event ClockStopped(const std::string& complaint_id, absl::Time at,
                                 type::v1::ClockKind clock, type::v1::ClockState state) const;
  events::v1::Event Breached(const std::string& complaint_id, absl::Time due,
                             type::v1::ClockKind clock) const;
  events::v1::Event Feedback(const std::string& complaint_id, absl::Time at, int satisfaction,
                             bool problem_solved) const;
  events::v1::Event Withdrawn(const std::string& complaint_id, absl::Time at) const;
  events::v1::Event Escalated(const std::string& complaint_id, absl::Time at) const;
  events::v1::Event MediationOpened(const std::string& complaint_id, absl::Time at) const;
  events::v1::Event MediationClosed(const std::string& complaint_id, absl::Time at) const;

 private:
  std::string administration_id_;
};

// A database with the events, auth and analytics schemas, the analytics consumer, and the
// service on a real port, at a fixed "now".
class AnalyticsTestEnvironment : public ::testing::Test {
 protected:
  static constexpr char kLyon[] = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b";
  static constexpr char kParis[] = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

  void SetUp() override;

  // Appends the events to the log in one transaction, in this order.
  void Publish(const std::vector<events::v1::Event>& events);
  // Runs the consumer until nothing is pending.
  void Drain();
  std::string MakeKey(const std::string& id, std::vector<auth::Role> roles,
                      std::vector<std::string> administrations);
  // A client context with `key` (none when empty) and a deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key);

  absl::TimeZone paris_;
  absl::Time now_;
  ::doleances::testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<auth::PrincipalStore> principals_;
  std::unique_ptr<auth::Authorizer> authorizer_;
  std::unique_ptr<PgAnalyticsStore> store_;
  std::unique_ptr<AnalyticsEventHandler> handler_;
  std::unique_ptr<events::EventConsumer> consumer_;
  std::unique_ptr<AnalyticsServiceImpl> service_;
  std::unique_ptr<::doleances::testing::LocalGrpcServer> server_;
  std::unique_ptr<v1::AnalyticsService::Stub> stub_;
  std::string analyst_key_;
};

}  // namespace doleances::analytics::testing
