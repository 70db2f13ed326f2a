#include "common/events/consumer_members.h"

#include <algorithm>

namespace doleances::events {

ConsumerMembers::ConsumerMembers(db::ConnectionPool& pool, int members,
                                 const ConsumerOptions& options, const EventHandler& handler) {
  for (int i = 0; i < std::max(1, members); ++i) {
    members_.push_back(std::make_unique<EventConsumer>(pool, options, handler));
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
