#include "feed/write/atom.h"

#include <string_view>

#include "core/strings.h"
#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::feed {

namespace {

// RFC 5005 section 1.1: the feed-history namespace of fh:archive.
constexpr std::string_view kFeedHistoryNs = "http://purl.org/syndication/history/1.0";

void attribute(std::string& out, std::string_view name, std::string_view value) {
  out.append(" ").append(name).append("=\"");
  append_escaped(out, value);
  out += "\"";
}

void link(std::string& out, std::string_view indent, std::string_view rel, std::string_view type,
          std::string_view href) {
  out.append(indent).append("<link");
  attribute(out, "rel", rel);
  if (!type.empty()) attribute(out, "type", type);
  attribute(out, "href", href);
  out += "/>\n";
}

// RFC 4287 section 4.1.1's atom:updated is shown in the site's zone, as RSS's
// lastBuildDate is; the instant stays the same.
model::DateTime in_site_zone(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  return zoned ? *zoned : t;
}

// Section 4.2.15: updated is "the most recent instant in time when an entry
// ... was modified", so it can never precede published. Items imported with
// only a pubDate, or scheduled past their last edit, would otherwise say so.
const model::DateTime& entry_updated(const model::Item& item) {
  if (item.published_at && model::earlier(item.updated_at, *item.published_at)) {
    return *item.published_at;
  }
  return item.updated_at;
}

// The schema's atomMediaType is "whatever contains a slash"; a bare "pdf"
// from an old import would make the whole document invalid.
bool is_media_type(std::string_view type) {
  const auto slash = type.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < type.size();
}

void write_entry(std::string& out, const model::Site& site, const FeedInfo& info,
                 const model::Item& item) {
  out += "  <entry";
  if (!item.language.empty() && item.language != site.language) {
    attribute(out, "xml:lang", item.language);
  }
  out += ">\n";
  append_element(out, "    ", "id", item.guid);
  out += "    <title type=\"text\">";
  append_escaped(out, item.title);
  out += "</title>\n";
  link(out, "    ", "alternate", "text/html", model::item_url(site, item));
  if (item.published_at) {
    append_element(out, "    ", "published", text::format_rfc3339(*item.published_at));
  }
  append_element(out, "    ", "updated", text::format_rfc3339(entry_updated(item)));
  // An entry's own authors; without any, the feed's author stands for it.
  for (const std::string& name : item.authors) {
    out += "    <author>\n";
    append_element(out, "      ", "name", name);
    out += "    </author>\n";
  }
  if (!item.teaser.empty()) {
    out += "    <summary type=\"text\">";
    append_escaped(out, item.teaser);
    out += "</summary>\n";
  }
  if (info.full_text && !item.body_html.empty()) {
    out += "    <content type=\"html\">";
    append_escaped(out, item.body_html);
    out += "</content>\n";
  }
  for (const model::Category& category : item.categories) {
    out += "    <category";
    attribute(out, "term", category.slug);
    attribute(out, "label", category.name);
    attribute(out, "scheme",
              model::absolute_url(site.base_url, model::view_path(site, model::category_path(category.slug))));
    out += "/>\n";
  }
  // Unlike RSS, Atom allows any number of enclosures (section 4.2.7.2), and
  // length and type are optional, so every attachment is listed.
  for (const model::Attachment& a : item.attachments) {
    out += "    <link rel=\"enclosure\"";
    if (is_media_type(a.media_type)) attribute(out, "type", a.media_type);
    if (a.length > 0) attribute(out, "length", std::to_string(a.length));
    if (!a.name.empty()) attribute(out, "title", a.name);
    attribute(out, "href", a.url);
    out += "/>\n";
  }
  out += "  </entry>\n";
}

}  // namespace

std::string write_atom(const model::Site& site, const FeedInfo& info,
                       const std::vector<model::Item>& items) {
  std::string out;
  std::size_t estimate = 2048;
  for (const model::Item& item : items) estimate += item.body_html.size() * 5 / 4 + 1024;
  out.reserve(estimate);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  if (!info.stylesheet_url.empty()) {
    out += "<?xml-stylesheet type=\"text/xsl\"";
    attribute(out, "href", info.stylesheet_url);
    out += "?>\n";
  }
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\"";
  if (info.is_archive) attribute(out, "xmlns:fh", kFeedHistoryNs);
  if (!site.language.empty()) attribute(out, "xml:lang", site.language);
  out += ">\n";
  // Section 4.2.6: the id must not change when the feed is re-published.
  // An archive page is a part of the live feed (RFC 5005 section 4), so it
  // carries the live feed's id.
  const std::string& id =
      info.is_archive && !info.current_url.empty() ? info.current_url : info.self_url;
  append_element(out, "  ", "id", id);
  out += "  <title type=\"text\">";
  append_escaped(out, info.title);
  out += "</title>\n";
  if (!info.description.empty()) {
    out += "  <subtitle type=\"text\">";
    append_escaped(out, info.description);
    out += "</subtitle>\n";
  }
  // An empty feed has no change to show; the epoch keeps the document valid
  // and stable instead of claiming "now".
  const model::DateTime updated =
      info.last_change ? in_site_zone(site, *info.last_change) : model::DateTime{};
  append_element(out, "  ", "updated", text::format_rfc3339(updated));
  // The site is the author of every entry (section 4.1.1 requires one on the
  // feed unless every entry has its own).
  out += "  <author>\n";
  append_element(out, "    ", "name", site.title);
  append_element(out, "    ", "uri", site.base_url);
  out += "  </author>\n";
  link(out, "  ", "alternate", "text/html", info.link);
  link(out, "  ", "self", "application/atom+xml", info.self_url);
  if (!info.hub_url.empty()) link(out, "  ", "hub", "", info.hub_url);
  if (!info.current_url.empty()) {
    link(out, "  ", "current", "application/atom+xml", info.current_url);
  }
  if (!info.prev_archive_url.empty()) {
    link(out, "  ", "prev-archive", "application/atom+xml", info.prev_archive_url);
  }
  if (!info.next_archive_url.empty()) {
    link(out, "  ", "next-archive", "application/atom+xml", info.next_archive_url);
  }
  if (info.is_archive) out += "  <fh:archive/>\n";
  out += "  <generator version=\"" NEWSDESK_VERSION "\">newsdesk</generator>\n";
  // Sections 4.2.5 and 4.2.8: an icon should be square, a logo twice as wide
  // as tall.
  if (site.image) {
    const model::SiteImage& image = *site.image;
    const bool wide = image.width > 0 && image.height > 0 && image.width >= 2 * image.height;
    append_element(out, "  ", wide ? "logo" : "icon", image.url);
  }
  for (const model::Item& item : items) write_entry(out, site, info, item);
  out += "</feed>\n";
  return out;
}

}  // namespace newsdesk::feed
