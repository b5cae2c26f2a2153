#include "render/html.h"

#include <array>

#include "core/strings.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::render {

namespace {

// Kept small and in one place until the theme engine arrives; system fonts,
// a readable measure, and both colour schemes.
constexpr std::string_view kStyle =
    ":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;--link:#0645ad}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#121212;--muted:#aaa;"
    "--link:#8ab4f8}}"
    "body{margin:0;font:1.05rem/1.6 system-ui,sans-serif;color:var(--fg);background:var(--bg)}"
    "a{color:var(--link)}header,main,footer{max-width:44rem;margin:0 auto;padding:1rem}"
    "header{border-bottom:1px solid var(--muted)}header p{margin:0;color:var(--muted)}"
    ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem}"
    "article+article{border-top:1px solid var(--muted)}time,.cats{color:var(--muted)}"
    "h1{line-height:1.25}img{max-width:100%;height:auto}";

// Autodiscovery (rssboard.org/rss-autodiscovery): every page names the site
// feeds, and a category page its own feeds first.
void feed_links(std::string& out, std::string_view title, std::string_view base_path) {
  for (const model::OutputFormat& f : model::kFeedFormats) {
    out += "<link rel=\"alternate\" type=\"";
    out += f.media_type;
    out += "\" title=\"";
    append_escaped(out, title);
    out += " (";
    out += f.title;
    out += ")\" href=\"";
    append_escaped(out, base_path);
    out += f.file_name;
    out += "\">\n";
  }
}

void head(std::string& out, const model::Site& site, std::string_view title,
          std::string_view description, std::string_view canonical,
          const model::Category* category = nullptr) {
  out += "<!DOCTYPE html>\n<html lang=\"";
  append_escaped(out, site.language);
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_escaped(out, title);
  out += "</title>\n";
  if (!description.empty()) {
    out += "<meta name=\"description\" content=\"";
    append_escaped(out, description);
    out += "\">\n";
  }
  if (!canonical.empty()) {
    out += "<link rel=\"canonical\" href=\"";
    append_escaped(out, canonical);
    out += "\">\n";
  }
  if (category != nullptr) {
    feed_links(out, site.title + ": " + category->name, model::category_path(category->slug));
  }
  feed_links(out, site.title, "/");
  out += "<style>";
  out += kStyle;
  out +=
      "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
      "<header>\n<p><a href=\"/\">";
  append_escaped(out, site.title);
  out += "</a></p>\n<p>";
  append_escaped(out, site.description);
  out += "</p>\n</header>\n<main id=\"main\">\n";
}

void foot(std::string& out) {
  out += "</main>\n<footer><p><a href=\"";
  out += model::kRssPath;
  out += "\">RSS feed</a></p></footer>\n</body>\n</html>\n";
}

void time_element(std::string& out, const model::Site& site, const model::DateTime& t) {
  out += "<time datetime=\"";
  out += text::format_rfc3339(t);
  out += "\">";
  append_escaped(out, display_date(site, t));
  out += "</time>";
}

void categories(std::string& out, const model::Item& item) {
  if (item.categories.empty()) return;
  out += "<p class=\"cats\">";
  bool first = true;
  for (const auto& c : item.categories) {
    if (!first) out += ", ";
    first = false;
    append_escaped(out, c.name);
  }
  out += "</p>\n";
}

}  // namespace

std::string display_date(const model::Site& site, const model::DateTime& t) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  // "2018-07-04T10:11:30+02:00": the calendar fields in that zone.
  const std::string iso = text::format_rfc3339(zoned ? *zoned : t);
  const int year = std::stoi(iso.substr(0, 4));
  const int month = std::stoi(iso.substr(5, 2));
  const int day = std::stoi(iso.substr(8, 2));
  return std::to_string(day) + " " + std::string(kMonths[month - 1]) + " " + std::to_string(year);
}

namespace {

void item_list(std::string& out, const model::Site& site, const std::vector<model::Item>& items) {
  if (items.empty()) out += "<p>No news yet.</p>\n";
  for (const model::Item& item : items) {
    out += "<article>\n<h2><a href=\"";
    append_escaped(out, model::item_path(site, item.slug));
    out += "\">";
    append_escaped(out, item.title);
    out += "</a></h2>\n";
    if (item.published_at) {
      out += "<p>";
      time_element(out, site, *item.published_at);
      out += "</p>\n";
    }
    if (!item.teaser.empty()) {
      out += "<p>";
      append_escaped(out, item.teaser);
      out += "</p>\n";
    }
    out += "</article>\n";
  }
}

}  // namespace

std::string home_page(const model::Site& site, const std::vector<model::Item>& items) {
  std::string out;
  out.reserve(4096 + items.size() * 512);
  head(out, site, site.title, site.description, site.base_url);
  out += "<h1>";
  append_escaped(out, site.description);
  out += "</h1>\n";
  item_list(out, site, items);
  foot(out);
  return out;
}

std::string category_page(const model::Site& site, const model::Category& category,
                          const std::vector<model::Item>& items) {
  std::string out;
  out.reserve(4096 + items.size() * 512);
  head(out, site, category.name + " - " + site.title, "",
       model::absolute_url(site.base_url, model::category_path(category.slug)), &category);
  out += "<h1>";
  append_escaped(out, category.name);
  out += "</h1>\n";
  item_list(out, site, items);
  foot(out);
  return out;
}

std::string item_page(const model::Site& site, const model::Item& item) {
  std::string out;
  out.reserve(4096 + item.body_html.size());
  head(out, site, item.title + " - " + site.title, item.teaser, model::item_url(site, item.slug));
  out += "<article>\n<h1>";
  append_escaped(out, item.title);
  out += "</h1>\n";
  if (item.published_at) {
    out += "<p>";
    time_element(out, site, *item.published_at);
    out += "</p>\n";
  }
  categories(out, item);
  // body_html was sanitized when it entered the store.
  out += item.body_html;
  out += "\n";
  if (!item.attachments.empty()) {
    out += "<h2>Downloads</h2>\n<ul>\n";
    for (const auto& a : item.attachments) {
      out += "<li><a href=\"";
      append_escaped(out, a.url);
      out += "\">";
      append_escaped(out, a.name.empty() ? a.url : a.name);
      out += "</a></li>\n";
    }
    out += "</ul>\n";
  }
  out += "</article>\n";
  foot(out);
  return out;
}

std::string_view feed_stylesheet() {
  // XSLT 1.0, which every browser runs. Matches RSS 2.0 and Atom 1.0; links
  // only to what the feed itself names. Item HTML is not rendered (it would
  // need disable-output-escaping, which Firefox ignores): titles and
  // summaries suffice for a preview.
  return R"xsl(<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/rss/channel/title | /atom:feed/atom:title"/> (feed)</title>
        <style>body{max-width:44rem;margin:0 auto;padding:1rem;font:1.05rem/1.6 system-ui,sans-serif}
.note{padding:.75rem 1rem;border:1px solid #888;border-radius:.5rem}
article{border-top:1px solid #ccc}</style>
      </head>
      <body>
        <main>
          <p class="note">This is a web feed. Copy its address into a feed reader to follow
            the news; new items then reach you on their own.</p>
          <h1><xsl:value-of select="/rss/channel/title | /atom:feed/atom:title"/></h1>
          <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <xsl:for-each select="/rss/channel/item">
            <article>
              <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
              <p><xsl:value-of select="pubDate"/></p>
              <p><xsl:value-of select="description"/></p>
            </article>
          </xsl:for-each>
          <xsl:for-each select="/atom:feed/atom:entry">
            <article>
              <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
              <p><xsl:value-of select="atom:published"/></p>
              <p><xsl:value-of select="atom:summary"/></p>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
)xsl";
}

std::string not_found_page(const model::Site& site) {
  std::string out;
  head(out, site, "Page not found - " + site.title, "", "");
  out +=
      "<h1>Page not found</h1>\n<p>There is nothing at this address. "
      "The <a href=\"/\">latest news</a> may have what you are looking for.</p>\n";
  foot(out);
  return out;
}

}  // namespace newsdesk::render
