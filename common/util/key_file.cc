#include "common/util/key_file.h"

#include <cstdlib>
#include <fstream>

namespace doleances::util {

std::function<std::string()> KeyFileReader(const char* env_var) {
  const char* path = std::getenv(env_var);
  return [path = std::string(path != nullptr ? path : "")]() -> std::string {
    if (path.empty()) {
      return "";
    }
    std::ifstream file(path);
    std::string key;
    std::getline(file, key);
    return key;
  };
}

}  // namespace doleances::util
