// gzip (RFC 1952) through zlib, with the one set of settings newsdesk uses
// everywhere, so the response cache and `newsdesk export --gzip` produce the
// same bytes for the same input.
#pragma once

#include <string>
#include <string_view>

namespace newsdesk {

// Level 9, the gzip wrapper, MAX_MEM_LEVEL, the default strategy. Empty on
// failure (or for input beyond 4 GiB, which zlib's uInt cannot describe).
std::string gzip_compress(std::string_view in);

}  // namespace newsdesk
