#pragma once

#include <functional>
#include <string>

namespace doleances::util {

// A reader of the API key one service calls another with, kept in the file the environment
// variable `env_var` names (its first line). It reads the file again when its last read is a
// second old, so a key issued after start-up, or rotated, is picked up within a second; it
// returns "" while there is no such file. Thread-safe.
std::function<std::string()> KeyFileReader(const char* env_var);

}  // namespace doleances::util
