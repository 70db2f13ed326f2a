// Sessions, proposals and notes: the work of the assigned mediator on an admitted mediation.
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/util/proto_time.h"
#include "common/util/uuid.h"
#include "services/mediation/mediation_service.h"
#include "services/mediation/mediation_state_machine.h"
#include "services/mediation/mediation_validation.h"
#include "services/mediation/mediator_selection.h"

#include <absl/strings/str_cat.h>

namespace doleances::mediation {
namespace {

std::string Subject(const MediationRecord& mediation) {
  return absl::StrCat("mediation/", mediation.mediation_id);
}

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  google::protobuf::Duration out;
  out.set_seconds(absl::ToInt64Seconds(duration));
  return out;
}

// Sessions happen within the mediator's availability windows (Mediator.availability_windows).
absl::Status RequireAvailable(pqxx::transaction_base& tx, const SessionRecord& session) {
  ASSIGN_OR_RETURN(MediatorRecord mediator, PgMediatorStore::Lock(tx, session.mediator_id));
  if (!IsAvailable(mediator.availability_windows, session.start_time, session.end_time)) {
    return absl::FailedPreconditionError(
        "the session falls outside the mediator's availability windows");
  }
  return absl::OkStatus();
}

// The proposal's state once `responses` are in: REJECTED at the first rejection, ACCEPTED once
// both parties accepted, OPEN otherwise.
v1::ProposalState StateAfterResponses(const std::vector<ProposalResponseRecord>& responses) {
  int accepted = 0;
  for (const ProposalResponseRecord& response : responses) {
    if (response.decision == v1::PROPOSAL_DECISION_REJECT) {
      return v1::PROPOSAL_STATE_REJECTED;
    }
    ++accepted;
  }
  return accepted == 2 ? v1::PROPOSAL_STATE_ACCEPTED : v1::PROPOSAL_STATE_OPEN;
}

}  // namespace

grpc::Status MediationServiceImpl::ScheduleSession(grpc::ServerContext* context,
                                                   const v1::ScheduleSessionRequest* request,
                                                   v1::ScheduleSessionResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "ScheduleSession");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateScheduleSession(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  const v1::Session& wanted = request->session();
  SessionRecord session;
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), 0, "mediation_schedule_session",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kScheduleSession, Subject(mediation))
                            .status());
        if (!request->request_id().empty()) {
          if (std::optional<SessionRecord> earlier = PgMediationStore::FindSessionByRequest(
                  tx, mediation.mediation_id, request->request_id())) {
            session = *std::move(earlier);
            return std::vector<EventMaker>{};  // A retry: the original session stands.
          }
          session.request_id = request->request_id();
        }
        session.session_id = util::NewUuid();
        session.mediation_id = mediation.mediation_id;
        session.mediator_id = *mediation.mediator_id;
        session.start_time = util::FromTimestamp(wanted.start_time());
        session.end_time = session.start_time + ToDuration(wanted.duration());
        session.time_zone = wanted.time_zone();
        session.place_address = wanted.place_address();
        session.video_link = wanted.video_link();
        for (const v1::Participant& participant : wanted.participants()) {
          session.participants.push_back({participant.party(), participant.role(),
                                          participant.attendance_mode(),
                                          participant.principal_id()});
        }
        session.state = v1::SESSION_STATE_SCHEDULED;
        session.create_time = now;
        session.update_time = now;
        RETURN_IF_ERROR(RequireAvailable(tx, session));
        RETURN_IF_ERROR(PgMediationStore::InsertSession(tx, session));
        mediation.update_time = now;
        const type::v1::Actor actor = acting->actor;
        return std::vector<EventMaker>{[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationSessionScheduled* scheduled =
              event.mutable_mediation_session_scheduled();
          scheduled->set_mediation_id(after.mediation_id);
          scheduled->set_session_id(session.session_id);
          scheduled->set_mediator_id(session.mediator_id);
          *scheduled->mutable_start_time() = util::ToTimestamp(session.start_time);
          *scheduled->mutable_duration() = ToProtoDuration(session.end_time - session.start_time);
          scheduled->set_remote(!session.video_link.empty());
          return ToNewEvent(event);
        }};
      });
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  notifier_.EventsCommitted();
  *response->mutable_session() = ToSession(session);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::RescheduleSession(grpc::ServerContext* context,
                                                     const v1::RescheduleSessionRequest* request,
                                                     v1::RescheduleSessionResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "RescheduleSession");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateRescheduleSession(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  absl::StatusOr<std::string> mediation_id = mediations_.MediationOfSession(request->session_id());
  if (!mediation_id.ok()) {
    return common::ToGrpcStatus(mediation_id.status());
  }
  const absl::Time now = clock_();
  SessionRecord session;
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      *mediation_id, 0, "mediation_reschedule_session",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kChangeSession, Subject(mediation))
                            .status());
        ASSIGN_OR_RETURN(session, PgMediationStore::LockSession(tx, request->session_id()));
        if (session.state != v1::SESSION_STATE_SCHEDULED) {
          return absl::FailedPreconditionError("only a SCHEDULED session can be moved");
        }
        const absl::Time previous_start = session.start_time;
        const absl::Duration length = request->has_duration()
                                          ? ToDuration(request->duration())
                                          : session.end_time - session.start_time;
        session.start_time = util::FromTimestamp(request->start_time());
        session.end_time = session.start_time + length;
        if (!request->time_zone().empty()) {
          session.time_zone = request->time_zone();
        }
        if (request->has_place_address() || request->has_video_link()) {
          session.place_address = request->place_address();
          session.video_link = request->video_link();
        }
        session.motive = request->motive();
        session.reschedule_count += 1;
        session.update_time = now;
        RETURN_IF_ERROR(RequireAvailable(tx, session));
        RETURN_IF_ERROR(PgMediationStore::UpdateSession(tx, session));
        mediation.update_time = now;
        const type::v1::Actor actor = acting->actor;
        return std::vector<EventMaker>{[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationSessionRescheduled* moved =
              event.mutable_mediation_session_rescheduled();
          moved->set_mediation_id(after.mediation_id);
          moved->set_session_id(session.session_id);
          *moved->mutable_previous_start_time() = util::ToTimestamp(previous_start);
          *moved->mutable_start_time() = util::ToTimestamp(session.start_time);
          *moved->mutable_duration() = ToProtoDuration(length);
          moved->set_remote(!session.video_link.empty());
          return ToNewEvent(event);
        }};
      });
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<MediationFile> file = mediations_.Get(*mediation_id);
  if (file.ok()) {
    for (const SessionRecord& stored : file->sessions) {
      if (stored.session_id == session.session_id) {
        session.participants = stored.participants;
      }
    }
  }
  *response->mutable_session() = ToSession(session);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::CancelSession(grpc::ServerContext* context,
                                                 const v1::CancelSessionRequest* request,
                                                 v1::CancelSessionResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "CancelSession");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateCancelSession(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  absl::StatusOr<std::string> mediation_id = mediations_.MediationOfSession(request->session_id());
  if (!mediation_id.ok()) {
    return common::ToGrpcStatus(mediation_id.status());
  }
  const absl::Time now = clock_();
  SessionRecord session;
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      *mediation_id, 0, "mediation_cancel_session",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kChangeSession, Subject(mediation))
                            .status());
        ASSIGN_OR_RETURN(session, PgMediationStore::LockSession(tx, request->session_id()));
        if (session.state != v1::SESSION_STATE_SCHEDULED) {
          return absl::FailedPreconditionError("only a SCHEDULED session can be cancelled");
        }
        session.state = v1::SESSION_STATE_CANCELLED;
        session.motive = request->motive();
        session.update_time = now;
        RETURN_IF_ERROR(PgMediationStore::UpdateSession(tx, session));
        mediation.update_time = now;
        const type::v1::Actor actor = acting->actor;
        return std::vector<EventMaker>{[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          event.mutable_mediation_session_cancelled()->set_mediation_id(after.mediation_id);
          event.mutable_mediation_session_cancelled()->set_session_id(session.session_id);
          return ToNewEvent(event);
        }};
      });
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  notifier_.EventsCommitted();
  *response->mutable_session() = ToSession(session);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::RecordProposal(grpc::ServerContext* context,
                                                  const v1::RecordProposalRequest* request,
                                                  v1::RecordProposalResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "RecordProposal");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  const absl::Time now = clock_();
  if (absl::Status valid = ValidateRecordProposal(*request, now); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  ProposalRecord proposal;
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), request->expected_version(), "mediation_record_proposal",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kRecordProposal, Subject(mediation))
                            .status());
        proposal.proposal_id = util::NewUuid();
        proposal.mediation_id = mediation.mediation_id;
        proposal.terms = request->terms();
        proposal.acceptance_deadline = util::FromTimestamp(request->acceptance_deadline());
        proposal.state = v1::PROPOSAL_STATE_OPEN;
        proposal.create_time = now;
        PgMediationStore::InsertProposal(tx, proposal);
        mediation.update_time = now;
        const type::v1::Actor actor = acting->actor;
        return std::vector<EventMaker>{[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationProposalRecorded* recorded =
              event.mutable_mediation_proposal_recorded();
          recorded->set_mediation_id(after.mediation_id);
          recorded->set_proposal_id(proposal.proposal_id);
          *recorded->mutable_acceptance_deadline() =
              util::ToTimestamp(proposal.acceptance_deadline);
          return ToNewEvent(event);
        }};
      });
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  notifier_.EventsCommitted();
  *response->mutable_proposal() = ToProposal(proposal);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::RespondToProposal(grpc::ServerContext* context,
                                                     const v1::RespondToProposalRequest* request,
                                                     v1::RespondToProposalResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "RespondToProposal");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateRespondToProposal(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const absl::Time now = clock_();
  ProposalRecord proposal;
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), 0, "mediation_respond_to_proposal",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireSide(*acting, mediation, request->party()));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kRespondToProposal, Subject(mediation))
                            .status());
        ASSIGN_OR_RETURN(proposal, PgMediationStore::LockProposal(tx, mediation.mediation_id,
                                                                  request->proposal_id()));
        if (proposal.state != v1::PROPOSAL_STATE_OPEN) {
          return absl::FailedPreconditionError("the proposal is no longer open");
        }
        if (now > proposal.acceptance_deadline) {
          return absl::FailedPreconditionError("the proposal's acceptance deadline has passed");
        }
        for (const ProposalResponseRecord& earlier : proposal.responses) {
          if (earlier.party == request->party()) {
            return absl::FailedPreconditionError("this party has already answered");
          }
        }
        const ProposalResponseRecord answer{request->party(), request->decision(),
                                            request->comment(), now};
        proposal.responses.push_back(answer);
        proposal.state = StateAfterResponses(proposal.responses);
        PgMediationStore::RecordResponse(tx, proposal, answer);
        mediation.update_time = now;
        const type::v1::Actor actor = acting->actor;
        return std::vector<EventMaker>{[=](const MediationRecord& after, int64_t version) {
          events::v1::Event event = MediationEvent(after, version, actor, now);
          events::v1::MediationProposalAnswered* answered =
              event.mutable_mediation_proposal_answered();
          answered->set_mediation_id(after.mediation_id);
          answered->set_proposal_id(proposal.proposal_id);
          answered->set_party(static_cast<type::v1::MediationParty>(answer.party));
          answered->set_accepted(answer.decision == v1::PROPOSAL_DECISION_ACCEPT);
          return ToNewEvent(event);
        }};
      });
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  notifier_.EventsCommitted();
  *response->mutable_proposal() = ToProposal(proposal);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::AddNote(grpc::ServerContext* context,
                                           const v1::AddNoteRequest* request,
                                           v1::AddNoteResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "AddNote");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateAddNote(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  NoteRecord note{.note_id = util::NewUuid(),
                  .mediation_id = request->mediation_id(),
                  .visibility = request->note().visibility(),
                  .party = request->note().party(),
                  .text = request->note().text(),
                  .author_kind = acting->actor.kind(),
                  .author_id = acting->actor.actor_id(),
                  .create_time = clock_()};
  // Notes are not part of the mediation's versioned state and never make events.
  absl::StatusOr<MediationRecord> changed = mediations_.Change(
      request->mediation_id(), 0, "mediation_add_note",
      [&](pqxx::transaction_base& tx,
          MediationRecord& mediation) -> absl::StatusOr<std::vector<EventMaker>> {
        RETURN_IF_ERROR(RequireAssignedMediator(*acting, mediation));
        RETURN_IF_ERROR(CheckAction(static_cast<v1::MediationState>(mediation.state),
                                    Action::kAddNote, Subject(mediation))
                            .status());
        PgMediationStore::InsertNote(tx, note);
        return std::vector<EventMaker>{};
      });
  if (!changed.ok()) {
    return common::ToGrpcStatus(changed.status());
  }
  *response->mutable_note() = ToNote(note);
  return grpc::Status::OK;
}

grpc::Status MediationServiceImpl::ListNotes(grpc::ServerContext* context,
                                             const v1::ListNotesRequest* request,
                                             v1::ListNotesResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "ListNotes");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateMediationId(request->mediation_id()); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  absl::StatusOr<Page> page = ParsePage(request->page_size(), request->page_token());
  if (!page.ok()) {
    return common::ToGrpcStatus(page.status());
  }
  absl::StatusOr<MediationFile> file = mediations_.Get(request->mediation_id());
  if (!file.ok()) {
    return common::ToGrpcStatus(file.status());
  }
  if (absl::Status allowed = RequireAssignedMediator(*acting, file->mediation); !allowed.ok()) {
    return common::ToGrpcStatus(allowed);
  }
  absl::StatusOr<std::vector<NoteRecord>> notes =
      mediations_.ListNotes(request->mediation_id(), page->offset, page->limit);
  if (!notes.ok()) {
    return common::ToGrpcStatus(notes.status());
  }
  for (const NoteRecord& note : *notes) {
    *response->add_notes() = ToNote(note);
  }
  response->set_next_page_token(NextPageToken(*page, notes->size()));
  return grpc::Status::OK;
}

}  // namespace doleances::mediation
