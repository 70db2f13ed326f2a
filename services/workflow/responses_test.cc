// Standard responses over real PostgreSQL and gRPC: versioned templates, rendering with what
// the case knows, and RespondToCase announcing the response and opening the appeal window.
#include "services/workflow/workflow_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace ::doleances::workflow::testing;

constexpr char kBody[] =
    "Madame, Monsieur,\nVotre recours reçu le {{receive_date}} par le service "
    "{{department_name}} est rejeté : {{motif}}. Vous pouvez saisir le tribunal administratif "
    "jusqu'au {{appeal_window_due_date}}.";

class ResponsesTest : public WorkflowTest {
 protected:
  v1::ResponseTemplate CreateTemplate(const std::string& name, const std::string& body,
                                      grpc::StatusCode expected = grpc::StatusCode::OK) {
    v1::CreateResponseTemplateRequest request;
    request.mutable_response_template()->set_administration_id(kLyon);
    request.mutable_response_template()->set_name(name);
    request.mutable_response_template()->set_body(body);
    v1::CreateResponseTemplateResponse response;
    EXPECT_EQ(
        stub_->CreateResponseTemplate(Call(admin_key_).get(), request, &response).error_code(),
        expected);
    return response.response_template();
  }

  v1::RespondToCaseRequest FromTemplate(const CaseRecord& record, const std::string& template_id,
                                        std::map<std::string, std::string> values) {
    v1::RespondToCaseRequest request;
    request.set_case_id(record.case_id);
    request.set_expected_version(record.version);
    request.mutable_template_content()->set_template_id(template_id);
    for (const auto& [name, value] : values) {
      (*request.mutable_template_content()->mutable_placeholder_values())[name] = value;
    }
    return request;
  }
};

TEST_F(ResponsesTest, TemplatesAreVersionedAndNamesUniqueAmongActiveOnes) {
  const v1::ResponseTemplate created = CreateTemplate("Rejet du recours", kBody);
  EXPECT_EQ(created.version(), 1);
  EXPECT_THAT(
      created.placeholder_names(),
      ::testing::ElementsAre("receive_date", "department_name", "motif", "appeal_window_due_date"));
  CreateTemplate("Rejet du recours", "Autre texte", grpc::StatusCode::ALREADY_EXISTS);
  CreateTemplate("Malformé", "Votre dossier {{numéro}}", grpc::StatusCode::INVALID_ARGUMENT);

  v1::UpdateResponseTemplateRequest update;
  *update.mutable_response_template() = created;
  update.mutable_response_template()->set_body("Nouveau texte : {{motif}}.");
  update.mutable_update_mask()->add_paths("body");
  v1::UpdateResponseTemplateResponse updated;
  ASSERT_TRUE(stub_->UpdateResponseTemplate(Call(admin_key_).get(), update, &updated).ok());
  EXPECT_EQ(updated.response_template().version(), 2);
  EXPECT_EQ(updated.response_template().template_id(), created.template_id());
  EXPECT_EQ(updated.response_template().name(), "Rejet du recours");
  EXPECT_EQ(stub_->UpdateResponseTemplate(Call(admin_key_).get(), update, &updated).error_code(),
            grpc::StatusCode::ABORTED);

  v1::GetResponseTemplateRequest get;
  get.set_template_id(created.template_id());
  get.set_version(1);
  v1::GetResponseTemplateResponse first;
  ASSERT_TRUE(stub_->GetResponseTemplate(Call(agent_key_).get(), get, &first).ok());
  EXPECT_EQ(first.response_template().body(), kBody);  // Earlier versions stay readable.

  v1::ArchiveResponseTemplateRequest archive;
  archive.set_template_id(created.template_id());
  v1::ArchiveResponseTemplateResponse archived;
  ASSERT_TRUE(stub_->ArchiveResponseTemplate(Call(admin_key_).get(), archive, &archived).ok());
  v1::ListResponseTemplatesRequest list;
  list.set_administration_id(kLyon);
  v1::ListResponseTemplatesResponse listed;
  ASSERT_TRUE(stub_->ListResponseTemplates(Call(agent_key_).get(), list, &listed).ok());
  EXPECT_EQ(listed.response_templates_size(), 0);
  list.set_include_archived(true);
  ASSERT_TRUE(stub_->ListResponseTemplates(Call(agent_key_).get(), list, &listed).ok());
  EXPECT_EQ(listed.response_templates_size(), 1);
  // The name is free again once archived.
  CreateTemplate("Rejet du recours", kBody);
}

TEST_F(ResponsesTest, RespondingRendersAnnouncesAndOpensTheAppealWindow) {
  const v1::ResponseTemplate rejection = CreateTemplate("Rejet", kBody);
  const CaseRecord record = CaseInProgress();
  v1::RespondToCaseResponse response;

  // The administration's own placeholder is required; workflow fills the others.
  const grpc::Status missing = stub_->RespondToCase(
      Call(supervisor_key_).get(), FromTemplate(record, rejection.template_id(), {}), &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(missing.error_message(), HasSubstr("placeholder_values[motif]"));

  v1::RespondToCaseRequest request =
      FromTemplate(record, rejection.template_id(), {{"motif", "la décision est fondée"}});
  request.set_validate_only(true);
  ASSERT_TRUE(stub_->RespondToCase(Call(supervisor_key_).get(), request, &response).ok());
  EXPECT_THAT(response.rendered_text(), HasSubstr("par le service Voirie et propreté"));
  EXPECT_THAT(response.rendered_text(), Not(HasSubstr("{{")));
  EXPECT_TRUE(response.response_id().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_responses"), 0);

  request.set_validate_only(false);
  ASSERT_TRUE(stub_->RespondToCase(Call(supervisor_key_).get(), request, &response).ok());
  EXPECT_EQ(response.case_file().state(), type::v1::CASE_STATE_RESPONDED);
  EXPECT_EQ(response.case_file().last_response_id(), response.response_id());
  const std::vector<events::v1::Event> responded = EventsOfType("ComplaintResponded");
  ASSERT_EQ(responded.size(), 1u);
  EXPECT_TRUE(responded[0].complaint_responded().first_response());
  EXPECT_EQ(responded[0].complaint_responded().template_version(), 1);
  EXPECT_EQ(responded[0].complaint_responded().department_id(), kDepartment);
  // No citizen-facing text in the event; intake reads it from the public history.
  EXPECT_THAT(responded[0].SerializeAsString(), Not(HasSubstr("fondée")));
  v1::GetCaseHistoryRequest history_request;
  history_request.set_case_id(record.case_id);
  history_request.set_view(v1::CASE_HISTORY_VIEW_PUBLIC);
  v1::GetCaseHistoryResponse history;
  ASSERT_TRUE(stub_->GetCaseHistory(Call(agent_key_).get(), history_request, &history).ok());
  EXPECT_EQ(history.entries(history.entries_size() - 1).text(), response.rendered_text());

  // The decision stops the statutory silence (met) and opens the citizen's appeal window, whose
  // due date is the one the letter announced.
  bool statutory_met = false;
  std::string appeal_due;
  for (const type::v1::Deadline& deadline : response.case_file().deadlines()) {
    statutory_met |= deadline.clock() == type::v1::CLOCK_KIND_STATUTORY_REPLY &&
                     deadline.state() == type::v1::CLOCK_STATE_MET;
    if (deadline.clock() == type::v1::CLOCK_KIND_APPEAL_WINDOW) {
      absl::TimeZone paris;
      ASSERT_TRUE(absl::LoadTimeZone("Europe/Paris", &paris));
      appeal_due = absl::FormatTime("%d/%m/%Y", FromTimestamp(deadline.due_time()), paris);
    }
  }
  EXPECT_TRUE(statutory_met);
  ASSERT_FALSE(appeal_due.empty());
  EXPECT_THAT(response.rendered_text(), HasSubstr("jusqu'au " + appeal_due));

  // A response on a stale version is refused and stores nothing.
  EXPECT_EQ(stub_->RespondToCase(Call(supervisor_key_).get(), request, &response).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_responses"), 1);
}

TEST_F(ResponsesTest, PlaceholdersWorkflowCannotKnowMustBeGiven) {
  const v1::ResponseTemplate acknowledgement =
      CreateTemplate("Accusé", "Votre dossier {{tracking_code}} est enregistré.");
  const CaseRecord record = CaseInProgress();
  v1::RespondToCaseResponse response;
  const grpc::Status unknown =
      stub_->RespondToCase(Call(supervisor_key_).get(),
                           FromTemplate(record, acknowledgement.template_id(), {}), &response);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(unknown.error_message(), HasSubstr("tracking_code"));
  ASSERT_TRUE(stub_
                  ->RespondToCase(Call(supervisor_key_).get(),
                                  FromTemplate(record, acknowledgement.template_id(),
                                               {{"tracking_code", "K7QX-M2PD-94T3"}}),
                                  &response)
                  .ok());
  EXPECT_EQ(response.rendered_text(), "Votre dossier K7QX-M2PD-94T3 est enregistré.");

  v1::RespondToCaseRequest free_text;
  free_text.set_case_id(record.case_id);
  free_text.set_expected_version(response.case_file().version());
  EXPECT_EQ(stub_->RespondToCase(Call(supervisor_key_).get(), free_text, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace doleances::workflow
