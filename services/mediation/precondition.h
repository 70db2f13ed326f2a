#pragma once

#include <absl/status/status.h>
#include <absl/strings/string_view.h>

namespace doleances::mediation {

// FAILED_PRECONDITION with `description` as message and a doleances.type.v1.PreconditionFailure
// detail of one violation: `type` (ACTION_NOT_ALLOWED, MEDIATOR_BUSY, ...) about `subject`
// ("mediation/<uuid>").
absl::Status PreconditionError(absl::string_view type, absl::string_view subject,
                               absl::string_view description);

}  // namespace doleances::mediation
