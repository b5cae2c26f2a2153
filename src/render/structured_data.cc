#include "render/structured_data.h"

#include <nlohmann/json.hpp>

#include "model/permalink.h"
#include "text/date.h"
#include "text/teaser.h"

namespace newsdesk::render {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kContext = "https://schema.org";
// schema.org's placeholder for what the reader types; search_path would
// percent-encode its braces, so it is appended to an empty query.
constexpr std::string_view kSearchTermPlaceholder = "{search_term_string}";

std::string site_date(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  return text::format_rfc3339(zoned ? *zoned : t);
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// crop_teaser appends "..." to what it keeps, so it keeps 3 fewer.
std::string headline(std::string_view title) {
  if (code_points(title) <= kMaxHeadlineLength) return std::string(title);
  return text::crop_teaser(title, kMaxHeadlineLength - 3);
}

Json organization(const model::Site& site, bool with_logo) {
  Json org = Json::object();
  org["@type"] = "Organization";
  org["name"] = site.title;
  org["url"] = site.base_url;
  if (with_logo && site.image && !site.image->url.empty()) {
    Json logo = Json::object();
    logo["@type"] = "ImageObject";
    logo["url"] = site.image->url;
    if (site.image->width > 0) logo["width"] = site.image->width;
    if (site.image->height > 0) logo["height"] = site.image->height;
    org["logo"] = std::move(logo);
  }
  return org;
}

std::string dump_for_script(const Json& j) {
  // replace: invalid UTF-8 from an import becomes U+FFFD instead of an
  // exception (dump's default is to throw type_error 316).
  return json_for_script(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

std::string json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 64);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    switch (c) {
      case '<':
        out += "\\u003c";
        continue;
      case '>':
        out += "\\u003e";
        continue;
      case '&':
        out += "\\u0026";
        continue;
      default:
        break;
    }
    // U+2028 and U+2029 (E2 80 A8/A9) end a line in older JavaScript.
    if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
        (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

std::string news_article_json_ld(const model::Site& site, const model::Item& item) {
  const std::string url = model::item_url(site, item);
  Json j = Json::object();
  j["@context"] = kContext;
  j["@type"] = "NewsArticle";
  j["headline"] = headline(item.title);
  if (!item.teaser.empty()) j["description"] = item.teaser;
  if (item.published_at) j["datePublished"] = site_date(site, *item.published_at);
  // Never before datePublished, as with Atom's updated.
  const model::DateTime& modified =
      item.published_at && model::earlier(item.updated_at, *item.published_at) ? *item.published_at
                                                                               : item.updated_at;
  j["dateModified"] = site_date(site, modified);
  j["mainEntityOfPage"] = Json{{"@type", "WebPage"}, {"@id", url}};
  j["url"] = url;
  if (item.lead_image && !item.lead_image->url.empty())
    j["image"] = Json::array({item.lead_image->url});
  Json authors = Json::array();
  for (const std::string& name : item.authors) {
    authors.push_back(Json{{"@type", "Person"}, {"name", name}});
  }
  // An item without a byline is the organisation's own statement.
  if (authors.empty()) authors.push_back(organization(site, /*with_logo=*/false));
  j["author"] = std::move(authors);
  j["publisher"] = organization(site, /*with_logo=*/true);
  const std::string& language = item.language.empty() ? site.language : item.language;
  if (!language.empty()) j["inLanguage"] = language;
  if (!item.categories.empty()) {
    Json sections = Json::array();
    for (const model::Category& category : item.categories) sections.push_back(category.name);
    j["articleSection"] = std::move(sections);
  }
  return dump_for_script(j);
}

std::string website_json_ld(const model::Site& site) {
  Json j = Json::object();
  j["@context"] = kContext;
  j["@type"] = "WebSite";
  j["name"] = site.title;
  j["url"] = site.base_url;
  if (!site.description.empty()) j["description"] = site.description;
  if (!site.language.empty()) j["inLanguage"] = site.language;
  Json target = Json::object();
  target["@type"] = "EntryPoint";
  std::string search = model::view_path(site, model::search_path(""));
  search += kSearchTermPlaceholder;
  target["urlTemplate"] = model::absolute_url(site.base_url, search);
  Json action = Json::object();
  action["@type"] = "SearchAction";
  action["target"] = std::move(target);
  action["query-input"] = "required name=search_term_string";
  j["potentialAction"] = std::move(action);
  return dump_for_script(j);
}

}  // namespace newsdesk::render
