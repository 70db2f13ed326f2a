// Group commit of SubmitComplaint, over a real gRPC port and a real PostgreSQL database: batches
// of concurrent calls, each item isolated, nothing acknowledged that is not committed.
#include "services/intake/group_committer.h"

#include "common/testing/status_matchers.h"
#include "services/intake/intake_service_fixture.h"

#include <absl/strings/str_cat.h>
#include <absl/synchronization/notification.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace doleances::intake {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;

// Options under which `size` concurrent calls are committed as exactly one batch: it waits for
// them all (the window only matters if one never comes).
GroupCommitOptions OneBatchOf(int size) {
  return {.window = absl::Seconds(20), .max_batch = size, .committers = 1};
}

class GroupCommitTest : public IntakeServiceTest {
 protected:
  struct Outcome {
    grpc::Status status;
    v1::SubmitComplaintResponse response;
  };

  // Sends every request from its own thread at once and waits for all the answers.
  std::vector<Outcome> SubmitConcurrently(const std::vector<v1::SubmitComplaintRequest>& requests) {
    std::vector<Outcome> outcomes(requests.size());
    std::vector<std::thread> callers;
    for (size_t i = 0; i < requests.size(); ++i) {
      callers.emplace_back(
          [&, i] { outcomes[i].status = Submit(requests[i], &outcomes[i].response); });
    }
    for (std::thread& caller : callers) {
      caller.join();
    }
    return outcomes;
  }

  static v1::SubmitComplaintRequest WithReference(v1::SubmitComplaintRequest request,
                                                  const std::string& reference) {
    request.mutable_complaint()->set_external_reference(reference);
    return request;
  }
};

TEST_F(GroupCommitTest, ConflictingItemsOfABatchFailAloneAndTheirNeighboursAreStored) {
  v1::SubmitComplaintResponse original;
  ASSERT_TRUE(Submit(WithReference(ValidRequest("taken"), "GRC-TAKEN"), &original).ok());
  constexpr int kCallers = 24;
  StartService(OneBatchOf(kCallers));
  std::vector<v1::SubmitComplaintRequest> requests;
  for (int i = 0; i < kCallers; ++i) {
    requests.push_back(WithReference(ValidRequest(absl::StrCat("k-", i)), absl::StrCat("R-", i)));
  }
  // The reference of an earlier complaint, with other content.
  requests[3] = WithReference(ValidRequest("k-3"), "GRC-TAKEN");
  requests[3].mutable_complaint()->set_subject("Autre chose");
  // The key of an earlier complaint, with other content.
  requests[7] = ValidRequest("taken");
  requests[7].mutable_complaint()->set_subject("Encore autre chose");
  // Two items of the batch with one reference and different content: the second is refused.
  requests[11] = WithReference(ValidRequest("k-11"), "R-10");
  requests[11].mutable_complaint()->set_subject("Pas la même chose");

  const std::vector<Outcome> outcomes = SubmitConcurrently(requests);

  EXPECT_EQ(outcomes[3].status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(outcomes[3].status.error_message(), HasSubstr(original.complaint_id()));
  EXPECT_EQ(outcomes[7].status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Which of 10 and 11 came first in the batch decides which one is refused.
  EXPECT_NE(outcomes[10].status.ok(), outcomes[11].status.ok());
  std::set<std::string> ids;
  for (int i = 0; i < kCallers; ++i) {
    if (i == 3 || i == 7 || i == 10 || i == 11) {
      continue;
    }
    EXPECT_TRUE(outcomes[i].status.ok()) << i << ": " << outcomes[i].status.error_message();
    EXPECT_FALSE(outcomes[i].response.replayed());
    ids.insert(outcomes[i].response.complaint_id());
  }
  EXPECT_EQ(ids.size(), kCallers - 4u);
  EXPECT_EQ(committer_->stats().batches, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1 + kCallers - 3);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 1 + kCallers - 3);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.idempotency_keys"), 1 + kCallers - 3);
}

TEST_F(GroupCommitTest, ARowTheDatabaseRefusesFailsAloneAndItsNeighboursAreStored) {
  // A constraint only the database knows: the set insert fails, the batch goes item by item.
  ASSERT_THAT(pool_->Execute("ALTER TABLE intake.complaints ADD CONSTRAINT test_refuse"
                             " CHECK (category_hint <> 'refuse-me')"),
              IsOk());
  constexpr int kCallers = 8;
  StartService(OneBatchOf(kCallers));
  std::vector<v1::SubmitComplaintRequest> requests;
  for (int i = 0; i < kCallers; ++i) {
    requests.push_back(ValidRequest(absl::StrCat("k-", i)));
  }
  requests[5].mutable_complaint()->set_category_hint("refuse-me");

  const std::vector<Outcome> outcomes = SubmitConcurrently(requests);

  EXPECT_EQ(outcomes[5].status.error_code(), grpc::StatusCode::INTERNAL);
  for (int i = 0; i < kCallers; ++i) {
    if (i != 5) {
      EXPECT_TRUE(outcomes[i].status.ok()) << i << ": " << outcomes[i].status.error_message();
    }
  }
  EXPECT_EQ(committer_->stats().batches, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), kCallers - 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), kCallers - 1);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.idempotency_keys"), kCallers - 1);
}

TEST_F(GroupCommitTest, EveryAcknowledgedSubmissionIsCommittedWithItsEvent) {
  StartService({.window = absl::Milliseconds(1), .max_batch = 16, .committers = 2});
  constexpr int kCallers = 48;
  constexpr int kEach = 8;
  std::vector<std::vector<std::string>> acknowledged(kCallers);
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int n = 0; n < kEach; ++n) {
        v1::SubmitComplaintResponse response;
        if (Submit(ValidRequest(absl::StrCat("k-", c, "-", n)), &response).ok()) {
          acknowledged[c].push_back(response.complaint_id());
        }
      }
    });
  }
  for (std::thread& caller : callers) {
    caller.join();
  }

  std::set<std::string> ids;
  for (const std::vector<std::string>& mine : acknowledged) {
    ids.insert(mine.begin(), mine.end());
  }
  ASSERT_EQ(ids.size(), static_cast<size_t>(kCallers * kEach));
  for (const std::string& id : ids) {
    EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM intake.complaints c JOIN events.event_log e"
                                 " ON e.aggregate_id = c.complaint_id::text"
                                 " WHERE c.complaint_id = '",
                                 id, "'")),
              1);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), kCallers * kEach);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), kCallers * kEach);
  EXPECT_LT(committer_->stats().batches, kCallers * kEach) << "nothing was coalesced";
  EXPECT_EQ(committer_->stats().items, kCallers * kEach);
}

TEST_F(GroupCommitTest, ReplyLostAfterTheCommitIsRecoveredByRetryingWithTheSameKey) {
  // The first batch commits, then its reply is lost: the caller gives up (as after a crash or a
  // broken connection) before the service answers.
  absl::Notification committed;
  absl::Notification caller_gone;
  std::atomic<bool> first{true};
  StartService({.after_commit = [&] {
    if (first.exchange(false)) {
      committed.Notify();
      caller_gone.WaitForNotification();
    }
  }});
  std::unique_ptr<grpc::ClientContext> context = Context(lyon_portal_key_);
  v1::SubmitComplaintResponse lost;
  grpc::Status lost_status;
  std::thread caller(
      [&] { lost_status = stub_->SubmitComplaint(context.get(), ValidRequest("k-1"), &lost); });
  committed.WaitForNotification();
  context->TryCancel();
  caller.join();
  caller_gone.Notify();
  ASSERT_EQ(lost_status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(lost.complaint_id().empty());

  v1::SubmitComplaintResponse retry;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &retry).ok());

  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM intake.complaints WHERE complaint_id = '",
                               retry.complaint_id(), "' AND tracking_code = '",
                               retry.tracking_code(), "'")),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 1);
}

TEST_F(GroupCommitTest, OneKeyManyTimesInOneBatchYieldsOneComplaint) {
  constexpr int kCallers = 8;
  StartService(OneBatchOf(kCallers));
  std::vector<v1::SubmitComplaintRequest> requests(kCallers, ValidRequest("k-same"));
  requests[6].mutable_complaint()->set_subject("Autre contenu, même clé");

  const std::vector<Outcome> outcomes = SubmitConcurrently(requests);

  // The first of the batch decides what the key means; copies of other content are refused.
  const std::string& first_subject = outcomes[6].status.ok() ? requests[6].complaint().subject()
                                                             : requests[0].complaint().subject();
  std::set<std::string> ids;
  int stored = 0;
  for (int i = 0; i < kCallers; ++i) {
    if (requests[i].complaint().subject() != first_subject) {
      EXPECT_EQ(outcomes[i].status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << i;
      continue;
    }
    ASSERT_TRUE(outcomes[i].status.ok()) << i << ": " << outcomes[i].status.error_message();
    ids.insert(outcomes[i].response.complaint_id());
    stored += outcomes[i].response.replayed() ? 0 : 1;
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(committer_->stats().batches, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 1);
}

TEST_F(GroupCommitTest, OneKeyAndOneReferenceAcrossConcurrentBatchesYieldOneComplaintEach) {
  // Batches of two on four connections: the copies land in different, concurrent transactions.
  StartService({.max_batch = 2, .committers = 4});
  std::vector<v1::SubmitComplaintRequest> requests;
  for (int i = 0; i < 16; ++i) {
    requests.push_back(ValidRequest("k-same"));  // Same key, same content.
    requests.push_back(                          // Same reference and content under different keys.
        WithReference(ValidRequest(absl::StrCat("k-ref-", i)), "GRC-SAME"));
  }

  const std::vector<Outcome> outcomes = SubmitConcurrently(requests);

  std::set<std::string> by_key, by_reference;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].status.ok()) << i << ": " << outcomes[i].status.error_message();
    (i % 2 == 0 ? by_key : by_reference).insert(outcomes[i].response.complaint_id());
  }
  EXPECT_EQ(by_key.size(), 1u);
  EXPECT_EQ(by_reference.size(), 1u);
  EXPECT_GE(committer_->stats().batches, 16);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 2);
  // Every key of the reference's submissions answers with its one complaint.
  EXPECT_EQ(Count(absl::StrCat("SELECT count(DISTINCT complaint_id) FROM intake.idempotency_keys"
                               " WHERE idempotency_key LIKE 'k-ref-%'")),
            1);
}

}  // namespace
}  // namespace doleances::intake
