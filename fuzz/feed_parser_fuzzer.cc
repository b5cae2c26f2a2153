// libFuzzer target: the whole importer read path on arbitrary bytes. Every
// format parse_feed sniffs (RSS, RDF, Atom, JSON Feed) is reachable from
// here; the sanitizer runs inside it on every summary and body.
//
// Beyond crashes and sanitizer reports it checks the importer's promises:
// to_json of any parsed feed is valid JSON, and every summary and body
// passes the HTML allow-list oracle (html_oracle.h).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "feed/import/parsed_feed.h"
#include "feed/import/parser.h"
#include "html_oracle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // A base URL as the CLI gives for fetched feeds, so relative links and
  // xml:base resolution are exercised as well.
  auto feed = newsdesk::feed::parse_feed(bytes, "https://www.icmpd.org/news-centre/");
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
