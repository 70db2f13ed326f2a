#include "common/util/key_file.h"

#include <absl/synchronization/mutex.h>
#include <absl/time/clock.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

namespace doleances::util {
namespace {

// How long a key read from the file is used before the file is read again: reading it on every
// call cost a few per cent of workflow's CPU (a call per routed complaint), and a rotated key is
// still picked up within this delay.
constexpr absl::Duration kRereadAfter = absl::Seconds(1);

class CachedKeyFile {
 public:
  explicit CachedKeyFile(std::string path) : path_(std::move(path)) {}

  std::string Key() {
    absl::MutexLock lock(&mutex_);
    const absl::Time now = absl::Now();
    if (now - read_at_ >= kRereadAfter) {
      std::ifstream file(path_);
      key_.clear();
      std::getline(file, key_);
      read_at_ = now;
    }
    return key_;
  }

 private:
  const std::string path_;
  absl::Mutex mutex_;
  std::string key_ ABSL_GUARDED_BY(mutex_);
  absl::Time read_at_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
};

}  // namespace

std::function<std::string()> KeyFileReader(const char* env_var) {
  const char* path = std::getenv(env_var);
  if (path == nullptr || *path == '\0') {
    return [] { return std::string(); };
  }
  auto cached = std::make_shared<CachedKeyFile>(path);
  return [cached] { return cached->Key(); };
}

}  // namespace doleances::util
