// libFuzzer target: the whole importer read path on arbitrary bytes. Every
// format parse_feed sniffs (RSS, RDF, Atom, JSON Feed) is reachable from
// here; the sanitizer runs inside it on every summary and body.
//
// Beyond crashes and sanitizer reports it checks the importer's promises:
// to_json of any parsed feed is valid JSON, every summary and body passes
// the HTML allow-list oracle (html_oracle.h), and parse_feed_file on the same
// bytes (streamed from a file, repaired chunk by chunk) gives the same feed
// or the same error.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "feed/import/parsed_feed.h"
#include "feed/import/parser.h"
#include "html_oracle.h"

namespace {

constexpr const char* kBase = "https://www.icmpd.org/news-centre/";

[[noreturn]] void differs(const std::string& whole, const std::string& streamed) {
  std::fprintf(stderr,
               "parse_feed_file differs from parse_feed:\n--- parse_feed ---\n%s\n"
               "--- parse_feed_file ---\n%s\n",
               whole.c_str(), streamed.c_str());
  std::abort();
}

void check_file_path(std::string_view bytes,
                     const newsdesk::Result<newsdesk::feed::ParsedFeed>& whole) {
  static const std::string path = "/tmp/feed_parser_fuzzer." + std::to_string(::getpid()) + ".xml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::vector<newsdesk::feed::ParsedItem> items;
  auto streamed = newsdesk::feed::parse_feed_file(
      path, kBase, [&](newsdesk::feed::ParsedItem item) -> newsdesk::Result<void> {
        items.push_back(std::move(item));
        return {};
      });
  if (streamed) streamed->items = std::move(items);
  const std::string a = whole ? newsdesk::feed::to_json(*whole) : whole.error().message;
  const std::string b = streamed ? newsdesk::feed::to_json(*streamed) : streamed.error().message;
  if (whole.has_value() != streamed.has_value() || a != b) differs(a, b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // A base URL as the CLI gives for fetched feeds, so relative links and
  // xml:base resolution are exercised as well.
  auto feed = newsdesk::feed::parse_feed(bytes, kBase);
  check_file_path(bytes, feed);
  if (!feed) return 0;
  for (const newsdesk::feed::ParsedItem& item : feed->items) {
    newsdesk::fuzz::check_sanitized_html(item.summary);
    newsdesk::fuzz::check_sanitized_html(item.content_html);
  }
  const std::string json = newsdesk::feed::to_json(*feed);
  if (!nlohmann::json::accept(json)) {
    std::fprintf(stderr, "to_json gave invalid JSON:\n%s\n", json.c_str());
    std::abort();
  }
  return 0;
}
