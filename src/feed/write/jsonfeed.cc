#include "feed/write/jsonfeed.h"

#include <nlohmann/json.hpp>

#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::feed {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kVersion = "https://jsonfeed.org/version/1.1";

// date_modified, like Atom's updated, is never before date_published.
const model::DateTime& modified(const model::Item& item) {
  if (item.published_at && model::earlier(item.updated_at, *item.published_at)) {
    return *item.published_at;
  }
  return item.updated_at;
}

Json item_json(const model::Site& site, const FeedInfo& info, const model::Item& item) {
  Json j = Json::object();
  j["id"] = item.guid;
  j["url"] = model::item_url(site, item);
  j["title"] = item.title;
  // One of content_html and content_text is required; a teaser-only feed
  // still needs one, so it repeats the teaser as plain text.
  if (info.full_text && !item.body_html.empty()) {
    j["content_html"] = item.body_html;
  } else {
    j["content_text"] = item.teaser;
  }
  if (!item.teaser.empty()) j["summary"] = item.teaser;
  if (!item.authors.empty()) {
    Json authors = Json::array();
    for (const std::string& name : item.authors) authors.push_back(Json{{"name", name}});
    j["authors"] = std::move(authors);
  }
  if (item.published_at) j["date_published"] = text::format_rfc3339(*item.published_at);
  j["date_modified"] = text::format_rfc3339(modified(item));
  if (!item.categories.empty()) {
    Json tags = Json::array();
    for (const model::Category& category : item.categories) tags.push_back(category.name);
    j["tags"] = std::move(tags);
  }
  if (!item.language.empty() && item.language != site.language) j["language"] = item.language;
  Json attachments = Json::array();
  for (const model::Attachment& a : item.attachments) {
    // mime_type is required for an attachment: one without it is left out
    // rather than given a guessed type.
    if (a.media_type.empty()) continue;
    Json attachment = Json::object();
    attachment["url"] = a.url;
    attachment["mime_type"] = a.media_type;
    if (!a.name.empty()) attachment["title"] = a.name;
    if (a.length > 0) attachment["size_in_bytes"] = a.length;
    attachments.push_back(std::move(attachment));
  }
  if (!attachments.empty()) j["attachments"] = std::move(attachments);
  return j;
}

}  // namespace

std::string write_json_feed(const model::Site& site, const FeedInfo& info,
                            const std::vector<model::Item>& items) {
  Json feed = Json::object();
  feed["version"] = kVersion;
  feed["title"] = info.title;
  // "Should be considered required" on the public web, which we are on.
  feed["home_page_url"] = info.link;
  feed["feed_url"] = info.self_url;
  if (!info.description.empty()) feed["description"] = info.description;
  // JSON Feed's next_url is the only way it has to point at older items.
  if (!info.prev_archive_url.empty()) feed["next_url"] = info.prev_archive_url;
  // The site image is favicon-sized (the RSS channel image); "icon" asks
  // for 512x512, which we do not have.
  if (site.image) feed["favicon"] = site.image->url;
  feed["authors"] = Json::array({Json{{"name", site.title}, {"url", site.base_url}}});
  if (!site.language.empty()) feed["language"] = site.language;
  if (!info.hub_url.empty()) {
    feed["hubs"] = Json::array({Json{{"type", "WebSub"}, {"url", info.hub_url}}});
  }
  Json entries = Json::array();
  for (const model::Item& item : items) entries.push_back(item_json(site, info, item));
  feed["items"] = std::move(entries);
  // replace: a stray byte from an imported feed becomes U+FFFD instead of an
  // exception (dump's default is to throw type_error 316).
  std::string out = feed.dump(-1, ' ', false, Json::error_handler_t::replace);
  out += '\n';
  return out;
}

}  // namespace newsdesk::feed
