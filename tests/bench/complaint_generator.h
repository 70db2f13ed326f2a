#pragma once

#include "doleances/intake/v1/intake_service.pb.h"

#include <absl/time/time.h>

#include <cstdint>
#include <string>
#include <vector>

namespace doleances::bench {

// Complaints that look like what a portal forwards: real INSEE communes and their départements,
// the four kinds citizens file (with a contested decision for appeals), French free text of
// 1.2-2 KB built from category-specific sentences, citizens with names, e-mails, phones and
// postal addresses. The same seed gives the same complaints, so runs compare like with like.
// Every complaint passes intake's validation at `now`.
std::vector<intake::v1::Complaint> GenerateComplaints(int count, uint64_t seed,
                                                      const std::string& administration_id,
                                                      absl::Time now);

}  // namespace doleances::bench
