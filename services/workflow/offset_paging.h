// Offset pages for the small lists read whole (an administration's policies or templates): the
// token is the offset of the next page.
#pragma once

#include "common/status/grpc_status.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

#include <algorithm>
#include <string>
#include <vector>

namespace doleances::workflow {

struct OffsetPage {
  size_t offset = 0;
  size_t size = 50;
};

// The page `page_size` and `page_token` ask for (size 0 means 50, at most 500); a violation
// naming the bad field is added otherwise.
inline OffsetPage ParseOffsetPage(int page_size, const std::string& page_token,
                                  std::vector<common::FieldViolation>& violations) {
  OffsetPage page;
  if (page_size < 0 || page_size > 500) {
    violations.push_back({"page_size", "must be 0 (default 50) to 500"});
  } else if (page_size > 0) {
    page.size = static_cast<size_t>(page_size);
  }
  if (!page_token.empty() && !absl::SimpleAtoi(page_token, &page.offset)) {
    violations.push_back({"page_token", "is not a token this RPC issued"});
  }
  return page;
}

// Hands the items of `page` to `add`, in order; returns the next page's token, empty at the end.
template <typename T, typename Add>
std::string TakePage(std::vector<T>& items, const OffsetPage& page, Add add) {
  const size_t end = std::min(items.size(), page.offset + page.size);
  for (size_t i = page.offset; i < end; ++i) {
    add(std::move(items[i]));
  }
  return end < items.size() ? absl::StrCat(end) : "";
}

}  // namespace doleances::workflow
