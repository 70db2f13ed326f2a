#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// `submit --file=request.json` (a SubmitComplaintRequest in proto JSON) or
// `submit --administration=UUID --kind=RECLAMATION --channel=API --subject=... --description=...
//  [--commune=69123] [--idempotency-key=K]`: submits one complaint, prints the acknowledgement.
Command SubmitCommand();

// `get COMPLAINT_ID`: prints the complaint as JSON.
Command GetCommand();

// `track TRACKING_CODE`: the citizen's view of a file (no API key needed).
Command TrackCommand();

}  // namespace doleances::cli
