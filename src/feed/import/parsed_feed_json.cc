#include <nlohmann/json.hpp>

#include "feed/import/parsed_feed.h"
#include "text/date.h"

namespace newsdesk::feed {

namespace {

using Json = nlohmann::ordered_json;

Json date_or_null(const std::optional<model::DateTime>& d) {
  return d ? Json(text::format_rfc3339(*d)) : Json(nullptr);
}

Json string_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string dump(const Json& j) {
  // Invalid UTF-8 is replaced rather than thrown on: the importer's promise
  // is that any readable feed prints.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string to_json(const ParsedItem& item) {
  Json enclosures = Json::array();
  for (const ParsedEnclosure& e : item.enclosures) {
    enclosures.push_back(Json{{"url", e.url},
                              {"type", string_or_null(e.type)},
                              {"length", e.length == 0 ? Json(nullptr) : Json(e.length)}});
  }
  return dump(Json{{"guid", string_or_null(item.guid)},
                   {"title", item.title},
                   {"link", string_or_null(item.link)},
                   {"summary", string_or_null(item.summary)},
                   {"content_html", string_or_null(item.content_html)},
                   {"published", date_or_null(item.published)},
                   {"updated", date_or_null(item.updated)},
                   {"authors", item.authors},
                   {"categories", item.categories},
                   {"enclosures", enclosures}});
}

std::string to_json_head(const ParsedFeed& feed) {
  Json image = nullptr;
  if (feed.image) {
    image = Json{{"url", feed.image->url},
                 {"title", feed.image->title},
                 {"link", feed.image->link},
                 {"width", feed.image->width == 0 ? Json(nullptr) : Json(feed.image->width)},
                 {"height", feed.image->height == 0 ? Json(nullptr) : Json(feed.image->height)}};
  }
  // "feed" then "items", as to_json(feed) writes them.
  return "{\"feed\":" +
         dump(Json{{"title", feed.title},
                   {"link", string_or_null(feed.link)},
                   {"description", string_or_null(feed.description)},
                   {"language", string_or_null(feed.language)},
                   {"updated", date_or_null(feed.updated)},
                   {"generator", string_or_null(feed.generator)},
                   {"image", image}}) +
         ",\"items\":[";
}

std::string to_json(const ParsedFeed& feed) {
  std::string out = to_json_head(feed);
  bool first = true;
  for (const ParsedItem& item : feed.items) {
    if (!first) out += ',';
    first = false;
    out += to_json(item);
  }
  out += kJsonTail;
  return out;
}

}  // namespace newsdesk::feed
