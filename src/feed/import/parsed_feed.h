// What the importer reads from a feed, format-neutral. Titles are plain text
// with entities decoded; summary and content_html are sanitized HTML; URLs
// are absolute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/datetime.h"

namespace newsdesk::feed {

struct ParsedImage {
  std::string url;
  std::string title;
  std::string link;
  int width = 0;   // 0: absent
  int height = 0;  // 0: absent
};

struct ParsedEnclosure {
  std::string url;
  std::string type;
  std::int64_t length = 0;  // 0: absent or unparseable
};

struct ParsedItem {
  std::string guid;  // as in the source; empty when absent
  std::string title;
  std::string link;
  std::string summary;
  std::string content_html;
  std::optional<model::DateTime> published;
  std::optional<model::DateTime> updated;
  std::vector<std::string> authors;
  std::vector<std::string> categories;
  std::vector<ParsedEnclosure> enclosures;
  // The item's own language: an Atom entry's xml:lang, an RSS item's
  // dc:language; empty: the feed's.
  std::string language;
};

struct ParsedFeed {
  std::string format;  // "rss", "atom" or "json"
  std::string title;
  std::string link;
  std::string description;
  std::string language;
  std::optional<model::DateTime> updated;
  std::string generator;
  std::optional<ParsedImage> image;
  std::vector<ParsedItem> items;
};

// The JSON object `newsdesk import --dry-run --json` prints (DESIGN.md).
std::string to_json(const ParsedFeed& feed);

// The same document in pieces, for printing a feed item by item:
// to_json_head(feed) + to_json(item) joined by "," + kJsonTail equals
// to_json(feed) with those items. The head ignores feed.items.
std::string to_json_head(const ParsedFeed& feed);
std::string to_json(const ParsedItem& item);
inline constexpr std::string_view kJsonTail = "]}";

}  // namespace newsdesk::feed
