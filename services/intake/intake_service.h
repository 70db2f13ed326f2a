#pragma once

#include "common/auth/authorizer.h"
#include "common/calendar/business_calendar.h"
#include "common/events/commit_notifier.h"
#include "doleances/intake/v1/intake_service.grpc.pb.h"
#include "services/intake/change_hub.h"
#include "services/intake/group_committer.h"
#include "services/intake/intake_metrics.h"
#include "services/intake/pg_complaint_store.h"

#include <absl/status/statusor.h>

#include <functional>

namespace doleances::intake {

// doleances.intake.v1.IntakeService: the front door. Each handler authorizes, validates, calls
// the store, and converts the outcome to a gRPC status in one place. SubmitComplaint, the hot
// path, uses gRPC's callback API: a call waiting for its group commit holds no thread
// (docs/decisions/0009-intake-callback-api.md).
class IntakeServiceImpl final
    : public v1::IntakeService::WithCallbackMethod_SubmitComplaint<v1::IntakeService::Service> {
 public:
  // Single submissions go through `committer` (group commit); bulk ones straight to `store`.
  IntakeServiceImpl(auth::Authorizer& authorizer, PgComplaintStore& store,
                    GroupCommitter& committer, events::CommitNotifier& notifier,
                    IntakeMetrics& metrics, const calendar::BusinessCalendar& calendar,
                    ChangeHub& changes, std::function<absl::Time()> clock);

  grpc::ServerUnaryReactor* SubmitComplaint(grpc::CallbackServerContext* context,
                                            const v1::SubmitComplaintRequest* request,
                                            v1::SubmitComplaintResponse* response) override;
  grpc::Status SubmitComplaints(grpc::ServerContext* context,
                                const v1::SubmitComplaintsRequest* request,
                                v1::SubmitComplaintsResponse* response) override;
  grpc::Status GetComplaint(grpc::ServerContext* context, const v1::GetComplaintRequest* request,
                            v1::GetComplaintResponse* response) override;
  grpc::Status BatchGetComplaints(grpc::ServerContext* context,
                                  const v1::BatchGetComplaintsRequest* request,
                                  v1::BatchGetComplaintsResponse* response) override;
  grpc::Status ListComplaints(grpc::ServerContext* context,
                              const v1::ListComplaintsRequest* request,
                              v1::ListComplaintsResponse* response) override;
  grpc::Status TrackComplaint(grpc::ServerContext* context,
                              const v1::TrackComplaintRequest* request,
                              v1::TrackComplaintResponse* response) override;
  grpc::Status WatchComplaint(grpc::ServerContext* context,
                              const v1::WatchComplaintRequest* request,
                              grpc::ServerWriter<v1::WatchComplaintResponse>* writer) override;
  grpc::Status AddCitizenMessage(grpc::ServerContext* context,
                                 const v1::AddCitizenMessageRequest* request,
                                 v1::AddCitizenMessageResponse* response) override;
  grpc::Status ListCitizenMessages(grpc::ServerContext* context,
                                   const v1::ListCitizenMessagesRequest* request,
                                   v1::ListCitizenMessagesResponse* response) override;
  grpc::Status SubmitFeedback(grpc::ServerContext* context,
                              const v1::SubmitFeedbackRequest* request,
                              v1::SubmitFeedbackResponse* response) override;
  grpc::Status WithdrawComplaint(grpc::ServerContext* context,
                                 const v1::WithdrawComplaintRequest* request,
                                 v1::WithdrawComplaintResponse* response) override;

 private:
  // Validates one submission on behalf of `submitter` and prepares what the store needs (no I/O).
  // `field_prefix` only labels validation metrics ("requests[3]." in a batch).
  absl::StatusOr<PgComplaintStore::Submission> Prepare(const auth::Principal& submitter,
                                                       const v1::SubmitComplaintRequest& request,
                                                       const std::string& field_prefix,
                                                       absl::Time now);
  // Prepares `request` and queues it for the next group commit; answers through `reactor` once
  // it is stored or refused. A tracking-code collision (ABORTED) starts a fresh attempt, up to
  // `attempts` in all.
  void Store(const auth::Principal& submitter, const v1::SubmitComplaintRequest& request,
             v1::SubmitComplaintResponse* response, grpc::ServerUnaryReactor* reactor,
             int attempts);
  // Counts the outcome of a stored (or refused) submission and builds its answer.
  absl::StatusOr<v1::SubmitComplaintResponse> Finish(const v1::Complaint& complaint,
                                                     const absl::StatusOr<SubmitResult>& stored);
  // The caller and the file of a citizen-facing RPC: authorizes `method`, then returns
  // `validation` if it failed, then resolves the file (ResolveFile).
  struct OpenedFile {
    auth::Caller caller;
    ComplaintRecord record;
  };
  absl::StatusOr<OpenedFile> OpenFile(const grpc::ServerContext& context, const std::string& method,
                                      const absl::Status& validation,
                                      const std::string& complaint_id,
                                      const std::string& tracking_code);

  // The complaint a citizen-facing request names, by tracking code (open to whoever presents
  // it, except that a submitting system may only name its own) or by id (for authenticated
  // callers allowed to read it). NOT_FOUND otherwise, whatever the reason.
  absl::StatusOr<ComplaintRecord> ResolveFile(const auth::Caller& caller,
                                              const std::string& complaint_id,
                                              const std::string& tracking_code);
  // Whether `caller` may see the complaint `record` (otherwise it is NOT_FOUND to them).
  bool MayRead(const auth::Principal& caller, const ComplaintRecord& record) const;

  auth::Authorizer& authorizer_;
  PgComplaintStore& store_;
  GroupCommitter& committer_;
  events::CommitNotifier& notifier_;
  IntakeMetrics& metrics_;
  const calendar::BusinessCalendar& calendar_;
  ChangeHub& changes_;
  const std::function<absl::Time()> clock_;
};

}  // namespace doleances::intake
