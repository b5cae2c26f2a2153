// Whole-file reads, with errors as values.
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace newsdesk {

// Reads a file into memory. Errors: kNotFound when it cannot be opened,
// kInvalid when it is larger than max_bytes, kInternal on a read error.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 256u << 20);

}  // namespace newsdesk
