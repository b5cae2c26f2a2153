#include "feed/write/jsonfeed.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/strings.h"
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

// `s` as a JSON string, byte for byte as nlohmann's dump(-1, ' ', false,
// replace) writes it: '"' and '\\' escaped, the short escapes for \b \f
// \n \r \t, other controls as \u00xx, everything else as it is. Text that
// is no UTF-8 goes through nlohmann itself, which replaces the bad bytes
// with U+FFFD. The writer builds no JSON tree: item bodies are most of a
// feed's bytes and were copied into one, then escaped byte by byte.
void append_string(std::string& out, std::string_view s) {
  if (!is_utf8(s)) {
    out += nlohmann::json(std::string(s))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
    }
  }
  out.append(s.substr(run));
  out += '"';
}

// A JSON object or array being written: members in the order given, commas
// between them.
class Members {
 public:
  Members(std::string& out, char open) : out_(out), close_(open == '{' ? '}' : ']') {
    out_ += open;
  }
  ~Members() { out_ += close_; }
  Members(const Members&) = delete;
  Members& operator=(const Members&) = delete;

  // The next member's name (objects) or its place (arrays).
  std::string& key(std::string_view name) {
    next();
    append_string(out_, name);
    out_ += ':';
    return out_;
  }
  std::string& next() {
    if (!first_) out_ += ',';
    first_ = false;
    return out_;
  }
  void string(std::string_view name, std::string_view value) { append_string(key(name), value); }
  void number(std::string_view name, std::int64_t value) { key(name) += std::to_string(value); }

 private:
  std::string& out_;
  char close_;
  bool first_ = true;
};

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
    for (const model::Category& category : item.categories)
      append_string(tags.next(), category.name);
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
