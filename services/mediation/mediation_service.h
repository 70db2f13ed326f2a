#pragma once

#include "common/auth/authorizer.h"
#include "common/events/commit_notifier.h"
#include "doleances/mediation/v1/mediation_service.grpc.pb.h"
#include "services/mediation/mediation_mapping.h"
#include "services/mediation/mediation_metrics.h"
#include "services/mediation/pg_mediation_store.h"
#include "services/mediation/pg_mediator_store.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <functional>
#include <optional>
#include <string>

namespace doleances::mediation {

// doleances.mediation.v1.MediationService. Handlers live in three files: mediations and their
// outcome (mediation_service.cc), the registry (mediation_service_registry.cc), and sessions,
// proposals and notes (mediation_service_sessions.cc). Citizens' tracking-code access answers
// UNIMPLEMENTED: mediation cannot verify a tracking code without intake.
class MediationServiceImpl final : public v1::MediationService::Service {
 public:
  MediationServiceImpl(auth::Authorizer& authorizer, PgMediationStore& mediations,
                       PgMediatorStore& mediators, MediationMetrics& metrics,
                       events::CommitNotifier& notifier, std::function<absl::Time()> clock);

  grpc::Status OpenMediation(grpc::ServerContext* context, const v1::OpenMediationRequest* request,
                             v1::OpenMediationResponse* response) override;
  grpc::Status GetMediation(grpc::ServerContext* context, const v1::GetMediationRequest* request,
                            v1::GetMediationResponse* response) override;
  grpc::Status ListMediations(grpc::ServerContext* context,
                              const v1::ListMediationsRequest* request,
                              v1::ListMediationsResponse* response) override;
  grpc::Status CreateMediator(grpc::ServerContext* context,
                              const v1::CreateMediatorRequest* request,
                              v1::CreateMediatorResponse* response) override;
  grpc::Status UpdateMediator(grpc::ServerContext* context,
                              const v1::UpdateMediatorRequest* request,
                              v1::UpdateMediatorResponse* response) override;
  grpc::Status ListMediators(grpc::ServerContext* context, const v1::ListMediatorsRequest* request,
                             v1::ListMediatorsResponse* response) override;
  grpc::Status AssignMediator(grpc::ServerContext* context,
                              const v1::AssignMediatorRequest* request,
                              v1::AssignMediatorResponse* response) override;
  grpc::Status DecideAdmissibility(grpc::ServerContext* context,
                                   const v1::DecideAdmissibilityRequest* request,
                                   v1::DecideAdmissibilityResponse* response) override;
  grpc::Status ScheduleSession(grpc::ServerContext* context,
                               const v1::ScheduleSessionRequest* request,
                               v1::ScheduleSessionResponse* response) override;
  grpc::Status RescheduleSession(grpc::ServerContext* context,
                                 const v1::RescheduleSessionRequest* request,
                                 v1::RescheduleSessionResponse* response) override;
  grpc::Status CancelSession(grpc::ServerContext* context, const v1::CancelSessionRequest* request,
                             v1::CancelSessionResponse* response) override;
  grpc::Status RecordProposal(grpc::ServerContext* context,
                              const v1::RecordProposalRequest* request,
                              v1::RecordProposalResponse* response) override;
  grpc::Status RespondToProposal(grpc::ServerContext* context,
                                 const v1::RespondToProposalRequest* request,
                                 v1::RespondToProposalResponse* response) override;
  grpc::Status AddNote(grpc::ServerContext* context, const v1::AddNoteRequest* request,
                       v1::AddNoteResponse* response) override;
  grpc::Status ListNotes(grpc::ServerContext* context, const v1::ListNotesRequest* request,
                         v1::ListNotesResponse* response) override;
  grpc::Status ExtendDeadline(grpc::ServerContext* context,
                              const v1::ExtendDeadlineRequest* request,
                              v1::ExtendDeadlineResponse* response) override;
  grpc::Status WithdrawMediation(grpc::ServerContext* context,
                                 const v1::WithdrawMediationRequest* request,
                                 v1::WithdrawMediationResponse* response) override;
  grpc::Status CloseMediation(grpc::ServerContext* context,
                              const v1::CloseMediationRequest* request,
                              v1::CloseMediationResponse* response) override;

 private:
  // Who is acting, as far as one mediation is concerned.
  struct Acting {
    auth::Principal principal;
    type::v1::Actor actor;
    std::optional<std::string> mediator_id;  // Set when the caller is a registered mediator.
  };

  // Authorizes `method` and resolves the caller's mediator identity. UNIMPLEMENTED for a
  // tracking-code caller.
  absl::StatusOr<Acting> Authorize(grpc::ServerContext& context, const std::string& method);

  // OK if `acting` is the mediator assigned to `mediation`; PERMISSION_DENIED otherwise.
  static absl::Status RequireAssignedMediator(const Acting& acting,
                                              const MediationRecord& mediation);

  // The view `acting` gets of `mediation`; NOT_FOUND if not visible to them at all.
  static absl::StatusOr<View> ViewOf(const Acting& acting, const MediationRecord& mediation);

  // The side `acting` may answer or withdraw for: any for the assigned mediator, ADMINISTRATION
  // for the administration's agents and supervisors; PERMISSION_DENIED otherwise.
  static absl::Status RequireSide(const Acting& acting, const MediationRecord& mediation,
                                  type::v1::MediationParty party);

  // Assigns the best qualifying mediator (mediator_selection.h) within `tx`; the event maker of
  // MediationAssigned, or nullopt when nobody qualifies.
  std::optional<EventMaker> AssignAutomatically(pqxx::transaction_base& tx,
                                                MediationRecord& mediation, absl::Time now);

  // Records the outcome on `mediation` within `tx` (cancels future sessions, supersedes open
  // proposals); the event maker of MediationClosed.
  EventMaker Close(pqxx::transaction_base& tx, MediationRecord& mediation,
                   type::v1::MediationOutcome outcome, const type::v1::Actor& actor,
                   absl::Time now);

  // Counts the duration and a missed outcome clock of a mediation that just closed.
  void RecordClosed(const MediationRecord& mediation);

  // The mediation after a change that answers with it, in `acting`'s view.
  grpc::Status Answer(const Acting& acting, const absl::StatusOr<MediationRecord>& changed,
                      v1::Mediation* out);

  auth::Authorizer& authorizer_;
  PgMediationStore& mediations_;
  PgMediatorStore& mediators_;
  MediationMetrics& metrics_;
  events::CommitNotifier& notifier_;
  const std::function<absl::Time()> clock_;
};

// page_size (0 = 50, at most 500) and page_token (an offset written by the previous page) of a
// List request; INVALID_ARGUMENT naming the field when malformed.
struct Page {
  int offset = 0;
  int limit = 50;
};
absl::StatusOr<Page> ParsePage(int32_t page_size, const std::string& page_token);

// next_page_token after a page of `returned` items read with `page`: empty when it was the last.
std::string NextPageToken(const Page& page, size_t returned);

}  // namespace doleances::mediation
