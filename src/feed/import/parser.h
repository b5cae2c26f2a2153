// Reads a feed from bytes. Never touches the network or the file system:
// no DTD, no external entity, no entity substitution.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"
#include "feed/import/parsed_feed.h"

namespace newsdesk::feed {

struct ParseLimits {
  std::size_t max_bytes = 64u << 20;  // larger input is refused
  std::size_t max_items = 100000;
  int max_depth = 256;
};

// Parses RSS 0.9x/2.0 (more formats follow). base_url resolves relative
// links; the feed's own link is used when empty.
// Errors: kInvalid "feed: ..." for input that is no feed or breaks a limit.
Result<ParsedFeed> parse_feed(std::string_view bytes, std::string_view base_url = "",
                              const ParseLimits& limits = {});

}  // namespace newsdesk::feed
