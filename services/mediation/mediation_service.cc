#include "services/mediation/mediation_service.h"

#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/util/proto_time.h"
#include "common/util/uuid.h"
#include "services/mediation/mediation_clocks.h"
#include "services/mediation/mediation_state_machine.h"
#include "services/mediation/mediation_validation.h"
#include "services/mediation/mediator_selection.h"
#include "services/mediation/precondition.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

#include <utility>

namespace doleances::mediation {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr char kAutomaticActor[] = "mediation-assignment";

std::string Subject(const MediationRecord& mediation) {
  return absl::StrCat("mediation/", mediation.mediation_id);
}

type::v1::Actor ActorOf(const auth::Principal& principal) {
  type::v1::Actor actor;
  actor.set_actor_id(principal.id);
  if (principal.HasRole(auth::Role::kAdmin)) {
    actor.set_kind(type::v1::ACTOR_KIND_ADMIN);
  } else if (principal.HasRole(auth::Role::kMediator)) {
    actor.set_kind(type::v1::ACTOR_KIND_MEDIATOR);
  } else if (principal.HasRole(auth::Role::kSupervisor)) {
    actor.set_kind(type::v1::ACTOR_KIND_SUPERVISOR);
  } else if (principal.HasRole(auth::Role::kAgent)) {
    actor.set_kind(type::v1::ACTOR_KIND_AGENT);
  } else {
    actor.set_kind(type::v1::ACTOR_KIND_SYSTEM);  // Another service (workflow).
  }
  return actor;
}

type::v1::Actor AutomaticActor() {
  type::v1::Actor actor;
  actor.set_kind(type::v1::ACTOR_KIND_SYSTEM);
  actor.set_actor_id(kAutomaticActor);
  return actor;
}

AssignmentNeeds NeedsOf(const MediationRecord& mediation, absl::Time now) {
  return {.administration_id = mediation.administration_id,
          .category = mediation.category,
          .territory_code =
              mediation.commune_code.empty() ? mediation.department_code : mediation.commune_code,
          .disputed_department_id = mediation.disputed_department_id,
          .now = now};
}

EventMaker AssignedEvent(std::string previous, type::v1::AssignmentMethod method,
                         type::v1::Actor actor, absl::Time now) {
  return [=](const MediationRecord& after, int64_t version) {
    events::v1::Event event = MediationEvent(after, version, actor, now);
    events::v1::MediationAssigned* assigned = event.mutable_mediation_assigned();
    assigned->set_mediation_id(after.mediation_id);
    assigned->set_mediator_id(after.mediator_id.value_or(""));
    assigned->set_previous_mediator_id(previous);
    assigned->set_method(method);
    return ToNewEvent(event);
  };
}

}  // namespace

absl::StatusOr<Page> ParsePage(int32_t page_size, const std::string& page_token) {
  std::vector<common::FieldViolation> violations;
  Page page;
  if (page_size < 0) {
    violations.push_back({"page_size", "must not be negative"});
  } else if (page_size > 0) {
    page.limit = std::min(page_size, kMaxPageSize);
  } else {
    page.limit = kDefaultPageSize;
  }
  if (!page_token.empty() && (!absl::SimpleAtoi(page_token, &page.offset) || page.offset < 0)) {
    violations.push_back({"page_token", "must be a next_page_token of a previous page"});
  }
  if (!violations.empty()) {
    return common::InvalidArguments(violations);
  }
  return page;
}

std::string NextPageToken(const Page& page, size_t returned) {
  return static_cast<int>(returned) < page.limit ? "" : absl::StrCat(page.offset + page.limit);
}

MediationServiceImpl::MediationServiceImpl(auth::Authorizer& authorizer,
                                           PgMediationStore& mediations, PgMediatorStore& mediators,
                                           MediationMetrics& metrics,
                                           events::CommitNotifier& notifier,
                                           std::function<absl::Time()> clock)
    : authorizer_(authorizer),
      mediations_(mediations),
      mediators_(mediators),
      metrics_(metrics),
      notifier_(notifier),
      clock_(std::move(clock)) {}

absl::StatusOr<MediationServiceImpl::Acting> MediationServiceImpl::Authorize(
    grpc::ServerContext& context, const std::string& method) {
  ASSIGN_OR_RETURN(auth::Caller caller, authorizer_.Authorize(context, method));
  if (caller.anonymous_tracking_code_caller()) {
    return absl::UnimplementedError(
        "tracking-code access to mediations is not available yet; ask the mediator");
  }
  Acting acting{.principal = *caller.principal, .actor = ActorOf(*caller.principal)};
  if (acting.principal.HasRole(auth::Role::kMediator)) {
    absl::StatusOr<MediatorRecord> mediator = mediators_.GetByPrincipal(acting.principal.id);
    if (mediator.ok()) {
      acting.mediator_id = mediator->mediator_id;
    } else if (!absl::IsNotFound(mediator.status())) {
      return mediator.status();
    }
  }
  return acting;
}

absl::Status MediationServiceImpl::RequireAssignedMediator(const Acting& acting,
                                                           const MediationRecord& mediation) {
  if (!acting.mediator_id.has_value() || mediation.mediator_id != acting.mediator_id) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the mediator assigned to mediation ", mediation.mediation_id, " may"));
  }
  return absl::OkStatus();
}

absl::StatusOr<View> MediationServiceImpl::ViewOf(const Acting& acting,
                                                  const MediationRecord& mediation) {
  const auth::Principal& principal = acting.principal;
  if (acting.mediator_id.has_value() && mediation.mediator_id == acting.mediator_id) {
    return View::kFull;
  }
  if (principal.MayAccessAdministration(mediation.administration_id)) {
    if (principal.HasRole(auth::Role::kAdmin)) {
      return View::kFull;
    }
    if (principal.HasRole(auth::Role::kAgent) || principal.HasRole(auth::Role::kSupervisor)) {
      return View::kParty;
    }
  }
  return absl::NotFoundError(absl::StrCat("mediation ", mediation.mediation_id, " not found"));
}

absl::Status MediationServiceImpl::RequireSide(const Acting& acting,
                                               const MediationRecord& mediation,
                                               type::v1::MediationParty party) {
  if (acting.mediator_id.has_value() && mediation.mediator_id == acting.mediator_id) {
    return absl::OkStatus();  // Recording an answer received by mail, for either party.
  }
  const auth::Principal& principal = acting.principal;
  const bool staff =
      principal.HasRole(auth::Role::kAgent) || principal.HasRole(auth::Role::kSupervisor);
  if (!staff || !principal.MayAccessAdministration(mediation.administration_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat("the caller is no party to mediation ", mediation.mediation_id));
  }
  if (party != type::v1::MEDIATION_PARTY_ADMINISTRATION) {
    return absl::PermissionDeniedError("agents and supervisors answer for ADMINISTRATION only");
  }
  return absl::OkStatus();
}

std::optional<EventMaker> MediationServiceImpl::AssignAutomatically(pqxx::transaction_base& tx,
                                                                    MediationRecord& mediation,
                                                                    absl::Time now) {
  const std::optional<MediatorRecord> chosen = ChooseMediator(
      PgMediatorStore::LockCandidates(tx, mediation.administration_id), NeedsOf(mediation, now));
  if (!chosen.has_value()) {
    return std::nullopt;
  }
  const std::string previous = mediation.mediator_id.value_or("");
  mediation.mediator_id = chosen->mediator_id;
  mediation.assignment_reason = absl::StrCat(
      "automatic: fewest open mediations (", chosen->open_mediation_count,
      ") among active, available mediators matching specialty and territory, without conflict"
      " of interest");
  mediation.update_time = now;
  return AssignedEvent(previous, type::v1::ASSIGNMENT_METHOD_AUTOMATIC, AutomaticActor(), now);
}

EventMaker MediationServiceImpl::Close(pqxx::transaction_base& tx, MediationRecord& mediation,
                                       type::v1::MediationOutcome outcome,
                                       const type::v1::Actor& actor, absl::Time now) {
  mediation.state = v1::MEDIATION_STATE_CLOSED;
  mediation.outcome = outcome;
  mediation.close_time = now;
  mediation.update_time = now;
  PgMediationStore::CancelFutureSessions(tx, mediation.mediation_id, now);
  PgMediationStore::SupersedeOpenProposals(tx, mediation.mediation_id);
  return [actor, now](const MediationRecord& after, int64_t version) {
    events::v1::Event event = MediationEvent(after, version, actor, now);
    events::v1::MediationClosed* closed = event.mutable_mediation_closed();
    closed->set_mediation_id(after.mediation_id);
    closed->set_case_id(after.case_id);
    closed->set_outcome(static_cast<type::v1::MediationOutcome>(after.outcome));
    closed->set_referral_body(static_cast<type::v1::ReferralBody>(after.referral_body));
    closed->set_withdrawn_by(static_cast<type::v1::MediationParty>(after.withdrawn_by));
    closed->set_mediator_id(after.mediator_id.value_or(""));
    if (after.saisine_notify_time.has_value()) {
      *closed->mutable_saisine_notify_time() = util::ToTimestamp(*after.saisine_notify_time);
    }
    return ToNewEvent(event);
  };
}

void MediationServiceImpl::RecordClosed(const MediationRecord& mediation) {
  if (!mediation.close_time.has_value()) {
    return;
  }
  metrics_.Closed(
      type::v1::MediationOutcome_Name(static_cast<type::v1::MediationOutcome>(mediation.outcome)),
      *mediation.close_time - mediation.create_time);
  // A breach the timer announced was counted then; this one stopped late before it fired.
  if (mediation.outcome_due.has_value() && *mediation.close_time > *mediation.outcome_due &&
      mediation.outcome != type::v1::MEDIATION_OUTCOME_WITHDRAWN &&
      !mediation.outcome_breach_fired) {
    metrics_.DeadlineBreached("MEDIATION_OUTCOME");
  }
}

grpc::Status MediationServiceImpl::Answer(const Acting& acting,
                                          const absl::StatusOr<MediationRecord>& changed,
                                          v1::Mediation* out) {
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<MediationFile> file = mediations_.Get(changed->mediation_id);
  if (!file.ok()) {
    return common::ToGrpcStatus(file.status());
  }
  const absl::StatusOr<View> view = ViewOf(acting, file->mediation);
  *out = ToMediation(*file, view.value_or(View::kParty));
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::OpenMediation(grpc::ServerContext* context,
                                                 const v1::OpenMediationRequest* request,
                                                 v1::OpenMediationResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "OpenMediation");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateOpenMediation(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  if (!acting->principal.MayAccessAdministration(request->administration_id())) {
    return common::ToGrpcStatus(absl::PermissionDeniedError(
        "the caller may not address administration_id " + request->administration_id()));
  }
  const absl::Time now = clock_();
  MediationRecord record;
  record.mediation_id = util::NewUuid();
  record.complaint_id = request->complaint_id();
  record.case_id = request->case_id();
  record.administration_id = request->administration_id();
  record.kind = request->kind();
  record.category = request->category();
  record.commune_code = request->territory().commune_code();
  record.department_code = request->territory().department_code();
  record.region_code = request->territory().region_code();
  record.requested_by = request->requested_by();
  record.case_summary = request->case_summary();
  record.disputed_department_id = request->disputed_department_id();
  if (request->has_written_complaint_date()) {
    const type::v1::Date& date = request->written_complaint_date();
    record.written_complaint_date = absl::StrCat(date.year(), "-", date.month(), "-", date.day());
  }
  record.state = v1::MEDIATION_STATE_AWAITING_ADMISSIBILITY;
  record.request_time =
      request->has_request_time() ? util::FromTimestamp(request->request_time()) : now;
  absl::StatusOr<absl::Time> due = AdmissibilityDue(record.request_time);
  if (!due.ok()) {
    return common::ToGrpcStatus(
        common::InvalidArguments({{"request_time", std::string(due.status().message())}}));
  }
  record.admissibility_due = *due;
  record.create_time = now;
  record.update_time = now;
  const type::v1::Actor actor = acting->actor;
  absl::StatusOr<std::pair<MediationRecord, bool>> opened = mediations_.Open(
      record,
      [&](pqxx::transaction_base& tx,
          MediationRecord& created) -> absl::StatusOr<std::vector<EventMaker>> {
        std::vector<EventMaker> makers = {[&](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationOpened* payload = event.mutable_mediation_opened();
          payload->set_mediation_id(after.mediation_id);
          payload->set_case_id(after.case_id);
          payload->set_category(after.category);
          payload->set_requested_by(static_cast<type::v1::MediationParty>(after.requested_by));
          return ToNewEvent(event);
        }};
        if (std::optional<EventMaker> assigned = AssignAutomatically(tx, created, now)) {
          makers.push_back(*std::move(assigned));
        }
        return makers;
      });
  if (!opened.ok()) {
    return common::ToGrpcStatus(opened.status());
  }
  response->set_created(opened->second);
  return Answer(*acting, opened->first, response->mutable_mediation());
}

grpc::Status MediationServiceImpl::GetMediation(grpc::ServerContext* context,
                                                const v1::GetMediationRequest* request,
                                                v1::GetMediationResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "GetMediation");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateMediationId(request->mediation_id()); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  absl::StatusOr<MediationFile> file = mediations_.Get(request->mediation_id());
  if (!file.ok()) {
    return common::ToGrpcStatus(file.status());
  }
  absl::StatusOr<View> view = ViewOf(*acting, file->mediation);
  if (!view.ok()) {
    return common::ToGrpcStatus(view.status());
  }
  *response->mutable_mediation() = ToMediation(*file, *view);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::ListMediations(grpc::ServerContext* context,
                                                  const v1::ListMediationsRequest* request,
                                                  v1::ListMediationsResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "ListMediations");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  absl::StatusOr<Page> page = ParsePage(request->page_size(), request->page_token());
  if (!page.ok()) {
    return common::ToGrpcStatus(page.status());
  }
  const auth::Principal& principal = acting->principal;
  MediationFilter filter;
  filter.mediator_id = request->mediator_id();
  filter.complaint_id = request->complaint_id();
  filter.unassigned_only = request->unassigned_only();
  for (int state : request->states()) {
    filter.states.push_back(state);
  }
  const bool staff =
      principal.HasRole(auth::Role::kAdmin) || principal.HasRole(auth::Role::kSupervisor);
  if (!staff) {
    // A mediator sees theirs only, whatever the filter asked.
    if (!acting->mediator_id.has_value()) {
      return common::ToGrpcStatus(
          absl::PermissionDeniedError("the caller is not a registered mediator"));
    }
    filter.mediator_id = *acting->mediator_id;
  } else if (!principal.MayAccessAdministration("*")) {
    filter.administration_ids = principal.administrations;
  }
  if (!request->administration_id().empty()) {
    if (!principal.MayAccessAdministration(request->administration_id()) && staff) {
      return grpc::Status::OK;  // Nothing of another administration is visible.
    }
    filter.administration_ids = {request->administration_id()};
  }
  absl::StatusOr<std::vector<MediationFile>> listed =
      mediations_.List(filter, page->offset, page->limit);
  if (!listed.ok()) {
    return common::ToGrpcStatus(listed.status());
  }
  for (const MediationFile& file : *listed) {
    const View view = ViewOf(*acting, file.mediation).value_or(View::kParty);
    *response->add_mediations() = ToMediation(file, view);
  }
  response->set_next_page_token(NextPageToken(*page, listed->size()));
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::AssignMediator(grpc::ServerContext* context,
                                                  const v1::AssignMediatorRequest* request,
                                                  v1::AssignMediatorResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "AssignMediator");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateAssignMediator(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), request->expected_version(), "mediation_assign_mediator",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        if (!acting->principal.MayAccessAdministration(mediation.administration_id)) {
          return absl::NotFoundError(
              absl::StrCat("mediation ", mediation.mediation_id, " not found"));
        }
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kAssign, Subject(mediation))
                            .status());
        if (request->mediator_id().empty()) {
          std::optional<EventMaker> assigned = AssignAutomatically(tx, mediation, now);
          if (!assigned.has_value()) {
            return PreconditionError(
                "NO_MEDIATOR_AVAILABLE", Subject(mediation),
                "no active, available mediator without conflict of interest matches");
          }
          return std::vector<EventMaker>{*std::move(assigned)};
        }
        ASSIGN_OR_RETURN(MediatorRecord mediator,
                         PgMediatorStore::Lock(tx, request->mediator_id()));
        if (std::optional<std::string> why =
                ManualDisqualification(mediator, NeedsOf(mediation, now))) {
          return PreconditionError("MEDIATOR_NOT_QUALIFIED",
                                   absl::StrCat("mediator/", mediator.mediator_id),
                                   absl::StrCat("mediator cannot take this mediation: ", *why));
        }
        const std::string previous = mediation.mediator_id.value_or("");
        mediation.mediator_id = mediator.mediator_id;
        mediation.assignment_reason = absl::StrCat("manual: ", request->motive());
        mediation.update_time = now;
        return std::vector<EventMaker>{
            AssignedEvent(previous, type::v1::ASSIGNMENT_METHOD_MANUAL, acting->actor, now)};
      });
  return Answer(*acting, changed, response->mutable_mediation());
}

grpc::Status MediationServiceImpl::DecideAdmissibility(
    grpc::ServerContext* context, const v1::DecideAdmissibilityRequest* request,
    v1::DecideAdmissibilityResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "DecideAdmissibility");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateDecideAdmissibility(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  const bool admissible = request->decision() == v1::ADMISSIBILITY_DECISION_ADMISSIBLE;
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), request->expected_version(), "mediation_decide_admissibility",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    admissible ? Action::kAdmit : Action::kDeclareInadmissible,
                                    Subject(mediation))
                            .status());
        v1::Admissibility decision;
        decision.set_decision(request->decision());
        *decision.mutable_assessments() = request->assessments();
        decision.set_motive(request->motive());
        *decision.mutable_decide_time() = util::ToTimestamp(now);
        *decision.mutable_decided_by() = acting->actor;
        mediation.admissibility = decision.SerializeAsString();
        mediation.admissibility_stop = now;
        mediation.update_time = now;
        if (admissible) {
          // R612-2: the saisine is notified to both parties now; R612-5: the 90 days start.
          mediation.state = v1::MEDIATION_STATE_IN_PROGRESS;
          mediation.saisine_notify_time = now;
          ASSIGN_OR_RETURN(mediation.outcome_due, OutcomeDue(now, 0));
        }
        std::vector<type::v1::AdmissibilityCriterion> unmet;
        for (const v1::CriterionAssessment& assessment : request->assessments()) {
          if (!assessment.satisfied()) {
            unmet.push_back(assessment.criterion());
          }
        }
        const type::v1::Actor actor = acting->actor;
        std::vector<EventMaker> makers = {[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationAdmissibilityDecided* decided =
              event.mutable_mediation_admissibility_decided();
          decided->set_mediation_id(after.mediation_id);
          decided->set_admissible(admissible);
          for (type::v1::AdmissibilityCriterion criterion : unmet) {
            decided->add_unmet_criteria(criterion);
          }
          if (after.saisine_notify_time.has_value()) {
            *decided->mutable_saisine_notify_time() = util::ToTimestamp(*after.saisine_notify_time);
          }
          return ToNewEvent(event);
        }};
        if (!admissible) {
          makers.push_back(
              Close(tx, mediation, type::v1::MEDIATION_OUTCOME_INADMISSIBLE, actor, now));
        }
        return makers;
      });
  if (changed.ok()) {
    if (*changed->admissibility_stop > changed->admissibility_due &&
        !changed->admissibility_breach_fired) {
      metrics_.DeadlineBreached("MEDIATION_ADMISSIBILITY");
    }
    RecordClosed(*changed);
  }
  return Answer(*acting, changed, response->mutable_mediation());
}

grpc::Status MediationServiceImpl::ExtendDeadline(grpc::ServerContext* context,
                                                  const v1::ExtendDeadlineRequest* request,
                                                  v1::ExtendDeadlineResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "ExtendDeadline");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateExtendDeadline(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), request->expected_version(), "mediation_extend_deadline",
      [&](pqxx::transaction_base&,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kExtendDeadline, Subject(mediation))
                            .status());
        mediation.extension_days += request->extension_days();
        ASSIGN_OR_RETURN(mediation.outcome_due,
                         OutcomeDue(*mediation.saisine_notify_time, mediation.extension_days));
        // A new due time gets its own warning and breach ("once per clock and due time").
        mediation.outcome_warning_fired = false;
        mediation.outcome_breach_fired = false;
        mediation.update_time = now;
        const type::v1::Actor actor = acting->actor;
        const int days = request->extension_days();
        return std::vector<EventMaker>{[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationDeadlineExtended* extended =
              event.mutable_mediation_deadline_extended();
          extended->set_mediation_id(after.mediation_id);
          extended->set_clock(type::v1::CLOCK_KIND_MEDIATION_OUTCOME);
          extended->set_extension_days(days);
          *extended->mutable_due_time() = util::ToTimestamp(*after.outcome_due);
          return ToNewEvent(event);
        }};
      });
  return Answer(*acting, changed, response->mutable_mediation());
}

grpc::Status MediationServiceImpl::WithdrawMediation(grpc::ServerContext* context,
                                                     const v1::WithdrawMediationRequest* request,
                                                     v1::WithdrawMediationResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "WithdrawMediation");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateWithdrawMediation(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), 0, "mediation_withdraw",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireSide(*acting, mediation, request->party()));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kWithdraw, Subject(mediation))
                            .status());
        mediation.withdrawn_by = request->party();
        mediation.closing_summary = request->reason();
        return std::vector<EventMaker>{
            Close(tx, mediation, type::v1::MEDIATION_OUTCOME_WITHDRAWN, acting->actor, now)};
      });
  if (changed.ok()) {
    RecordClosed(*changed);
  }
  return Answer(*acting, changed, response->mutable_mediation());
}

grpc::Status MediationServiceImpl::CloseMediation(grpc::ServerContext* context,
                                                  const v1::CloseMediationRequest* request,
                                                  v1::CloseMediationResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "CloseMediation");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateCloseMediation(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), request->expected_version(), "mediation_close",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kClose, Subject(mediation))
                            .status());
        mediation.agreement_terms = request->agreement_terms();
        mediation.referral_body = request->referral().body();
        mediation.referral_body_name = request->referral().body_name();
        mediation.referral_reference = request->referral().reference();
        mediation.closing_summary = request->closing_summary();
        return std::vector<EventMaker>{
            Close(tx, mediation, request->outcome(), acting->actor, now)};
      });
  if (changed.ok()) {
    RecordClosed(*changed);
  }
  return Answer(*acting, changed, response->mutable_mediation());
}

}  // namespace doleances::mediation
