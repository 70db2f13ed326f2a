#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// `doleancesctl health [service...] [--wait-seconds=N]`: asks each service's grpc.health.v1
// Health for its status; exit 0 only when every one answers SERVING (waiting up to N seconds).
Command HealthCommand();

}  // namespace doleances::cli
