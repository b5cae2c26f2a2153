// The importer's read path alone, for bench/import/run.sh: reads a feed file,
// runs parse_feed on it (XML or JSON parse, entity decoding, date parsing and
// sanitizing of every summary and body) and prints the item count. No CLI,
// no JSON output, no database: what is left is the parser's own cost.
//
//   parse_main FILE
//
// The input limits are raised so that the 100k-item memory check is not
// refused; everything else is parse_feed's defaults.

#include <cstddef>
#include <cstdio>
#include <string>

#include "core/file.h"
#include "feed/import/parser.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parse_main FILE\n");
    return 2;
  }
  constexpr std::size_t kMaxBytes = std::size_t{1} << 30;  // libxml2 takes an int length
  auto bytes = newsdesk::read_file(argv[1], kMaxBytes);
  if (!bytes) {
    std::fprintf(stderr, "parse_main: %s\n", bytes.error().message.c_str());
    return 1;
  }
  newsdesk::feed::ParseLimits limits;
  limits.max_bytes = kMaxBytes;
  limits.max_items = 10'000'000;
  auto feed = newsdesk::feed::parse_feed(*bytes, "", limits);
  if (!feed) {
    std::fprintf(stderr, "parse_main: %s\n", feed.error().message.c_str());
    return 1;
  }
  std::printf("%zu\n", feed->items.size());
  return 0;
}
