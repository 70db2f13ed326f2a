#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// Operator commands that write the auth schema directly (they need --database-url or
// DOLEANCES_DATABASE_URL, not an API key):
//   admin principal ID --roles=a,b --administrations=x,y|* [--certificate=CN]
//   admin issue-key PRINCIPAL_ID [--valid-days=N]     prints the key once
//   admin revoke-key KEY_ID
Command AdminCommand();

}  // namespace doleances::cli
