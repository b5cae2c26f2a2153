#include "feed/write/rss.h"

#include "core/strings.h"
#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::feed {

namespace {

// The current home of the RSS 2.0 specification; Harvard's old address,
// which tt_news still writes, has not been maintained since 2009.
constexpr std::string_view kRssDocs = "https://www.rssboard.org/rss-specification";

// RSS dates are shown in the site's zone; the instant stays the same.
model::DateTime in_site_zone(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  return zoned ? *zoned : t;
}

void atom_link(std::string& out, std::string_view rel, std::string_view href,
               std::string_view type = "") {
  out += "    <atom:link href=\"";
  append_escaped(out, href);
  out += "\" rel=\"";
  out += rel;
  out += "\"";
  if (!type.empty()) {
    out += " type=\"";
    out += type;
    out += "\"";
  }
  out += "/>\n";
}

void write_item(std::string& out, const model::Site& site, const model::Item& item,
                bool full_text) {
  out += "    <item>\n";
  append_element(out, "      ", "title", item.title);
  append_element(out, "      ", "link", model::item_url(site, item));
  if (!item.teaser.empty()) {
    // Readers take <description> as HTML, and the teaser is plain text: a
    // '<' in it (a code example, an entity-encoded payload the importer
    // decoded) would open a tag there, "<img src=x onerror=...>". Only '<'
    // is escaped for HTML, so every other teaser stays byte for byte what
    // the source site wrote (tests/feed/fidelity_test.cc).
    std::string teaser;
    for (char c : item.teaser) {
      if (c == '<') {
        teaser += "&lt;";
      } else {
        teaser += c;
      }
    }
    append_element(out, "      ", "description", teaser);
  }
  if (full_text && !item.body_html.empty()) {
    out += "      <content:encoded>";
    append_cdata(out, item.body_html);
    out += "</content:encoded>\n";
  }
  // RSS's own <author> must be an e-mail address; names go in dc:creator.
  for (const std::string& name : item.authors) append_element(out, "      ", "dc:creator", name);
  for (const model::Category& category : item.categories) {
    out += "      <category domain=\"";
    append_escaped(out, model::absolute_url(site.base_url, model::view_path(site, model::category_path(category.slug))));
    out += "\">";
    append_escaped(out, category.name);
    out += "</category>\n";
  }
  // The Best Practices Profile allows one enclosure: the first attachment
  // whose size and type are known.
  for (const model::Attachment& a : item.attachments) {
    if (a.length <= 0 || a.media_type.empty()) continue;
    out += "      <enclosure url=\"";
    append_escaped(out, a.url);
    out += "\" length=\"" + std::to_string(a.length) + "\" type=\"";
    append_escaped(out, a.media_type);
    out += "\"/>\n";
    break;
  }
  // The guid is no URL: it must survive a slug change, so isPermaLink="false".
  out += "      <guid isPermaLink=\"false\">";
  append_escaped(out, item.guid);
  out += "</guid>\n";
  if (item.published_at)
    append_element(out, "      ", "pubDate", text::format_rfc822(*item.published_at));
  out += "    </item>\n";
}

}  // namespace

FeedInfo site_feed_info(const model::Site& site, std::optional<model::DateTime> last_change) {
  FeedInfo info;
  info.title = site.title;
  info.description = site.description;
  info.link = site.base_url;
  info.self_url = model::absolute_url(site.base_url, model::view_path(site, model::kRssPath));
  info.last_change = last_change;
  info.full_text = site.feed_full_text;
  info.hub_url = site.websub_hub;
  if (site.feed_stylesheet) info.stylesheet_url = "/feed.xsl";
  return info;
}

std::string write_rss(const model::Site& site, const FeedInfo& info,
                      const std::vector<model::Item>& items) {
  std::string out;
  std::size_t estimate = 2048;
  for (const model::Item& item : items) estimate += item.body_html.size() + 1024;
  out.reserve(estimate);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  if (!info.stylesheet_url.empty()) {
    out += "<?xml-stylesheet type=\"text/xsl\" href=\"";
    append_escaped(out, info.stylesheet_url);
    out += "\"?>\n";
  }
  out +=
      "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";
  if (info.is_archive) out += " xmlns:fh=\"http://purl.org/syndication/history/1.0\"";
  out += ">\n  <channel>\n";
  append_element(out, "    ", "title", info.title);
  append_element(out, "    ", "link", info.link);
  append_element(out, "    ", "description", info.description);
  atom_link(out, "self", info.self_url, "application/rss+xml");
  if (!info.hub_url.empty()) atom_link(out, "hub", info.hub_url);
  // RFC 5005 in RSS goes through atom:link (its Appendix B).
  if (!info.current_url.empty()) atom_link(out, "current", info.current_url, "application/rss+xml");
  if (!info.prev_archive_url.empty()) {
    atom_link(out, "prev-archive", info.prev_archive_url, "application/rss+xml");
  }
  if (!info.next_archive_url.empty()) {
    atom_link(out, "next-archive", info.next_archive_url, "application/rss+xml");
  }
  if (info.is_archive) out += "    <fh:archive/>\n";
  if (!site.language.empty()) append_element(out, "    ", "language", site.language);
  if (site.image) {
    const model::SiteImage& image = *site.image;
    out += "    <image>\n";
    append_element(out, "      ", "url", image.url);
    append_element(out, "      ", "title", image.title);
    append_element(out, "      ", "link", image.link);
    if (image.width > 0) append_element(out, "      ", "width", std::to_string(image.width));
    if (image.height > 0) append_element(out, "      ", "height", std::to_string(image.height));
    out += "    </image>\n";
  }
  append_element(out, "    ", "generator", "newsdesk " NEWSDESK_VERSION);
  append_element(out, "    ", "docs", kRssDocs);
  if (info.last_change) {
    append_element(out, "    ", "lastBuildDate",
                   text::format_rfc822(in_site_zone(site, *info.last_change)));
  }
  for (const model::Item& item : items) write_item(out, site, item, info.full_text);
  out += "  </channel>\n</rss>\n";
  return out;
}

}  // namespace newsdesk::feed
