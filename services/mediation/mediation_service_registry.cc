// The mediator registry: CreateMediator, UpdateMediator, ListMediators.
#include "common/status/grpc_status.h"
#include "common/util/uuid.h"
#include "services/mediation/mediation_service.h"
#include "services/mediation/mediation_validation.h"

#include <absl/strings/str_cat.h>

#include <set>

namespace doleances::mediation {
namespace {

// Replaces the fields named by `paths` (every mutable field when empty) with `update`'s.
void ApplyMask(const MediatorRecord& update, const std::set<std::string>& paths,
               MediatorRecord& mediator) {
  auto wanted = [&](const char* path) { return paths.empty() || paths.count(path) > 0; };
  if (wanted("administration_ids")) {
    mediator.administration_ids = update.administration_ids;
  }
  if (wanted("display_name")) {
    mediator.display_name = update.display_name;
  }
  if (wanted("specialties")) {
    mediator.specialties = update.specialties;
  }
  if (wanted("territory_prefixes")) {
    mediator.territory_prefixes = update.territory_prefixes;
  }
  if (wanted("capacity")) {
    mediator.capacity = update.capacity;
  }
  if (wanted("availability_windows")) {
    mediator.availability_windows = update.availability_windows;
  }
  if (wanted("active")) {
    mediator.active = update.active;
  }
  if (wanted("conflict_department_ids")) {
    mediator.conflict_department_ids = update.conflict_department_ids;
  }
}

// An admin may manage the mediators of the administrations they may access.
bool ManagesAll(const auth::Principal& principal, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    if (!principal.MayAccessAdministration(id)) {
      return false;
    }
  }
  return true;
}

}  // namespace

grpc::Status MediationServiceImpl::CreateMediator(grpc::ServerContext* context,
                                                  const v1::CreateMediatorRequest* request,
                                                  v1::CreateMediatorResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "CreateMediator");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateCreateMediator(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  MediatorRecord record = FromMediator(request->mediator());
  if (!ManagesAll(acting->principal, record.administration_ids)) {
    return common::ToGrpcStatus(absl::PermissionDeniedError(
        "mediator.administration_ids names an administration the caller may not manage"));
  }
  record.mediator_id = util::NewUuid();
  absl::StatusOr<MediatorRecord> created = mediators_.Create(record, clock_());
  if (created.ok()) {
    *response->mutable_mediator() = ToMediator(*created);
  }
  return common::ToGrpcStatus(created.status());
}

grpc::Status MediationServiceImpl::UpdateMediator(grpc::ServerContext* context,
                                                  const v1::UpdateMediatorRequest* request,
                                                  v1::UpdateMediatorResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "UpdateMediator");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  if (absl::Status valid = ValidateUpdateMediator(*request); !valid.ok()) {
    return common::ToGrpcStatus(valid);
  }
  const std::set<std::string> paths(request->update_mask().paths().begin(),
                                    request->update_mask().paths().end());
  const bool admin = acting->principal.HasRole(auth::Role::kAdmin);
  const MediatorRecord update = FromMediator(request->mediator());
  absl::StatusOr<MediatorRecord> updated = mediators_.Update(
      request->mediator().mediator_id(), request->mediator().version(),
      [&](MediatorRecord& mediator) -> absl::Status {
        if (!admin) {
          if (acting->mediator_id != mediator.mediator_id) {
            return absl::PermissionDeniedError("mediators may update only themselves");
          }
          if (paths != std::set<std::string>{"availability_windows"}) {
            return absl::PermissionDeniedError(
                "mediators may change only availability_windows (update_mask)");
          }
        } else if (!ManagesAll(acting->principal, mediator.administration_ids) ||
                   !ManagesAll(acting->principal, update.administration_ids)) {
          return absl::PermissionDeniedError(
              "the mediator serves administrations the caller"
              " may not manage");
        }
        ApplyMask(update, paths, mediator);
        return absl::OkStatus();
      },
      clock_());
  if (updated.ok()) {
    *response->mutable_mediator() = ToMediator(*updated);
  }
  return common::ToGrpcStatus(updated.status());
}

grpc::Status MediationServiceImpl::ListMediators(grpc::ServerContext* context,
                                                 const v1::ListMediatorsRequest* request,
                                                 v1::ListMediatorsResponse* response) {
  absl::StatusOr<Acting> acting = Authorize(*context, "ListMediators");
  if (!acting.ok()) {
    return common::ToGrpcStatus(acting.status());
  }
  absl::StatusOr<Page> page = ParsePage(request->page_size(), request->page_token());
  if (!page.ok()) {
    return common::ToGrpcStatus(page.status());
  }
  MediatorFilter filter{.administration_id = request->administration_id(),
                        .specialty = request->specialty(),
                        .territory_code = request->territory_code(),
                        .include_inactive = request->include_inactive()};
  absl::StatusOr<std::vector<MediatorRecord>> listed =
      mediators_.List(filter, page->offset, page->limit);
  if (!listed.ok()) {
    return common::ToGrpcStatus(listed.status());
  }
  for (const MediatorRecord& mediator : *listed) {
    // Shared mediators show to anyone who may see one of their administrations.
    bool visible = false;
    for (const std::string& id : mediator.administration_ids) {
      visible = visible || acting->principal.MayAccessAdministration(id);
    }
    if (visible) {
      *response->add_mediators() = ToMediator(mediator);
    }
  }
  response->set_next_page_token(NextPageToken(*page, listed->size()));
  return grpc::Status::OK;
}

}  // namespace doleances::mediation
