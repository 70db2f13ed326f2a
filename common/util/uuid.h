#pragma once

#include <string>

namespace doleances::util {

// A new random (version 4) UUID in canonical lowercase form, from the OS CSPRNG.
std::string NewUuid();

}  // namespace doleances::util
