#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// `kpis --administration=UUID [--days=30] [--group-by=CATEGORY,MONTH] [--category=C]`: KPIs of
// the last N days (an analyst's or supervisor's key).
Command KpisCommand();

// `trends --administration=UUID [--days=90] [--granularity=DAY|WEEK] [--metric=RECEIVED]
//  [--split-by=CATEGORY]`: series with their flagged spikes.
Command TrendsCommand();

// `top --administration=UUID [--days=30] [--territory-level=TERRITORY_DEPARTMENT]`: the most
// frequent categories and terms per territory.
Command TopCommand();

}  // namespace doleances::cli
