// The importer's read path alone, for bench/import/run.sh: streams a feed
// file through parse_feed_file (XML parse, entity decoding, date parsing and
// sanitizing of every summary and body; each item dropped once counted) and
// prints the item count. No CLI, no JSON output, no database: what is left is
// the parser's own cost. --whole reads the file into memory and runs
// parse_feed instead (the pre-streaming path, for comparison).
//
//   parse_main [--whole] FILE
//
// The input limits are raised so that the 100k-item memory check is not
// refused; everything else is the parser's defaults.

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/file.h"
#include "feed/import/parser.h"

int main(int argc, char** argv) {
  const bool whole = argc == 3 && std::strcmp(argv[1], "--whole") == 0;
  if (argc != 2 && !whole) {
    std::fprintf(stderr, "usage: parse_main [--whole] FILE\n");
    return 2;
  }
  const std::string path = argv[argc - 1];
  constexpr std::size_t kMaxBytes = std::size_t{1} << 30;  // libxml2 takes an int length
  newsdesk::feed::ParseLimits limits;
  limits.max_items = 10'000'000;
  std::size_t count = 0;
  if (whole) {
    limits.max_bytes = kMaxBytes;
    auto bytes = newsdesk::read_file(path, kMaxBytes);
    if (!bytes) {
      std::fprintf(stderr, "parse_main: %s\n", bytes.error().message.c_str());
      return 1;
    }
    auto feed = newsdesk::feed::parse_feed(*bytes, "", limits);
    if (!feed) {
      std::fprintf(stderr, "parse_main: %s\n", feed.error().message.c_str());
      return 1;
    }
    count = feed->items.size();
  } else {
    auto feed = newsdesk::feed::parse_feed_file(
        path, "",
        [&](newsdesk::feed::ParsedItem) -> newsdesk::Result<void> {
          ++count;
          return {};
        },
        limits);
    if (!feed) {
      std::fprintf(stderr, "parse_main: %s\n", feed.error().message.c_str());
      return 1;
    }
  }
  std::printf("%zu\n", count);
  return 0;
}
