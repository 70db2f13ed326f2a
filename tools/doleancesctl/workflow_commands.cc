#include "tools/doleancesctl/workflow_commands.h"

#include "doleances/workflow/v1/workflow_service.grpc.pb.h"

#include <absl/strings/match.h>
#include <absl/strings/numbers.h>
#include <grpcpp/grpcpp.h>

#include <functional>

namespace doleances::cli {
namespace {

using workflow::v1::WorkflowService;

std::unique_ptr<WorkflowService::Stub> WorkflowStub(const Invocation& invocation) {
  return WorkflowService::NewStub(OpenChannel(invocation, ServiceAddress(invocation, "workflow")));
}

// Runs `body` with the case id when the invocation names exactly one, else prints usage.
int WithCase(const Invocation& invocation, std::ostream& out, const std::string& usage,
             const std::function<int(const std::string& case_id)>& body) {
  if (invocation.words.size() != 2) {
    out << "usage: doleancesctl " << usage << "\n";
    return 2;
  }
  return body(invocation.words[1]);
}

int RunQueue(const Invocation& invocation, std::ostream& out) {
  workflow::v1::ListCasesRequest request;
  request.set_administration_id(invocation.Option("administration", "", ""));
  if (const std::string queue = invocation.Option("queue", "", ""); !queue.empty()) {
    request.add_queue_ids(queue);
  }
  if (const std::string state = invocation.Option("state", "", ""); !state.empty()) {
    type::v1::CaseState parsed = type::v1::CASE_STATE_UNSPECIFIED;
    type::v1::CaseState_Parse("CASE_STATE_" + state, &parsed);
    request.add_states(parsed);
  }
  request.set_unassigned_only(invocation.Option("unassigned", "", "") == "true");
  if (const std::string days = invocation.Option("breaching-within-days", "", ""); !days.empty()) {
    request.mutable_breaching_within()->set_seconds(
        IntOption(invocation, "breaching-within-days", 0) * 86400);
  }
  request.set_page_size(static_cast<int32_t>(IntOption(invocation, "page-size", 0)));
  request.set_page_token(invocation.Option("page-token", "", ""));
  workflow::v1::ListCasesResponse response;
  return Report(
      WorkflowStub(invocation)->ListCases(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunCase(const Invocation& invocation, std::ostream& out) {
  return WithCase(invocation, out, CaseCommand().usage, [&](const std::string& case_id) {
    workflow::v1::GetCaseRequest request;
    request.set_case_id(case_id);
    workflow::v1::GetCaseResponse response;
    return Report(
        WorkflowStub(invocation)->GetCase(CallContext(invocation).get(), request, &response),
        response, out);
  });
}

int RunClaim(const Invocation& invocation, std::ostream& out) {
  workflow::v1::ClaimNextCaseRequest request;
  if (const std::string queue = invocation.Option("queue", "", ""); !queue.empty()) {
    request.add_queue_ids(queue);
  }
  workflow::v1::ClaimNextCaseResponse response;
  return Report(
      WorkflowStub(invocation)->ClaimNextCase(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunTransition(const Invocation& invocation, std::ostream& out) {
  return WithCase(invocation, out, TransitionCommand().usage, [&](const std::string& case_id) {
    workflow::v1::TransitionCaseRequest request;
    request.set_case_id(case_id);
    request.set_expected_version(IntOption(invocation, "version", 0));
    type::v1::CaseState target = type::v1::CASE_STATE_UNSPECIFIED;
    type::v1::CaseState_Parse("CASE_STATE_" + invocation.Option("to", "", ""), &target);
    request.set_target_state(target);
    request.set_motive(invocation.Option("motive", "", ""));
    request.set_motive_code(invocation.Option("motive-code", "", ""));
    request.set_public_message(invocation.Option("message", "", ""));
    request.set_internal_note(invocation.Option("note", "", ""));
    workflow::v1::TransitionCaseResponse response;
    return Report(
        WorkflowStub(invocation)->TransitionCase(CallContext(invocation).get(), request, &response),
        response, out);
  });
}

int RunRespond(const Invocation& invocation, std::ostream& out) {
  return WithCase(invocation, out, RespondCommand().usage, [&](const std::string& case_id) {
    workflow::v1::RespondToCaseRequest request;
    request.set_case_id(case_id);
    request.set_expected_version(IntOption(invocation, "version", 0));
    if (const std::string template_id = invocation.Option("template", "", "");
        !template_id.empty()) {
      workflow::v1::TemplateContent* content = request.mutable_template_content();
      content->set_template_id(template_id);
      for (const auto& [name, value] : invocation.options) {
        if (absl::StartsWith(name, "value-")) {
          (*content->mutable_placeholder_values())[name.substr(6)] = value;
        }
      }
    } else {
      request.set_free_text(invocation.Option("text", "", ""));
    }
    request.set_validate_only(invocation.Option("validate-only", "", "") == "true");
    workflow::v1::RespondToCaseResponse response;
    return Report(
        WorkflowStub(invocation)->RespondToCase(CallContext(invocation).get(), request, &response),
        response, out);
  });
}

int RunNote(const Invocation& invocation, std::ostream& out) {
  return WithCase(invocation, out, NoteCommand().usage, [&](const std::string& case_id) {
    workflow::v1::AddCaseNoteRequest request;
    request.set_case_id(case_id);
    request.set_text(invocation.Option("text", "", ""));
    request.set_visibility(invocation.Option("public", "", "") == "true"
                               ? workflow::v1::VISIBILITY_PUBLIC
                               : workflow::v1::VISIBILITY_INTERNAL);
    workflow::v1::AddCaseNoteResponse response;
    return Report(
        WorkflowStub(invocation)->AddCaseNote(CallContext(invocation).get(), request, &response),
        response, out);
  });
}

int RunTransfer(const Invocation& invocation, std::ostream& out) {
  return WithCase(invocation, out, TransferCommand().usage, [&](const std::string& case_id) {
    workflow::v1::TransferCaseRequest request;
    request.set_case_id(case_id);
    request.set_expected_version(IntOption(invocation, "version", 0));
    request.set_target_administration_id(invocation.Option("to", "", ""));
    request.set_target_queue_id(invocation.Option("queue", "", ""));
    request.set_motive(invocation.Option("motive", "", ""));
    request.set_public_message(invocation.Option("message", "", ""));
    workflow::v1::TransferCaseResponse response;
    return Report(
        WorkflowStub(invocation)->TransferCase(CallContext(invocation).get(), request, &response),
        response, out);
  });
}

int RunDeadlines(const Invocation& invocation, std::ostream& out) {
  return WithCase(invocation, out, DeadlinesCommand().usage, [&](const std::string& case_id) {
    workflow::v1::ExplainDeadlinesRequest request;
    request.set_case_id(case_id);
    workflow::v1::ExplainDeadlinesResponse response;
    const grpc::Status status =
        WorkflowStub(invocation)
            ->ExplainDeadlines(CallContext(invocation).get(), request, &response);
    if (!status.ok()) {
      return Report(status, response, out);
    }
    // The steps read better as text than as JSON.
    for (const type::v1::DeadlineExplanation& explanation : response.explanations()) {
      out << type::v1::ClockKind_Name(explanation.clock()) << "\n";
      for (const std::string& step : explanation.steps()) {
        out << "  " << step << "\n";
      }
    }
    return 0;
  });
}

}  // namespace

Command QueueCommand() {
  return {
      "queue --administration=UUID [--queue=UUID] [--state=STATE] [--unassigned] "
      "[--breaching-within-days=N] [--page-size=N] [--page-token=T]",
      &RunQueue};
}

Command CaseCommand() { return {"case CASE_ID", &RunCase}; }

Command ClaimCommand() { return {"claim [--queue=UUID]", &RunClaim}; }

Command TransitionCommand() {
  return {
      "transition CASE_ID --to=STATE --version=N [--motive=...] [--motive-code=...] "
      "[--message=...] [--note=...]",
      &RunTransition};
}

Command RespondCommand() {
  return {
      "respond CASE_ID --version=N (--text=... | --template=UUID [--value-NAME=VALUE ...]) "
      "[--validate-only]",
      &RunRespond};
}

Command DeadlinesCommand() { return {"deadlines CASE_ID", &RunDeadlines}; }

Command NoteCommand() { return {"note CASE_ID --text=... [--public]", &RunNote}; }

Command TransferCommand() {
  return {
      "transfer CASE_ID --version=N --to=ADMINISTRATION --motive=... [--queue=UUID] "
      "[--message=...]",
      &RunTransfer};
}

}  // namespace doleances::cli
