// IntakeService over a real gRPC port and a real PostgreSQL database.
#include "services/intake/intake_service.h"

#include "common/db/transaction.h"
#include "common/events/event_consumer.h"
#include "common/testing/status_matchers.h"
#include "doleances/events/v1/events.pb.h"
#include "doleances/type/v1/errors.pb.h"
#include "services/intake/complaint_mapping.h"
#include "services/intake/intake_event_handler.h"
#include "services/intake/intake_service_fixture.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_replace.h>
#include <absl/time/clock.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <pqxx/pqxx>

#include <set>
#include <thread>

namespace doleances::intake {
namespace {

using ::doleances::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(IntakeServiceTest, SubmitStoresTheComplaintAndItsEventTogether) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &response).ok());

  EXPECT_EQ(response.complaint_id().size(), 36u);
  EXPECT_FALSE(response.tracking_code().empty());
  EXPECT_FALSE(response.replayed());
  EXPECT_GT(FromTimestamp(response.acknowledgement_due_time()),
            FromTimestamp(response.receive_time()));
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1);
  absl::StatusOr<std::string> payload =
      db::RunInTransaction(*pool_, "read_event", [&](pqxx::work& tx) {
        return absl::StatusOr<std::string>(
            pqxx::binarystring(tx.exec1("SELECT payload FROM events.event_log WHERE event_type ="
                                        " 'ComplaintReceived'")[0])
                .str());
      });
  ASSERT_THAT(payload, IsOk());
  events::v1::Event event;
  ASSERT_TRUE(event.ParseFromString(*payload));
  EXPECT_EQ(event.complaint_id(), response.complaint_id());
  EXPECT_EQ(event.complaint_received().category_hint(), "voirie");
  // Events carry no personal data: neither the citizen's words nor identity nor the code.
  EXPECT_THAT(*payload, Not(HasSubstr("Lampadaire")));
  EXPECT_THAT(*payload, Not(HasSubstr("Martin")));
  EXPECT_THAT(*payload, Not(HasSubstr(response.tracking_code())));
}

TEST_F(IntakeServiceTest, SameKeyAndContentReplaysTheOriginalAnswer) {
  v1::SubmitComplaintResponse first;
  v1::SubmitComplaintResponse replay;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &first).ok());
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &replay).ok());

  EXPECT_TRUE(replay.replayed());
  EXPECT_EQ(replay.complaint_id(), first.complaint_id());
  EXPECT_EQ(replay.tracking_code(), first.tracking_code());
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 1);
}

TEST_F(IntakeServiceTest, SameKeyWithOtherContentIsFailedPrecondition) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &response).ok());
  v1::SubmitComplaintRequest changed = ValidRequest("k-1");
  changed.mutable_complaint()->set_subject("Autre sujet");

  grpc::Status status = Submit(changed, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("idempotency_key"));
}

TEST_F(IntakeServiceTest, TenConcurrentCallsWithOneKeyCreateOneComplaint) {
  std::vector<v1::SubmitComplaintResponse> responses(10);
  std::vector<grpc::Status> statuses(10);
  std::vector<std::thread> callers;
  for (int i = 0; i < 10; ++i) {
    callers.emplace_back([&, i] { statuses[i] = Submit(ValidRequest("k-race"), &responses[i]); });
  }
  for (std::thread& caller : callers) {
    caller.join();
  }

  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    ids.insert(responses[i].complaint_id());
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 1);
}

TEST_F(IntakeServiceTest, ExternalReferenceIsAPermanentKey) {
  v1::SubmitComplaintRequest first = ValidRequest("k-1");
  first.mutable_complaint()->set_external_reference("GRC-2026-0001");
  v1::SubmitComplaintResponse original;
  ASSERT_TRUE(Submit(first, &original).ok());

  v1::SubmitComplaintRequest same_content = first;
  same_content.set_idempotency_key("k-2");
  v1::SubmitComplaintResponse replay;
  ASSERT_TRUE(Submit(same_content, &replay).ok());
  EXPECT_TRUE(replay.replayed());
  EXPECT_EQ(replay.complaint_id(), original.complaint_id());

  v1::SubmitComplaintRequest other_content = first;
  other_content.set_idempotency_key("k-3");
  other_content.mutable_complaint()->set_subject("Un autre problème");
  grpc::Status status = Submit(other_content, &replay);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr(original.complaint_id()));
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 1);
}

TEST_F(IntakeServiceTest, InvalidRequestNamesEveryFieldAndStoresNothing) {
  v1::SubmitComplaintRequest request = ValidRequest("");
  request.mutable_complaint()->set_subject("");
  request.mutable_complaint()->set_kind(static_cast<type::v1::ComplaintKind>(99));
  request.mutable_complaint()->mutable_territory()->set_commune_code("6912");
  v1::SubmitComplaintResponse response;

  grpc::Status status = Submit(request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"idempotency_key", "complaint.subject", "complaint.kind",
                            "complaint.territory.commune_code"}) {
    EXPECT_THAT(status.error_message(), HasSubstr(field));
  }
  type::v1::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  type::v1::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  EXPECT_GE(bad_request.field_violations_size(), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 0);
}

TEST_F(IntakeServiceTest, InvalidUtf8IsRejectedNotStored) {
  v1::SubmitComplaintRequest request = ValidRequest("k-1");
  request.mutable_complaint()->set_description(std::string("caf\xc3", 4));
  v1::SubmitComplaintResponse response;

  // Protobuf itself refuses invalid UTF-8 in a string field, on the client or on the server.
  EXPECT_FALSE(Submit(request, &response).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 0);
}

TEST_F(IntakeServiceTest, ValidateOnlyStoresNothing) {
  v1::SubmitComplaintRequest request = ValidRequest("k-1");
  request.set_validate_only(true);
  v1::SubmitComplaintResponse response;

  ASSERT_TRUE(Submit(request, &response).ok());
  EXPECT_TRUE(response.complaint_id().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 0);
}

TEST_F(IntakeServiceTest, SubmitterMayAddressOnlyItsAdministrations) {
  v1::SubmitComplaintRequest request = ValidRequest("k-1");
  request.mutable_complaint()->set_administration_id(kParis);
  v1::SubmitComplaintResponse response;

  EXPECT_EQ(Submit(request, &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IntakeServiceTest, EveryRpcRefusesCallersWithoutCredentials) {
  v1::SubmitComplaintResponse submit;
  EXPECT_EQ(stub_->SubmitComplaint(Context("").get(), ValidRequest("k"), &submit).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::SubmitComplaintsResponse bulk;
  EXPECT_EQ(stub_->SubmitComplaints(Context("").get(), {}, &bulk).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::GetComplaintResponse get;
  EXPECT_EQ(stub_->GetComplaint(Context("").get(), {}, &get).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::ListComplaintsResponse list;
  EXPECT_EQ(stub_->ListComplaints(Context("").get(), {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IntakeServiceTest, GetShowsTheComplaintToItsSubmitterOnly) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::GetComplaintRequest request;
  request.set_complaint_id(submitted.complaint_id());

  v1::GetComplaintResponse mine;
  ASSERT_TRUE(stub_->GetComplaint(Context(lyon_portal_key_).get(), request, &mine).ok());
  EXPECT_EQ(mine.complaint().citizen().family_name(), "Martin");
  EXPECT_EQ(mine.complaint().status(), type::v1::CASE_STATE_RECEIVED);
  EXPECT_EQ(mine.complaint().submitter_id(), "portal-lyon");

  v1::GetComplaintResponse theirs;
  EXPECT_EQ(stub_->GetComplaint(Context(other_portal_key_).get(), request, &theirs).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->GetComplaint(Context(agent_paris_key_).get(), request, &theirs).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(IntakeServiceTest, BatchGetAnswersVisibleComplaintsInOrderAndListsTheOthersAsMissing) {
  v1::SubmitComplaintResponse first, second;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &first).ok());
  ASSERT_TRUE(Submit(ValidRequest("k-2"), &second).ok());
  const std::string unknown = "00000000-0000-4000-8000-000000000000";
  v1::BatchGetComplaintsRequest request;
  for (const std::string& id :
       {second.complaint_id(), unknown, first.complaint_id(), second.complaint_id()}) {
    request.add_complaint_ids(id);
  }

  v1::BatchGetComplaintsResponse mine;
  ASSERT_TRUE(stub_->BatchGetComplaints(Context(lyon_portal_key_).get(), request, &mine).ok());
  ASSERT_EQ(mine.complaints_size(), 2);
  EXPECT_EQ(mine.complaints(0).complaint_id(), second.complaint_id());
  EXPECT_EQ(mine.complaints(1).complaint_id(), first.complaint_id());
  EXPECT_EQ(mine.complaints(1).citizen().family_name(), "Martin");
  EXPECT_THAT(mine.missing_complaint_ids(), ElementsAre(unknown));

  // Not visible is answered as unknown, never as an error that would leak existence.
  v1::BatchGetComplaintsResponse theirs;
  ASSERT_TRUE(stub_->BatchGetComplaints(Context(other_portal_key_).get(), request, &theirs).ok());
  EXPECT_EQ(theirs.complaints_size(), 0);
  EXPECT_THAT(theirs.missing_complaint_ids(),
              ElementsAre(second.complaint_id(), unknown, first.complaint_id()));
}

TEST_F(IntakeServiceTest, BatchGetRefusesNoIdsTooManyIdsAndMalformedOnesNamingTheField) {
  v1::BatchGetComplaintsResponse response;
  grpc::Status status = stub_->BatchGetComplaints(Context(lyon_portal_key_).get(), {}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("complaint_ids"));

  v1::BatchGetComplaintsRequest request;
  request.add_complaint_ids("00000000-0000-4000-8000-000000000000");
  request.add_complaint_ids("not-a-uuid");
  status = stub_->BatchGetComplaints(Context(lyon_portal_key_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("complaint_ids[1]"));

  request.clear_complaint_ids();
  for (int i = 0; i < 101; ++i) {
    request.add_complaint_ids("00000000-0000-4000-8000-000000000000");
  }
  status = stub_->BatchGetComplaints(Context(lyon_portal_key_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("complaint_ids"));
}

TEST_F(IntakeServiceTest, CitizenTracksTheFileWithTheCodeAsTyped) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::TrackComplaintRequest request;
  request.set_tracking_code(
      absl::AsciiStrToLower(absl::StrReplaceAll(submitted.tracking_code(), {{"-", ""}})));

  v1::TrackComplaintResponse response;
  ASSERT_TRUE(stub_->TrackComplaint(Context("").get(), request, &response).ok());
  EXPECT_EQ(response.tracking().complaint_id(), submitted.complaint_id());
  EXPECT_EQ(response.tracking().status(), type::v1::CASE_STATE_RECEIVED);
  ASSERT_EQ(response.tracking().deadlines_size(), 1);
  EXPECT_EQ(response.tracking().deadlines(0).clock(), type::v1::CLOCK_KIND_ACKNOWLEDGEMENT);
}

TEST_F(IntakeServiceTest, MistypedAndUnknownTrackingCodesAreNotFound) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  std::string typo = submitted.tracking_code();
  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  v1::TrackComplaintRequest request;
  request.set_tracking_code(typo);
  v1::TrackComplaintResponse response;

  EXPECT_EQ(stub_->TrackComplaint(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::SubmitComplaintResponse other;
  ASSERT_TRUE(Submit(ValidRequest("k-2"), &other).ok());
  ASSERT_THAT(pool_->Execute("DELETE FROM intake.idempotency_keys WHERE idempotency_key = 'k-2';"
                             "DELETE FROM intake.complaints WHERE tracking_code = '" +
                             other.tracking_code() + "'"),
              IsOk());
  request.set_tracking_code(other.tracking_code());
  EXPECT_EQ(stub_->TrackComplaint(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(IntakeServiceTest, ListPagesThroughOwnComplaintsWithoutGapsOrRepeats) {
  for (int i = 0; i < 7; ++i) {
    v1::SubmitComplaintResponse response;
    ASSERT_TRUE(Submit(ValidRequest(absl::StrCat("k-", i)), &response).ok());
  }
  v1::SubmitComplaintResponse foreign;
  v1::SubmitComplaintRequest other = ValidRequest("k-other");
  ASSERT_TRUE(Submit(other, &foreign, other_portal_key_).ok());

  std::set<std::string> seen;
  v1::ListComplaintsRequest request;
  request.set_page_size(3);
  int pages = 0;
  do {
    v1::ListComplaintsResponse page;
    ASSERT_TRUE(stub_->ListComplaints(Context(lyon_portal_key_).get(), request, &page).ok());
    for (const v1::Complaint& complaint : page.complaints()) {
      EXPECT_TRUE(seen.insert(complaint.complaint_id()).second) << "repeated across pages";
    }
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);

  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);
}

TEST_F(IntakeServiceTest, PageTokenOfAnotherQueryIsInvalidArgument) {
  for (int i = 0; i < 3; ++i) {
    v1::SubmitComplaintResponse response;
    ASSERT_TRUE(Submit(ValidRequest(absl::StrCat("k-", i)), &response).ok());
  }
  v1::ListComplaintsRequest request;
  request.set_page_size(1);
  v1::ListComplaintsResponse page;
  ASSERT_TRUE(stub_->ListComplaints(Context(lyon_portal_key_).get(), request, &page).ok());
  request.set_page_token(page.next_page_token());
  request.add_kinds(type::v1::COMPLAINT_KIND_SIGNALEMENT);

  EXPECT_EQ(stub_->ListComplaints(Context(lyon_portal_key_).get(), request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(IntakeServiceTest, BulkSubmissionAnswersEachItemInOrderAndIsolatesFailures) {
  v1::SubmitComplaintsRequest request;
  *request.add_requests() = ValidRequest("b-1");
  v1::SubmitComplaintRequest bad = ValidRequest("b-2");
  bad.mutable_complaint()->set_subject("");
  *request.add_requests() = bad;
  *request.add_requests() = ValidRequest("b-3");
  v1::SubmitComplaintsResponse response;

  ASSERT_TRUE(stub_->SubmitComplaints(Context(lyon_portal_key_).get(), request, &response).ok());
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_TRUE(response.results(0).has_response());
  ASSERT_TRUE(response.results(1).has_error());
  EXPECT_EQ(response.results(1).error().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(response.results(1).error().message(), HasSubstr("complaint.subject"));
  EXPECT_TRUE(response.results(2).has_response());
  EXPECT_EQ(response.results(2).index(), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 2);

  v1::SubmitComplaintsResponse again;
  ASSERT_TRUE(stub_->SubmitComplaints(Context(lyon_portal_key_).get(), request, &again).ok());
  EXPECT_TRUE(again.results(0).response().replayed());
  EXPECT_EQ(again.results(0).response().complaint_id(),
            response.results(0).response().complaint_id());
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 2);
}

TEST_F(IntakeServiceTest, BulkItemRefusedByTheDatabaseLeavesItsNeighboursStored) {
  v1::SubmitComplaintsRequest request;
  *request.add_requests() = ValidRequest("b-1");
  v1::SubmitComplaintRequest reused_key = ValidRequest("b-1");
  reused_key.mutable_complaint()->set_subject("Autre chose");
  *request.add_requests() = reused_key;
  *request.add_requests() = ValidRequest("b-3");
  v1::SubmitComplaintsResponse response;

  ASSERT_TRUE(stub_->SubmitComplaints(Context(lyon_portal_key_).get(), request, &response).ok());
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_TRUE(response.results(0).has_response());
  EXPECT_EQ(response.results(1).error().code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(response.results(2).has_response());
  EXPECT_EQ(Count("SELECT count(*) FROM intake.complaints"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log"), 2);
}

// Publishes `event` about `complaint_id` as workflow will.
void PublishFromWorkflow(db::ConnectionPool& pool, const std::string& complaint_id,
                         events::v1::Event event) {
  event.set_event_id(NewUuid());
  event.set_complaint_id(complaint_id);
  event.set_source(events::v1::EVENT_SOURCE_WORKFLOW);
  event.mutable_actor()->set_kind(type::v1::ACTOR_KIND_SYSTEM);
  *event.mutable_occur_time() = ToTimestamp(absl::Now());
  ASSERT_THAT(
      db::RunInTransaction(pool, "publish",
                           [&](pqxx::work& tx) {
                             return events::EventLog::Append(
                                 tx, {complaint_id, "WorkflowEvent", event.SerializeAsString()});
                           }),
      IsOk());
}

void PublishRouted(db::ConnectionPool& pool, const std::string& complaint_id) {
  events::v1::Event event;
  event.mutable_complaint_routed()->set_queue_id("q-voirie");
  PublishFromWorkflow(pool, complaint_id, event);
}

TEST_F(IntakeServiceTest, WatchReceivesAStatusChangeCommittedWhileItIsOpen) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  events::EventConsumer consumer(
      *pool_, {.group = kIntakeConsumerGroup, .after_commit = [this] { changes_.Notify(); }},
      &ApplyIntakeEvent);
  ASSERT_THAT(consumer.Register(), IsOk());
  consumer.Start();

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::WatchComplaintRequest request;
  request.set_tracking_code(submitted.tracking_code());  // The citizen: no credentials.
  std::unique_ptr<grpc::ClientReader<v1::WatchComplaintResponse>> stream =
      stub_->WatchComplaint(&context, request);
  v1::WatchComplaintResponse message;
  ASSERT_TRUE(stream->Read(&message));
  EXPECT_EQ(message.version(), 1);
  EXPECT_EQ(message.status(), type::v1::CASE_STATE_RECEIVED);

  PublishRouted(*pool_, submitted.complaint_id());
  notifier_.EventsCommitted();
  ASSERT_TRUE(stream->Read(&message));
  EXPECT_EQ(message.version(), 2);
  EXPECT_EQ(message.status(), type::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(message.previous_status(), type::v1::CASE_STATE_RECEIVED);
  EXPECT_EQ(message.history_entry().type(), v1::PUBLIC_HISTORY_ENTRY_TYPE_STATUS_CHANGED);

  context.TryCancel();
  while (stream->Read(&message)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  consumer.Stop();
  v1::TrackComplaintRequest track;
  track.set_tracking_code(submitted.tracking_code());
  v1::TrackComplaintResponse tracked;
  ASSERT_TRUE(stub_->TrackComplaint(Context("").get(), track, &tracked).ok());
  EXPECT_EQ(tracked.tracking().status(), type::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(tracked.tracking().version(), 2);
}

TEST_F(IntakeServiceTest, WatchEndsWithUnavailableWhenTheServerDrains) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::WatchComplaintRequest request;
  request.set_tracking_code(submitted.tracking_code());
  request.set_after_version(1);  // Already current: no first message.
  std::unique_ptr<grpc::ClientReader<v1::WatchComplaintResponse>> stream =
      stub_->WatchComplaint(&context, request);

  changes_.Drain();
  v1::WatchComplaintResponse message;
  EXPECT_FALSE(stream->Read(&message));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(IntakeServiceTest, CitizenWithdrawsOnceAndTheEventCarriesNoReason) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::WithdrawComplaintRequest request;
  request.set_tracking_code(submitted.tracking_code());
  request.set_reason("Le lampadaire a été réparé entre-temps");
  v1::WithdrawComplaintResponse response;

  ASSERT_TRUE(stub_->WithdrawComplaint(Context("").get(), request, &response).ok());
  EXPECT_EQ(response.status(), type::v1::CASE_STATE_WITHDRAWN);
  EXPECT_EQ(response.version(), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'ComplaintWithdrawn'"
                  " AND position('réparé' in convert_from(payload, 'LATIN1')) = 0"),
            1);
  EXPECT_EQ(stub_->WithdrawComplaint(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(IntakeServiceTest, WithdrawByIdNeedsARightToReadTheComplaint) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::WithdrawComplaintRequest request;
  request.set_complaint_id(submitted.complaint_id());
  v1::WithdrawComplaintResponse response;

  EXPECT_EQ(stub_->WithdrawComplaint(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      stub_->WithdrawComplaint(Context(other_portal_key_).get(), request, &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(stub_->WithdrawComplaint(Context(lyon_portal_key_).get(), request, &response).ok());
}

TEST_F(IntakeServiceTest, CitizenMessageIsStoredOncePerKeyAndAnnouncedWithoutItsText) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::AddCitizenMessageRequest request;
  request.set_tracking_code(submitted.tracking_code());
  request.set_text("Voici la photo demandée, prise ce matin.");
  request.set_idempotency_key("m-1");
  v1::AddCitizenMessageResponse first;
  v1::AddCitizenMessageResponse retry;

  ASSERT_TRUE(stub_->AddCitizenMessage(Context("").get(), request, &first).ok());
  ASSERT_TRUE(stub_->AddCitizenMessage(Context("").get(), request, &retry).ok());
  EXPECT_EQ(retry.message_id(), first.message_id());
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type ="
                  " 'CitizenMessageReceived' AND position('photo' in convert_from(payload,"
                  " 'LATIN1')) = 0"),
            1);

  v1::ListCitizenMessagesRequest list;
  list.set_complaint_id(submitted.complaint_id());
  v1::ListCitizenMessagesResponse messages;
  ASSERT_TRUE(stub_->ListCitizenMessages(Context(lyon_portal_key_).get(), list, &messages).ok());
  ASSERT_EQ(messages.messages_size(), 1);
  EXPECT_EQ(messages.messages(0).text(), request.text());
}

TEST_F(IntakeServiceTest, MessageOnAWithdrawnFileIsFailedPrecondition) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::WithdrawComplaintRequest withdraw;
  withdraw.set_tracking_code(submitted.tracking_code());
  v1::WithdrawComplaintResponse withdrawn;
  ASSERT_TRUE(stub_->WithdrawComplaint(Context("").get(), withdraw, &withdrawn).ok());
  v1::AddCitizenMessageRequest request;
  request.set_tracking_code(submitted.tracking_code());
  request.set_text("Finalement je voulais ajouter un détail.");
  v1::AddCitizenMessageResponse response;

  EXPECT_EQ(stub_->AddCitizenMessage(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(IntakeServiceTest, FeedbackIsAcceptedOnceAndOnlyAfterAResponse) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  v1::SubmitFeedbackRequest request;
  request.set_tracking_code(submitted.tracking_code());
  request.set_satisfaction(4);
  request.set_problem_solved(true);
  request.set_comment("Réponse rapide, merci.");
  v1::SubmitFeedbackResponse response;

  EXPECT_EQ(stub_->SubmitFeedback(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_THAT(db::RunInTransaction(*pool_, "respond",
                                   [&](pqxx::work& tx) {
                                     return PgComplaintStore::ApplyStatusChange(
                                                tx, submitted.complaint_id(),
                                                type::v1::CASE_STATE_RESPONDED,
                                                v1::PUBLIC_HISTORY_ENTRY_TYPE_RESPONSE,
                                                type::v1::ACTOR_KIND_AGENT, absl::Now())
                                         .status();
                                   }),
              IsOk());
  ASSERT_TRUE(stub_->SubmitFeedback(Context("").get(), request, &response).ok());
  EXPECT_EQ(stub_->SubmitFeedback(Context("").get(), request, &response).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM events.event_log WHERE event_type = 'FeedbackReceived'"),
            1);
}

TEST_F(IntakeServiceTest, FeedbackOutsideOneToFiveNamesTheField) {
  v1::SubmitFeedbackRequest request;
  request.set_tracking_code("AAAA-AAAA-AAAA-AA");
  request.set_satisfaction(6);
  v1::SubmitFeedbackResponse response;

  grpc::Status status = stub_->SubmitFeedback(Context("").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("satisfaction"));
}

TEST_F(IntakeServiceTest, PurgeForgetsOnlyIdempotencyKeysOlderThanTheRetention) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(ValidRequest("old"), &response).ok());
  ASSERT_TRUE(Submit(ValidRequest("new"), &response).ok());
  ASSERT_THAT(pool_->Execute("UPDATE intake.idempotency_keys SET created_at = now() -"
                             " interval '49 hours' WHERE idempotency_key = 'old'"),
              IsOk());

  absl::StatusOr<int64_t> purged = store_.PurgeIdempotencyKeys(absl::Hours(48));
  ASSERT_THAT(purged, IsOk());
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM intake.idempotency_keys WHERE idempotency_key = 'new'"), 1);
}

TEST_F(IntakeServiceTest, TrackingShowsMirroredClocksAndTheHistory) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(ValidRequest("k-1"), &submitted).ok());
  PublishRouted(*pool_, submitted.complaint_id());
  events::v1::Event started;
  started.mutable_clock_started()->set_clock(type::v1::CLOCK_KIND_FIRST_RESPONSE);
  *started.mutable_clock_started()->mutable_due_time() =
      ToTimestamp(absl::Now() + absl::Hours(24 * 14));
  PublishFromWorkflow(*pool_, submitted.complaint_id(), started);
  events::v1::Event paused;
  paused.mutable_clock_paused()->set_clock(type::v1::CLOCK_KIND_FIRST_RESPONSE);
  *paused.mutable_clock_paused()->mutable_pause_time() = ToTimestamp(absl::Now());
  PublishFromWorkflow(*pool_, submitted.complaint_id(), paused);
  events::EventConsumer consumer(*pool_, {.group = kIntakeConsumerGroup}, &ApplyIntakeEvent);
  ASSERT_THAT(consumer.Register(), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (consumer.MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
    ASSERT_THAT(consumer.PollOnce(), IsOk());
  }

  v1::TrackComplaintRequest request;
  request.set_tracking_code(submitted.tracking_code());
  v1::TrackComplaintResponse response;
  ASSERT_TRUE(stub_->TrackComplaint(Context("").get(), request, &response).ok());
  const v1::ComplaintTracking& tracking = response.tracking();
  EXPECT_EQ(tracking.status(), type::v1::CASE_STATE_ROUTED);
  ASSERT_EQ(tracking.history_entries_size(), 2);
  EXPECT_EQ(tracking.history_entries(1).status(), type::v1::CASE_STATE_ROUTED);
  ASSERT_EQ(tracking.deadlines_size(), 2);
  EXPECT_EQ(tracking.deadlines(1).clock(), type::v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(tracking.deadlines(1).state(), type::v1::CLOCK_STATE_PAUSED);
  EXPECT_TRUE(tracking.deadlines(1).has_due_time());
}

}  // namespace
}  // namespace doleances::intake
