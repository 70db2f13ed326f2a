// Offset pages for the small lists read whole (an administration's policies or templates): the
// token is the offset of the next page.
#pragma once

#include "common/status/grpc_status.h"
#include "services/workflow/workflow_rpc_support.h"

#include <absl/strings/str_cat.h>

#include <algorithm>
#include <string>
#include <vector>

namespace doleances::workflow {

struct OffsetPage {
  size_t offset = 0;
  size_t size = 50;
};

// The page `page_size` and `page_token` ask for (the rules of PageWindow); a violation naming
// the bad field is added otherwise.
inline OffsetPage ParseOffsetPage(int page_size, const std::string& page_token,
                                  std::vector<common::FieldViolation>& violations) {
  const ListWindow window = PageWindow(page_size, page_token, violations);
  return {static_cast<size_t>(window.offset), static_cast<size_t>(window.limit - 1)};
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
