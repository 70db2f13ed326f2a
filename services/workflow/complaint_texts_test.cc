// IntakeComplaintTexts against a real intake service on a real port: what Prefetch fetched in one
// call is served by Text to the same thread without asking intake again, once.
#include "services/workflow/complaint_texts.h"

#include "common/testing/status_matchers.h"
#include "services/intake/intake_service_fixture.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;

class ComplaintTextsTest : public intake::IntakeServiceTest {};

TEST_F(ComplaintTextsTest, PrefetchedTextsAreServedOnceWithoutAskingIntakeAgain) {
  intake::v1::SubmitComplaintResponse first, second, other;
  ASSERT_TRUE(Submit(intake::ValidRequest("k-1"), &first).ok());
  ASSERT_TRUE(Submit(intake::ValidRequest("k-2"), &second).ok());
  ASSERT_TRUE(Submit(intake::ValidRequest("k-3"), &other).ok());
  std::string key = MakeKey("workflow", {auth::Role::kService}, {intake::kLyon});
  IntakeComplaintTexts texts(server_->channel(), [&key] { return key; });

  texts.Prefetch({first.complaint_id(), second.complaint_id()});
  // Another thread's prefetch is its own (each consumer member routes its batch in its thread).
  std::thread([&] { texts.Prefetch({other.complaint_id()}); }).join();
  key = "dk_revoked";  // From now on intake refuses every call of this source.

  absl::StatusOr<ComplaintText> text = texts.Text(first.complaint_id());
  ASSERT_THAT(text, IsOk());
  EXPECT_EQ(text->subject, intake::ValidRequest("k-1").complaint().subject());
  EXPECT_EQ(text->administration_id, intake::kLyon);
  EXPECT_THAT(texts.Text(second.complaint_id()), IsOk());
  // Prefetched by another thread only, or already taken: asked of intake, which now refuses.
  EXPECT_EQ(texts.Text(other.complaint_id()).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(texts.Text(first.complaint_id()).status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace doleances::workflow
