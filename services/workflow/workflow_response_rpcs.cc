// WorkflowService RPCs of standard responses: templates and RespondToCase.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "common/util/uuid.h"
#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/clock_engine.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/offset_paging.h"
#include "services/workflow/pg_clock_store.h"
#include "services/workflow/pg_template_store.h"
#include "services/workflow/template_rendering.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <pqxx/pqxx>

#include <algorithm>

namespace doleances::workflow {
namespace {

constexpr size_t kMaxBodyBytes = 65536;
constexpr size_t kMaxValueBytes = 10000;
constexpr int kMaxAttachments = 20;

grpc::Status Fail(const absl::Status& status) { return common::ToGrpcStatus(status); }

// Field violations of a template's mutable fields; fills in placeholder_names when valid.
std::vector<common::FieldViolation> ValidateTemplate(v1::ResponseTemplate& candidate) {
  std::vector<common::FieldViolation> violations;
  const std::string prefix = "response_template.";
  if (candidate.name().empty() || candidate.name().size() > 200) {
    violations.push_back({prefix + "name", "must be 1-200 characters"});
  }
  if (candidate.category().size() > 100) {
    violations.push_back({prefix + "category", "at most 100 characters"});
  }
  for (int kind : candidate.kinds()) {
    if (kind == 0 || !type::v1::ComplaintKind_IsValid(kind)) {
      violations.push_back({prefix + "kinds", "unknown complaint kind"});
      break;
    }
  }
  if (candidate.body().empty() || candidate.body().size() > kMaxBodyBytes) {
    violations.push_back({prefix + "body", "must be 1 to 65,536 bytes"});
  } else if (absl::StatusOr<std::vector<std::string>> names = PlaceholderNames(candidate.body());
             !names.ok()) {
    violations.push_back({prefix + "body", std::string(names.status().message())});
  } else {
    candidate.clear_placeholder_names();
    for (const std::string& name : *names) {
      candidate.add_placeholder_names(name);
    }
  }
  if (candidate.language_code().empty()) {
    candidate.set_language_code("fr");
  }
  return violations;
}

// A due date as a French letter writes it.
std::string FrenchDate(absl::Time time, absl::TimeZone zone) {
  return absl::FormatTime("%d/%m/%Y", time, zone);
}

// What a rendering needs, read in one transaction.
struct RenderContext {
  v1::ResponseTemplate template_;
  std::map<std::string, std::string> automatic;
  bool first_response = true;
};

absl::StatusOr<RenderContext> LoadRenderContext(pqxx::transaction_base& tx,
                                                const CaseRecord& record,
                                                const v1::TemplateContent* content,
                                                absl::Time now) {
  RenderContext context;
  if (content != nullptr) {
    std::optional<v1::ResponseTemplate> found =
        PgTemplateStore::Get(tx, content->template_id(), content->template_version());
    if (!found.has_value() || found->administration_id() != record.administration_id) {
      return absl::NotFoundError(absl::StrCat("template ", content->template_id(), " (version ",
                                              content->template_version(),
                                              ") not found for this administration"));
    }
    if (found->state() == v1::RESPONSE_TEMPLATE_STATE_ARCHIVED) {
      return absl::FailedPreconditionError(
          absl::StrCat("template ", content->template_id(), " is archived"));
    }
    context.template_ = *std::move(found);
  }
  context.first_response =
      tx.exec_params("SELECT 1 FROM workflow.case_responses WHERE case_id = $1 LIMIT 1",
                     record.case_id)
          .empty();
  absl::StatusOr<ClockKeeper::Snapshot> snapshot = ClockKeeper::Load(tx, record);
  if (!snapshot.ok()) {
    return snapshot.status();
  }
  const absl::TimeZone zone = snapshot->calendar->time_zone();
  context.automatic["receive_date"] = FrenchDate(record.receive_time, zone);
  if (record.department_id.has_value()) {
    const pqxx::result department = tx.exec_params(
        "SELECT name FROM workflow.departments WHERE department_id = $1", *record.department_id);
    if (!department.empty()) {
      context.automatic["department_name"] = department[0][0].as<std::string>();
      context.automatic["agent_service"] = department[0][0].as<std::string>();
    }
  }
  for (const ClockRecord& clock : snapshot->clocks) {
    if (clock.clock == type::v1::CLOCK_KIND_STATUTORY_REPLY && clock.due_time.has_value()) {
      context.automatic["statutory_reply_due_date"] = FrenchDate(*clock.due_time, zone);
    }
  }
  // The response is the decision that opens the appeal window: its due date as of now.
  const std::vector<v1::DeadlinePolicy> policies =
      PgClockStore::LoadPolicies(tx, record.administration_id);
  if (std::optional<ResolvedPolicy> window =
          ResolvePolicy(policies, type::v1::CLOCK_KIND_APPEAL_WINDOW,
                        {record.kind, record.category, record.priority});
      window.has_value()) {
    ClockRecord prospective;
    prospective.clock = type::v1::CLOCK_KIND_APPEAL_WINDOW;
    prospective.spec = window->spec;
    prospective.start_time = now;
    const ClockEngine engine(*snapshot->calendar,
                             [](type::v1::ClockKind) { return std::optional<ResolvedPolicy>(); });
    if (absl::StatusOr<calendar::Deadline> due = engine.Compute(prospective);
        due.ok() && due->due.has_value()) {
      context.automatic["appeal_window_due_date"] = FrenchDate(*due->due, zone);
    }
  }
  return context;
}

}  // namespace

grpc::Status WorkflowServiceImpl::CreateResponseTemplate(
    grpc::ServerContext* context, const v1::CreateResponseTemplateRequest* request,
    v1::CreateResponseTemplateResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "CreateResponseTemplate");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  v1::ResponseTemplate candidate = request->response_template();
  std::vector<common::FieldViolation> violations = ValidateTemplate(candidate);
  if (candidate.administration_id().empty()) {
    violations.push_back({"response_template.administration_id", "is required"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, candidate.administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::ResponseTemplate> created = db::RunInTransaction(
      store_.pool(), "workflow_create_template",
      [&](pqxx::work& tx) { return PgTemplateStore::Create(tx, candidate, now); });
  if (!created.ok()) {
    return Fail(created.status());
  }
  *response->mutable_response_template() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::UpdateResponseTemplate(
    grpc::ServerContext* context, const v1::UpdateResponseTemplateRequest* request,
    v1::UpdateResponseTemplateResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "UpdateResponseTemplate");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const v1::ResponseTemplate& given = request->response_template();
  if (given.template_id().empty()) {
    return Fail(common::InvalidArguments({{"response_template.template_id", "is required"}}));
  }
  for (const std::string& path : request->update_mask().paths()) {
    if (path != "name" && path != "category" && path != "kinds" && path != "language_code" &&
        path != "body") {
      return Fail(common::InvalidArguments(
          {{"update_mask", absl::StrCat("\"", path, "\" is not a mutable field")}}));
    }
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::ResponseTemplate> updated = db::RunInTransaction(
      store_.pool(), "workflow_update_template",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::ResponseTemplate> {
        std::optional<v1::ResponseTemplate> current = PgTemplateStore::Get(tx, given.template_id());
        if (!current.has_value() ||
            !caller->principal->MayAccessAdministration(current->administration_id())) {
          return absl::NotFoundError(absl::StrCat("template ", given.template_id(), " not found"));
        }
        v1::ResponseTemplate next = *current;
        const auto& paths = request->update_mask().paths();
        const auto replaces = [&](const std::string& field) {
          return paths.empty() || std::find(paths.begin(), paths.end(), field) != paths.end();
        };
        if (replaces("name")) next.set_name(given.name());
        if (replaces("category")) next.set_category(given.category());
        if (replaces("kinds")) *next.mutable_kinds() = given.kinds();
        if (replaces("language_code")) next.set_language_code(given.language_code());
        if (replaces("body")) next.set_body(given.body());
        if (std::vector<common::FieldViolation> violations = ValidateTemplate(next);
            !violations.empty()) {
          return common::InvalidArguments(violations);
        }
        return PgTemplateStore::AddVersion(tx, next, given.version(), now);
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  *response->mutable_response_template() = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::GetResponseTemplate(grpc::ServerContext* context,
                                                      const v1::GetResponseTemplateRequest* request,
                                                      v1::GetResponseTemplateResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "GetResponseTemplate");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  if (request->template_id().empty() || request->version() < 0) {
    return Fail(common::InvalidArguments({{"template_id", "is required (version >= 0)"}}));
  }
  absl::StatusOr<v1::ResponseTemplate> found = db::RunInTransaction(
      store_.pool(), "workflow_get_template",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::ResponseTemplate> {
        std::optional<v1::ResponseTemplate> stored =
            PgTemplateStore::Get(tx, request->template_id(), request->version());
        if (!stored.has_value() ||
            !caller->principal->MayAccessAdministration(stored->administration_id())) {
          return absl::NotFoundError(
              absl::StrCat("template ", request->template_id(), " not found"));
        }
        return *std::move(stored);
      });
  if (!found.ok()) {
    return Fail(found.status());
  }
  *response->mutable_response_template() = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListResponseTemplates(
    grpc::ServerContext* context, const v1::ListResponseTemplatesRequest* request,
    v1::ListResponseTemplatesResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListResponseTemplates");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->administration_id().empty()) {
    violations.push_back({"administration_id", "is required"});
  }
  const OffsetPage page = ParseOffsetPage(request->page_size(), request->page_token(), violations);
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  absl::StatusOr<std::vector<v1::ResponseTemplate>> listed =
      db::RunInTransaction(store_.pool(), "workflow_list_templates", [&](pqxx::work& tx) {
        return absl::StatusOr<std::vector<v1::ResponseTemplate>>(PgTemplateStore::ListCurrent(
            tx, request->administration_id(), request->include_archived()));
      });
  if (!listed.ok()) {
    return Fail(listed.status());
  }
  std::vector<v1::ResponseTemplate> selected;
  for (v1::ResponseTemplate& candidate : *listed) {
    const bool category_fits =
        candidate.category().empty() || candidate.category() == request->category();
    const bool kind_fits = request->kind() == 0 || candidate.kinds().empty() ||
                           std::find(candidate.kinds().begin(), candidate.kinds().end(),
                                     request->kind()) != candidate.kinds().end();
    if ((request->category().empty() || category_fits) && kind_fits) {
      selected.push_back(std::move(candidate));
    }
  }
  response->set_next_page_token(TakePage(selected, page, [&](v1::ResponseTemplate found) {
    *response->add_response_templates() = std::move(found);
  }));
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ArchiveResponseTemplate(
    grpc::ServerContext* context, const v1::ArchiveResponseTemplateRequest* request,
    v1::ArchiveResponseTemplateResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ArchiveResponseTemplate");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  if (request->template_id().empty()) {
    return Fail(common::InvalidArguments({{"template_id", "is required"}}));
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::ResponseTemplate> archived = db::RunInTransaction(
      store_.pool(), "workflow_archive_template",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::ResponseTemplate> {
        std::optional<v1::ResponseTemplate> current =
            PgTemplateStore::Get(tx, request->template_id());
        if (!current.has_value() ||
            !caller->principal->MayAccessAdministration(current->administration_id())) {
          return absl::NotFoundError(
              absl::StrCat("template ", request->template_id(), " not found"));
        }
        return PgTemplateStore::Archive(tx, request->template_id(), now);
      });
  if (!archived.ok()) {
    return Fail(archived.status());
  }
  *response->mutable_response_template() = *std::move(archived);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::RespondToCase(grpc::ServerContext* context,
                                                const v1::RespondToCaseRequest* request,
                                                v1::RespondToCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "RespondToCase");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const v1::TemplateContent* content =
      request->has_template_content() ? &request->template_content() : nullptr;
  std::vector<common::FieldViolation> violations;
  if (!request->validate_only() && request->expected_version() <= 0) {
    violations.push_back({"expected_version", "is required (the version you read)"});
  }
  if (request->content_case() == v1::RespondToCaseRequest::CONTENT_NOT_SET) {
    violations.push_back({"content", "give template_content or free_text"});
  } else if (content == nullptr &&
             (request->free_text().empty() || request->free_text().size() > kMaxBodyBytes)) {
    violations.push_back({"free_text", "must be 1 to 65,536 bytes"});
  } else if (content != nullptr && content->template_id().empty()) {
    violations.push_back({"template_content.template_id", "is required"});
  }
  if (request->attachments_size() > kMaxAttachments) {
    violations.push_back({"attachments", "at most 20"});
  }
  if (content != nullptr) {
    for (const auto& [name, value] : content->placeholder_values()) {
      if (value.size() > kMaxValueBytes) {
        violations.push_back({absl::StrCat("template_content.placeholder_values[", name, "]"),
                              "at most 10,000 characters"});
      }
    }
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const auth::Principal& principal = *caller->principal;
  absl::StatusOr<CaseRecord> visible = VisibleCase(principal, request->case_id());
  if (!visible.ok()) {
    return Fail(visible.status());
  }
  const absl::Time now = clock_();
  absl::StatusOr<RenderContext> render = db::RunInTransaction(
      store_.pool(), "workflow_render_response",
      [&](pqxx::work& tx) { return LoadRenderContext(tx, *visible, content, now); });
  if (!render.ok()) {
    return Fail(render.status());
  }
  std::string text = request->free_text();
  if (content != nullptr) {
    // Placeholders of the administration's own must come with the request; automatic ones
    // workflow cannot know (tracking code, ...) may come with it too.
    std::map<std::string, std::string> values(content->placeholder_values().begin(),
                                              content->placeholder_values().end());
    for (const std::string& name : render->template_.placeholder_names()) {
      if (AutomaticPlaceholders().count(name) == 0 && values.count(name) == 0) {
        violations.push_back(
            {absl::StrCat("template_content.placeholder_values[", name, "]"), "is required"});
      }
    }
    if (!violations.empty()) {
      return Fail(common::InvalidArguments(violations));
    }
    for (const auto& [name, value] : render->automatic) {
      values[name] = value;
    }
    absl::StatusOr<std::string> rendered = RenderTemplate(render->template_.body(), values);
    if (!rendered.ok()) {
      return Fail(rendered.status());
    }
    text = *std::move(rendered);
  }
  response->set_rendered_text(text);
  if (request->validate_only()) {
    *response->mutable_case_file() = ToCase(*visible);
    return grpc::Status::OK;
  }

  const std::string response_id = util::NewUuid();
  CaseHistoryEntry entry;
  entry.to_state = type::v1::CASE_STATE_RESPONDED;
  entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_RESPONDED;
  entry.actor_kind = StaffKind(principal);
  entry.actor_id = principal.id;
  entry.public_message = text;
  entry.internal_note = request->internal_note();
  entry.occur_time = now;
  absl::StatusOr<CaseRecord> updated = store_.Transition(
      request->case_id(), request->expected_version(), entry,
      [&](const CaseRecord& current) {
        return CheckStaffTransition(principal, current, type::v1::CASE_STATE_RESPONDED,
                                    /*has_motive=*/false, /*has_public_message=*/true);
      },
      [&](const CaseRecord& after, const CaseHistoryEntry& recorded) {
        // What intake shows the citizen: the response (text read from the history entry).
        events::v1::Event event = WorkflowEvent(after, now);
        event.mutable_actor()->set_kind(static_cast<type::v1::ActorKind>(entry.actor_kind));
        event.mutable_actor()->set_actor_id(principal.id);
        events::v1::ComplaintResponded* responded = event.mutable_complaint_responded();
        responded->set_case_id(after.case_id);
        responded->set_response_id(response_id);
        responded->set_history_entry_id(HistoryEntryId(after.case_id, recorded.entry_no));
        if (content != nullptr) {
          responded->set_template_id(render->template_.template_id());
          responded->set_template_version(render->template_.version());
        }
        responded->set_queue_id(after.queue_id.value_or(""));
        responded->set_department_id(after.department_id.value_or(""));
        responded->set_first_response(render->first_response);
        return events::NewEvent{after.complaint_id, "ComplaintResponded",
                                event.SerializeAsString()};
      },
      [&](pqxx::transaction_base& tx, const CaseRecord& after) -> absl::Status {
        std::string attachments;
        {
          // Length-delimited descriptors, read back with the protobuf stream API.
          google::protobuf::io::StringOutputStream stream(&attachments);
          google::protobuf::io::CodedOutputStream coded(&stream);
          for (const type::v1::AttachmentDescriptor& attachment : request->attachments()) {
            coded.WriteVarint32(static_cast<uint32_t>(attachment.ByteSizeLong()));
            attachment.SerializeToCodedStream(&coded);
          }
        }
        tx.exec_params(
            "INSERT INTO workflow.case_responses (response_id, case_id, template_id,"
            " template_version, rendered_text, attachments, history_version, create_time)"
            " VALUES ($1, $2, $3::uuid, $4, $5, $6, $7, now())",
            response_id, after.case_id,
            content != nullptr ? std::optional<std::string>(render->template_.template_id())
                               : std::nullopt,
            content != nullptr ? std::optional<int64_t>(render->template_.version()) : std::nullopt,
            text, pqxx::binarystring(attachments.data(), attachments.size()), after.version);
        tx.exec_params("UPDATE workflow.cases SET last_response_id = $2 WHERE case_id = $1",
                       after.case_id, response_id);
        return absl::OkStatus();
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  notifier_.EventsCommitted();
  updated->last_response_id = response_id;
  absl::StatusOr<v1::Case> shown = CaseWithClocks(*updated);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(*updated);
  response->set_response_id(response_id);
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
