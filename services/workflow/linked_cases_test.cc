// Linked cases and notes over real PostgreSQL and gRPC: a transfer to the competent
// administration, an appeal chain of complaints, and notes that change no state.
#include "services/workflow/workflow_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

constexpr char kParisDepartment[] = "77777777-7777-4777-8777-777777777777";
constexpr char kParisQueue[] = "88888888-8888-4888-8888-888888888888";
constexpr char kParisUrbanism[] = "99999999-9999-4999-8999-999999999999";

class LinkedCasesTest : public WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    // Paris: a reception queue by default, and an urbanism queue a transfer may name.
    ASSERT_THAT(pool_->Execute(absl::StrCat(
                    "INSERT INTO workflow.departments (department_id, administration_id, name)"
                    " VALUES ('",
                    kParisDepartment, "', '", kParis,
                    "', 'Relations usagers');"
                    "INSERT INTO workflow.queues (queue_id, administration_id, department_id,"
                    " name) VALUES ('",
                    kParisQueue, "', '", kParis, "', '", kParisDepartment, "', 'Accueil'), ('",
                    kParisUrbanism, "', '", kParis, "', '", kParisDepartment,
                    "', 'Urbanisme');"
                    "INSERT INTO workflow.default_queues VALUES ('",
                    kParis, "', '", kParisQueue, "')")),
                IsOk());
  }

  v1::TransferCaseRequest TransferRequest(const CaseRecord& record) {
    v1::TransferCaseRequest request;
    request.set_case_id(record.case_id);
    request.set_expected_version(record.version);
    request.set_target_administration_id(kParis);
    request.set_motive("La voirie de cette rue relève de la Ville de Paris.");
    return request;
  }

  std::vector<v1::CaseHistoryEntry> History(const std::string& case_id, const std::string& key,
                                            v1::CaseHistoryView view = v1::CASE_HISTORY_VIEW_FULL) {
    v1::GetCaseHistoryRequest request;
    request.set_case_id(case_id);
    request.set_view(view);
    v1::GetCaseHistoryResponse response;
    EXPECT_TRUE(stub_->GetCaseHistory(Call(key).get(), request, &response).ok());
    return {response.entries().begin(), response.entries().end()};
  }

  v1::Case GetCase(const std::string& case_id, const std::string& key) {
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    v1::GetCaseResponse response;
    EXPECT_TRUE(stub_->GetCase(Call(key).get(), request, &response).ok());
    return response.case_file();
  }

  static const type::v1::Deadline* Clock(const v1::Case& shown, type::v1::ClockKind kind) {
    for (const type::v1::Deadline& deadline : shown.deadlines()) {
      if (deadline.clock() == kind) {
        return &deadline;
      }
    }
    return nullptr;
  }

  grpc::Status AddNote(const CaseRecord& record, const std::string& key, v1::Visibility visibility,
                       const std::string& text, v1::AddCaseNoteResponse* response) {
    v1::AddCaseNoteRequest request;
    request.set_case_id(record.case_id);
    request.set_visibility(visibility);
    request.set_text(text);
    return stub_->AddCaseNote(Call(key).get(), request, response);
  }
};

TEST_F(LinkedCasesTest, ATransferEndsTheCaseAndOpensALinkedOneInTheCompetentAdministration) {
  // Received twelve days ago by Lyon, which is not competent.
  const absl::Time received = absl::Now() - absl::Hours(24 * 12);
  const std::string complaint =
      Receive({.kind = type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX, .receive_time = received});
  Route();
  CaseRecord lyon = *store_.GetByComplaint(complaint);
  v1::TransferCaseResponse transferred;
  const grpc::Status status =
      stub_->TransferCase(Call(supervisor_key_).get(), TransferRequest(lyon), &transferred);
  ASSERT_TRUE(status.ok()) << status.error_message();

  EXPECT_EQ(transferred.case_file().state(), type::v1::CASE_STATE_TRANSFERRED);
  EXPECT_THAT(transferred.case_file().child_case_ids(), ElementsAre(transferred.new_case_id()));
  const v1::Case paris = GetCase(transferred.new_case_id(), paris_key_);
  EXPECT_EQ(paris.complaint_id(), complaint);
  EXPECT_EQ(paris.administration_id(), kParis);
  EXPECT_EQ(paris.state(), type::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(paris.queue_id(), kParisQueue);
  EXPECT_EQ(paris.parent_case_id(), lyon.case_id);
  // The complaint's current case is now the one in Paris; Lyon's supervisors do not see it.
  EXPECT_EQ(store_.GetByComplaint(complaint)->case_id, paris.case_id());
  v1::GetCaseRequest hidden;
  hidden.set_case_id(paris.case_id());
  v1::GetCaseResponse ignored;
  EXPECT_EQ(stub_->GetCase(Call(supervisor_key_).get(), hidden, &ignored).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // CRPA L114-2: the implicit-decision deadline runs from the first receipt, the others from
  // the transfer.
  const type::v1::Deadline* statutory = Clock(paris, type::v1::CLOCK_KIND_STATUTORY_REPLY);
  ASSERT_NE(statutory, nullptr);
  EXPECT_EQ(FromTimestamp(statutory->start_time()),
            absl::FromUnixMicros(absl::ToUnixMicros(received)));
  const type::v1::Deadline* acknowledgement = Clock(paris, type::v1::CLOCK_KIND_ACKNOWLEDGEMENT);
  ASSERT_NE(acknowledgement, nullptr);
  EXPECT_GT(FromTimestamp(acknowledgement->start_time()), received + absl::Hours(24 * 11));
  // Lyon's clocks no longer run.
  const v1::Case ended = GetCase(lyon.case_id, supervisor_key_);
  for (const type::v1::Deadline& deadline : ended.deadlines()) {
    EXPECT_NE(deadline.state(), type::v1::CLOCK_STATE_RUNNING) << deadline.ShortDebugString();
  }

  // The events: CaseTransferred naming the notice the citizen is sent, then the new routing.
  const std::vector<events::v1::Event> transfers = EventsOfType("CaseTransferred");
  ASSERT_EQ(transfers.size(), 1u);
  const events::v1::CaseTransferred& event = transfers[0].case_transferred();
  EXPECT_EQ(event.new_case_id(), paris.case_id());
  EXPECT_EQ(event.from_administration_id(), kLyon);
  EXPECT_EQ(event.to_administration_id(), kParis);
  const std::vector<events::v1::Event> routed = EventsOfType("ComplaintRouted");
  ASSERT_EQ(routed.size(), 2u);
  EXPECT_EQ(routed[1].complaint_routed().parent_case_id(), lyon.case_id);
  EXPECT_GT(routed[1].aggregate_version(), transfers[0].aggregate_version());

  // Paris reads the full history: Lyon's entries first, then its own.
  const std::vector<v1::CaseHistoryEntry> history = History(paris.case_id(), paris_key_);
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history.front().case_id(), lyon.case_id);
  EXPECT_EQ(history.back().case_id(), paris.case_id());
  bool notice_found = false;
  for (const v1::CaseHistoryEntry& entry : history) {
    if (entry.entry_id() == event.history_entry_id()) {
      notice_found = true;
      EXPECT_EQ(entry.type(), v1::CASE_HISTORY_ENTRY_TYPE_TRANSFERRED);
      EXPECT_EQ(entry.related_id(), paris.case_id());
      EXPECT_THAT(entry.text(), HasSubstr("Ville de Paris"));  // Agents read the motive.
    }
  }
  EXPECT_TRUE(notice_found);
  // The citizen's view of the same entry (what intake shows) is the standard notice.
  notice_found = false;
  for (const v1::CaseHistoryEntry& entry :
       History(paris.case_id(), paris_key_, v1::CASE_HISTORY_VIEW_PUBLIC)) {
    if (entry.entry_id() == event.history_entry_id()) {
      notice_found = true;
      EXPECT_THAT(entry.text(), HasSubstr("L114-2"));
    }
  }
  EXPECT_TRUE(notice_found);
}

TEST_F(LinkedCasesTest, ATransferToANamedQueueIsManualAndBadTransfersChangeNothing) {
  const CaseRecord lyon = CaseInProgress();
  v1::TransferCaseResponse response;
  v1::TransferCaseRequest request = TransferRequest(lyon);

  request.set_target_administration_id(kLyon);
  grpc::Status status = stub_->TransferCase(Call(supervisor_key_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("target_administration_id"));

  request = TransferRequest(lyon);
  request.set_target_queue_id(kRoadsQueue);  // Lyon's, not Paris's.
  status = stub_->TransferCase(Call(supervisor_key_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("target_queue_id"));

  request = TransferRequest(lyon);
  request.clear_motive();
  EXPECT_EQ(stub_->TransferCase(Call(supervisor_key_).get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request = TransferRequest(lyon);
  request.set_expected_version(lyon.version - 1);
  EXPECT_EQ(stub_->TransferCase(Call(supervisor_key_).get(), request, &response).error_code(),
            grpc::StatusCode::ABORTED);
  // An agent who is not the assignee.
  EXPECT_EQ(
      stub_->TransferCase(Call(agent_key_).get(), TransferRequest(lyon), &response).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // Nothing of the refused attempts was written.
  EXPECT_EQ(store_.Get(lyon.case_id)->version, lyon.version);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.cases"), 1);
  EXPECT_TRUE(EventsOfType("CaseTransferred").empty());

  request = TransferRequest(lyon);
  request.set_target_queue_id(kParisUrbanism);
  request.set_public_message("Votre demande a été transmise au service de l'urbanisme de Paris.");
  status = stub_->TransferCase(Call(supervisor_key_).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::Case paris = GetCase(response.new_case_id(), paris_key_);
  EXPECT_EQ(paris.queue_id(), kParisUrbanism);
  EXPECT_EQ(EventsOfType("ComplaintRouted").back().complaint_routed().method(),
            type::v1::ROUTE_METHOD_MANUAL);
  // A transferred case is not transferred again.
  request.set_expected_version(response.case_file().version());
  EXPECT_EQ(stub_->TransferCase(Call(supervisor_key_).get(), request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LinkedCasesTest, AnAppealChainLinksEachCaseToTheEarlierOneWithItsOwnClocks) {
  const std::string first = Receive({.kind = type::v1::COMPLAINT_KIND_RECLAMATION});
  Route();
  const std::string gracieux =
      Receive({.kind = type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX, .related_complaint = first});
  Route();
  const std::string hierarchique = Receive(
      {.kind = type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE, .related_complaint = gracieux});
  Route();
  const CaseRecord first_case = *store_.GetByComplaint(first);
  const CaseRecord gracieux_case = *store_.GetByComplaint(gracieux);
  const CaseRecord hierarchique_case = *store_.GetByComplaint(hierarchique);
  EXPECT_EQ(gracieux_case.parent_case_id, first_case.case_id);
  EXPECT_EQ(hierarchique_case.parent_case_id, gracieux_case.case_id);
  EXPECT_THAT(first_case.child_case_ids, ElementsAre(gracieux_case.case_id));
  EXPECT_EQ(EventsOfType("ComplaintRouted").back().complaint_routed().parent_case_id(),
            gracieux_case.case_id);

  // The last case's history starts with the first case's.
  const std::vector<v1::CaseHistoryEntry> history =
      History(hierarchique_case.case_id, supervisor_key_);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].case_id(), first_case.case_id);
  EXPECT_EQ(history[1].case_id(), gracieux_case.case_id);
  EXPECT_EQ(history[2].case_id(), hierarchique_case.case_id);
  // Each case has its own statutory clock (the recourses) and acknowledgement.
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM workflow.case_clocks WHERE case_id = '",
                               hierarchique_case.case_id,
                               "' AND clock = ", type::v1::CLOCK_KIND_STATUTORY_REPLY)),
            1);
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM workflow.case_clocks WHERE case_id = '",
                               gracieux_case.case_id,
                               "' AND clock = ", type::v1::CLOCK_KIND_STATUTORY_REPLY)),
            1);

  // Replaying the log opens nothing more.
  events::EventConsumer replay(*pool_, {.group = "replay"}, &ApplyWorkflowEvent);
  ASSERT_THAT(replay.Register(), IsOk());
  while (replay.MeasureLag()->pending_events > 0) {
    ASSERT_THAT(replay.PollOnce(), IsOk());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.cases"), 3);
}

TEST_F(LinkedCasesTest, NotesChangeNoStateAndOnlyPublicOnesReachTheCitizen) {
  const CaseRecord record = CaseInProgress();
  v1::AddCaseNoteResponse internal;
  // Any agent of the administration may note; the case's version does not move.
  ASSERT_TRUE(
      AddNote(record, agent_key_, v1::VISIBILITY_INTERNAL, "Appelé le voisin.", &internal).ok());
  EXPECT_EQ(internal.entry().type(), v1::CASE_HISTORY_ENTRY_TYPE_INTERNAL_NOTE);
  EXPECT_EQ(internal.entry().version(), record.version);
  EXPECT_EQ(store_.Get(record.case_id)->version, record.version);

  // Writing to the citizen is the assignee's or a supervisor's.
  v1::AddCaseNoteResponse message;
  EXPECT_EQ(AddNote(record, agent_key_, v1::VISIBILITY_PUBLIC, "Bonjour", &message).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(AddNote(record, supervisor_key_, v1::VISIBILITY_PUBLIC,
                      "Nous avons transmis votre signalement à l'équipe de voirie.", &message)
                  .ok());
  const std::vector<events::v1::Event> posted = EventsOfType("CaseMessagePosted");
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].case_message_posted().history_entry_id(), message.entry().entry_id());

  // The public view has the message, not the note; the full view has both, in order.
  std::vector<std::string> public_texts;
  for (const v1::CaseHistoryEntry& entry :
       History(record.case_id, supervisor_key_, v1::CASE_HISTORY_VIEW_PUBLIC)) {
    public_texts.push_back(entry.text());
  }
  EXPECT_THAT(public_texts, ::testing::Contains(message.entry().text()));
  EXPECT_THAT(public_texts, ::testing::Not(::testing::Contains("Appelé le voisin.")));
  const std::vector<v1::CaseHistoryEntry> full = History(record.case_id, supervisor_key_);
  ASSERT_GE(full.size(), 2u);
  EXPECT_EQ(full[full.size() - 2].entry_id(), internal.entry().entry_id());
  EXPECT_EQ(full.back().entry_id(), message.entry().entry_id());

  // The version read before the notes still moves the case, and its entry comes after them.
  v1::TransitionCaseRequest request;
  request.set_case_id(record.case_id);
  request.set_expected_version(record.version);
  request.set_target_state(type::v1::CASE_STATE_AWAITING_CITIZEN);
  request.set_public_message("Pouvez-vous préciser l'adresse ?");
  v1::TransitionCaseResponse moved;
  ASSERT_TRUE(stub_->TransitionCase(Call(supervisor_key_).get(), request, &moved).ok());
  const std::string transitioned_entry =
      EventsOfType("CaseTransitioned").back().case_transitioned().history_entry_id();
  const std::vector<v1::CaseHistoryEntry> after = History(record.case_id, supervisor_key_);
  EXPECT_EQ(after.back().entry_id(), transitioned_entry);
  EXPECT_EQ(after.back().text(), "Pouvez-vous préciser l'adresse ?");

  // Bad input names its field.
  grpc::Status status = AddNote(record, supervisor_key_, v1::VISIBILITY_PUBLIC, "", &message);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("text"));
  status = AddNote(record, supervisor_key_, v1::VISIBILITY_UNSPECIFIED, "x", &message);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("visibility"));
  EXPECT_EQ(AddNote(record, paris_key_, v1::VISIBILITY_INTERNAL, "x", &message).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace doleances::workflow
