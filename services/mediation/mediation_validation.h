// Request validation of MediationService: every violation found, each naming its field path,
// as one INVALID_ARGUMENT (common::InvalidArguments). Pure.
#pragma once

#include "doleances/mediation/v1/mediation_service.pb.h"

#include <absl/status/status.h>
#include <absl/time/time.h>

namespace doleances::mediation {

absl::Status ValidateOpenMediation(const v1::OpenMediationRequest& request);
absl::Status ValidateCreateMediator(const v1::CreateMediatorRequest& request);
absl::Status ValidateUpdateMediator(const v1::UpdateMediatorRequest& request);
absl::Status ValidateAssignMediator(const v1::AssignMediatorRequest& request);
absl::Status ValidateDecideAdmissibility(const v1::DecideAdmissibilityRequest& request);
absl::Status ValidateScheduleSession(const v1::ScheduleSessionRequest& request);
absl::Status ValidateRescheduleSession(const v1::RescheduleSessionRequest& request);
absl::Status ValidateCancelSession(const v1::CancelSessionRequest& request);
// `now` bounds the acceptance deadline (future, at most 90 days ahead).
absl::Status ValidateRecordProposal(const v1::RecordProposalRequest& request, absl::Time now);
absl::Status ValidateRespondToProposal(const v1::RespondToProposalRequest& request);
absl::Status ValidateAddNote(const v1::AddNoteRequest& request);
absl::Status ValidateExtendDeadline(const v1::ExtendDeadlineRequest& request);
absl::Status ValidateWithdrawMediation(const v1::WithdrawMediationRequest& request);
absl::Status ValidateCloseMediation(const v1::CloseMediationRequest& request);

// Just the id of a request naming one mediation (GetMediation, ListNotes).
absl::Status ValidateMediationId(const std::string& mediation_id);

}  // namespace doleances::mediation
