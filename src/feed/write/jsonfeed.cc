#include "feed/write/jsonfeed.h"

#include <algorithm>

#include "core/json_write.h"
#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::feed {

namespace {

constexpr std::string_view kVersion = "https://jsonfeed.org/version/1.1";

// date_modified, like Atom's updated, is never before date_published.
const model::DateTime& modified(const model::Item& item) {
  if (item.published_at && model::earlier(item.updated_at, *item.published_at)) {
    return *item.published_at;
  }
  return item.updated_at;
}

// JSON is written straight into the string (core/json_write.h), byte for
// byte what nlohmann's dump writes: item bodies are most of a feed's bytes
// and were copied into a tree, then escaped byte by byte.
using Members = JsonMembers;

void write_item(std::string& out, const model::Site& site, const FeedInfo& info,
                const model::Item& item) {
  Members j(out, '{');
  j.string("id", item.guid);
  j.string("url", model::item_url(site, item));
  j.string("title", item.title);
  // One of content_html and content_text is required; a teaser-only feed
  // still needs one, so it repeats the teaser as plain text.
  if (info.full_text && !item.body_html.empty()) {
    j.string("content_html", item.body_html);
  } else {
    j.string("content_text", item.teaser);
  }
  if (!item.teaser.empty()) j.string("summary", item.teaser);
  if (!item.authors.empty()) {
    j.key("authors");
    Members authors(out, '[');
    for (const std::string& name : item.authors) {
      authors.next();
      Members author(out, '{');
      author.string("name", name);
    }
  }
  if (item.published_at) j.string("date_published", text::format_rfc3339(*item.published_at));
  j.string("date_modified", text::format_rfc3339(modified(item)));
  if (!item.categories.empty()) {
    j.key("tags");
    Members tags(out, '[');
    for (const model::Category& category : item.categories) tags.element(category.name);
  }
  if (!item.language.empty() && item.language != site.language) j.string("language", item.language);
  // mime_type is required for an attachment: one without it is left out
  // rather than given a guessed type.
  const bool any_typed =
      std::any_of(item.attachments.begin(), item.attachments.end(),
                  [](const model::Attachment& a) { return !a.media_type.empty(); });
  if (any_typed) {
    j.key("attachments");
    Members attachments(out, '[');
    for (const model::Attachment& a : item.attachments) {
      if (a.media_type.empty()) continue;
      attachments.next();
      Members attachment(out, '{');
      attachment.string("url", a.url);
      attachment.string("mime_type", a.media_type);
      if (!a.name.empty()) attachment.string("title", a.name);
      if (a.length > 0) attachment.number("size_in_bytes", a.length);
    }
  }
}

}  // namespace

std::string write_json_feed(const model::Site& site, const FeedInfo& info,
                            const std::vector<model::Item>& items) {
  std::string out;
  std::size_t guess = 1024;
  for (const model::Item& item : items) guess += item.body_html.size() + item.teaser.size() + 512;
  out.reserve(guess);
  {
    Members feed(out, '{');
    feed.string("version", kVersion);
    feed.string("title", info.title);
    // "Should be considered required" on the public web, which we are on.
    feed.string("home_page_url", info.link);
    feed.string("feed_url", info.self_url);
    if (!info.description.empty()) feed.string("description", info.description);
    // JSON Feed's next_url is the only way it has to point at older items.
    if (!info.prev_archive_url.empty()) feed.string("next_url", info.prev_archive_url);
    // The site image is favicon-sized (the RSS channel image); "icon" asks
    // for 512x512, which we do not have.
    if (site.image) feed.string("favicon", site.image->url);
    {
      feed.key("authors");
      Members authors(out, '[');
      authors.next();
      Members author(out, '{');
      author.string("name", site.title);
      author.string("url", site.base_url);
    }
    if (!site.language.empty()) feed.string("language", site.language);
    if (!info.hub_url.empty()) {
      feed.key("hubs");
      Members hubs(out, '[');
      hubs.next();
      Members hub(out, '{');
      hub.string("type", "WebSub");
      hub.string("url", info.hub_url);
    }
    feed.key("items");
    Members entries(out, '[');
    for (const model::Item& item : items) {
      entries.next();
      write_item(out, site, info, item);
    }
  }
  out += '\n';
  return out;
}

}  // namespace newsdesk::feed
