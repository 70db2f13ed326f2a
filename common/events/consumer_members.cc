#include "common/events/consumer_members.h"

#include <algorithm>
#include <utility>

namespace doleances::events {

ConsumerMembers::ConsumerMembers(db::ConnectionPool& pool, int members,
                                 const ConsumerOptions& options, const EventHandler& handler) {
  const int count = std::max(1, members);
  for (int i = 0; i < count; ++i) {
    ConsumerOptions sliced = options;
    sliced.slice = i;
    sliced.slices = count;
    members_.push_back(std::make_unique<EventConsumer>(pool, std::move(sliced), handler));
  }
}

absl::Status ConsumerMembers::Register() { return members_.front()->Register(); }

void ConsumerMembers::Start() {
  for (const std::unique_ptr<EventConsumer>& member : members_) {
    member->Start();
  }
}

void ConsumerMembers::Stop() {
  for (const std::unique_ptr<EventConsumer>& member : members_) {
    member->Stop();
  }
}

}  // namespace doleances::events
