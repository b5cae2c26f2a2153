// JSON Feed 1.0 (https://www.jsonfeed.org/version/1/) and 1.1
// (https://www.jsonfeed.org/version/1.1/). 1.1 replaced the single `author`
// object by an `authors` array; both are read. nlohmann::json throws, so
// everything that calls it stays inside parse_json_feed's try block.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/strings.h"
#include "feed/import/parser.h"
#include "feed/import/xml_util.h"
#include "text/sanitize.h"

namespace newsdesk::feed::internal {

namespace {

using Json = nlohmann::json;

// "https://jsonfeed.org/version/1.1"; early feeds wrote http.
constexpr std::string_view kVersionMark = "://jsonfeed.org/version/";

// True when arrays and objects nest more than max_depth levels below the
// top-level value. A scan before parsing, so a hostile document is refused
// before a tree is built for it.
bool nested_deeper_than(std::string_view s, int max_depth) {
  int depth = -1;  // the top-level value is level 0, as the XML root element is
  bool in_string = false;
  bool escape = false;
  for (const char c : s) {
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// The string at key, or "" when absent or of another type: feeds in the wild
// put null or numbers where the spec has strings.
std::string string_at(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// JSON Feed 1.1: "if an id is presented as a number or other type, a JSON
// Feed reader must coerce it to a string".
std::string id_of(const Json& item) {
  const auto it = item.find("id");
  if (it == item.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

std::int64_t length_of(const Json& attachment) {
  const auto it = attachment.find("size_in_bytes");
  if (it == attachment.end()) return 0;
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    return v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
               ? static_cast<std::int64_t>(v)
               : 0;
  }
  if (it->is_number_integer()) return std::max<std::int64_t>(it->get<std::int64_t>(), 0);
  if (it->is_number_float()) {
    // Checked before the cast: converting an out-of-range double is undefined.
    const double v = it->get<double>();
    return v >= 1 && v < 9.0e18 ? static_cast<std::int64_t>(v) : 0;
  }
  return 0;
}

// 1.1 `authors`, else 1.0 `author`.
std::vector<std::string> author_names(const Json& object) {
  std::vector<std::string> out;
  auto add = [&out](const Json& author) {
    if (std::string name = collapse_whitespace(string_at(author, "name")); !name.empty()) {
      out.push_back(std::move(name));
    }
  };
  if (const auto it = object.find("authors"); it != object.end() && it->is_array()) {
    for (const Json& author : *it) add(author);
  } else if (const auto one = object.find("author"); one != object.end() && one->is_object()) {
    add(*one);
  }
  return out;
}

// content_text as HTML: escaped, a paragraph per blank-line-separated block.
std::string text_to_html(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    std::size_t end = text.find("\n\n");
    std::string_view block = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 2);
    if (const std::string t = trim(block); !t.empty()) {
      out += "<p>";
      append_escaped(out, t);
      out += "</p>";
    }
  }
  return out;
}

ParsedItem read_item(const Json& item, std::string_view base,
                     const std::vector<std::string>& feed_authors) {
  ParsedItem out;
  out.guid = id_of(item);
  out.title = collapse_whitespace(string_at(item, "title"));
  out.link = url_of(base, string_at(item, "url"));
  // summary is plain text in JSON Feed; ParsedItem holds HTML.
  out.summary = text::sanitize_html(escaped(trim(string_at(item, "summary"))), base);
  if (const std::string html = string_at(item, "content_html"); !html.empty()) {
    out.content_html = text::sanitize_html(trim(html), base);
  } else {
    out.content_html = text::sanitize_html(text_to_html(string_at(item, "content_text")), base);
  }
  out.published = parse_date(string_at(item, "date_published"));
  out.updated = parse_date(string_at(item, "date_modified"));
  out.authors = author_names(item);
  // JSON Feed 1.1: an item without authors has the feed's.
  if (out.authors.empty()) out.authors = feed_authors;
  if (const auto tags = item.find("tags"); tags != item.end() && tags->is_array()) {
    for (const Json& tag : *tags) {
      if (!tag.is_string()) continue;
      if (std::string t = collapse_whitespace(tag.get<std::string>()); !t.empty()) {
        out.categories.push_back(std::move(t));
      }
    }
  }
  if (const auto list = item.find("attachments"); list != item.end() && list->is_array()) {
    for (const Json& attachment : *list) {
      ParsedEnclosure e;
      e.url = url_of(base, string_at(attachment, "url"));
      e.type = trim(string_at(attachment, "mime_type"));
      e.length = length_of(attachment);
      if (!e.url.empty()) out.enclosures.push_back(std::move(e));
    }
  }
  return out;
}

Result<ParsedFeed> read_feed(const Json& root, std::string_view base_url,
                             const ParseLimits& limits) {
  if (!root.is_object()) return invalid("not a JSON Feed: the top level is not an object");
  const auto version = root.find("version");
  const bool versioned = version != root.end() && version->is_string() &&
                         version->get<std::string>().find(kVersionMark) != std::string::npos;
  if (version != root.end() && !versioned) {
    return invalid("not a JSON Feed: unknown version " + version->dump());
  }
  const auto items = root.find("items");
  if (items != root.end() && !items->is_array()) {
    return invalid("not a JSON Feed: \"items\" is not an array");
  }
  // Without a version, an items array is the least a feed shows.
  if (!versioned && items == root.end()) {
    return invalid("not a JSON Feed: neither \"version\" nor \"items\"");
  }
  if (items != root.end() && items->size() > limits.max_items) {
    return invalid("more than " + std::to_string(limits.max_items) + " items");
  }

  ParsedFeed feed;
  feed.format = "json";
  feed.title = collapse_whitespace(string_at(root, "title"));
  const std::string home = trim(string_at(root, "home_page_url"));
  const std::string resolved_home = url_of(base_url, home);
  feed.link = resolved_home.empty() ? home : resolved_home;  // as the RSS reader does
  feed.description = collapse_whitespace(string_at(root, "description"));
  feed.language = trim(string_at(root, "language"));
  const std::string base = base_url.empty() ? feed.link : std::string(base_url);
  std::string icon = string_at(root, "icon");
  if (trim(icon).empty()) icon = string_at(root, "favicon");
  if (std::string url = url_of(base, icon); !url.empty()) {
    feed.image.emplace();
    feed.image->url = std::move(url);
  }
  if (items == root.end()) return feed;
  const std::vector<std::string> feed_authors = author_names(root);
  for (const Json& item : *items) {
    if (item.is_object()) feed.items.push_back(read_item(item, base, feed_authors));
  }
  return feed;
}

}  // namespace

Result<ParsedFeed> parse_json_feed(std::string_view bytes, std::string_view base_url,
                                   const ParseLimits& limits) {
  if (nested_deeper_than(bytes, limits.max_depth)) return invalid("JSON nested too deeply");
  try {
    const Json root = Json::parse(bytes);
    return read_feed(root, base_url, limits);
  } catch (const Json::parse_error& e) {
    return invalid(std::string("invalid JSON: ") + e.what());
  } catch (const Json::exception& e) {
    return invalid(std::string("unreadable JSON Feed: ") + e.what());
  }
}

}  // namespace newsdesk::feed::internal
