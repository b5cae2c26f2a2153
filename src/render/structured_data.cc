#include "render/structured_data.h"

#include "core/json_write.h"
#include "model/permalink.h"
#include "text/date.h"
#include "text/teaser.h"

namespace newsdesk::render {

namespace {

// Written straight into one string, byte for byte what nlohmann's
// ordered_json dump(-1, ' ', false, replace) followed by json_for_script
// gave for the same members (render/structured_data_test.cc compares the
// two): building the tree cost about a tenth of a detail page.
constexpr JsonEscape kEscape = JsonEscape::kScript;

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

// The site as a schema.org Organization, written as the value of the
// member just keyed.
void write_organization(std::string& out, const model::Site& site, bool with_logo) {
  JsonMembers org(out, '{', kEscape);
  org.string("@type", "Organization");
  org.string("name", site.title);
  org.string("url", site.base_url);
  if (with_logo && site.image && !site.image->url.empty()) {
    org.key("logo");
    JsonMembers logo(out, '{', kEscape);
    logo.string("@type", "ImageObject");
    logo.string("url", site.image->url);
    if (site.image->width > 0) logo.number("width", site.image->width);
    if (site.image->height > 0) logo.number("height", site.image->height);
  }
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
  std::string out;
  out.reserve(512 + 2 * url.size() + item.title.size() + item.teaser.size() +
              2 * site.title.size());
  {
    JsonMembers j(out, '{', kEscape);
    j.string("@context", kContext);
    j.string("@type", "NewsArticle");
    j.string("headline", headline(item.title));
    if (!item.teaser.empty()) j.string("description", item.teaser);
    if (item.published_at) j.string("datePublished", site_date(site, *item.published_at));
    // Never before datePublished, as with Atom's updated.
    const model::DateTime& modified =
        item.published_at && model::earlier(item.updated_at, *item.published_at)
            ? *item.published_at
            : item.updated_at;
    j.string("dateModified", site_date(site, modified));
    {
      j.key("mainEntityOfPage");
      JsonMembers page(out, '{', kEscape);
      page.string("@type", "WebPage");
      page.string("@id", url);
    }
    j.string("url", url);
    if (item.lead_image && !item.lead_image->url.empty()) {
      j.key("image");
      JsonMembers images(out, '[', kEscape);
      images.element(item.lead_image->url);
    }
    {
      j.key("author");
      JsonMembers authors(out, '[', kEscape);
      for (const std::string& name : item.authors) {
        authors.next();
        JsonMembers person(out, '{', kEscape);
        person.string("@type", "Person");
        person.string("name", name);
      }
      // An item without a byline is the organisation's own statement.
      if (item.authors.empty()) write_organization(authors.next(), site, /*with_logo=*/false);
    }
    j.key("publisher");
    write_organization(out, site, /*with_logo=*/true);
    const std::string& language = item.language.empty() ? site.language : item.language;
    if (!language.empty()) j.string("inLanguage", language);
    if (!item.categories.empty()) {
      j.key("articleSection");
      JsonMembers sections(out, '[', kEscape);
      for (const model::Category& category : item.categories) sections.element(category.name);
    }
  }
  return out;
}

std::string website_json_ld(const model::Site& site) {
  std::string search = model::view_path(site, model::search_path(""));
  search += kSearchTermPlaceholder;
  std::string out;
  {
    JsonMembers j(out, '{', kEscape);
    j.string("@context", kContext);
    j.string("@type", "WebSite");
    j.string("name", site.title);
    j.string("url", site.base_url);
    if (!site.description.empty()) j.string("description", site.description);
    if (!site.language.empty()) j.string("inLanguage", site.language);
    j.key("potentialAction");
    JsonMembers action(out, '{', kEscape);
    action.string("@type", "SearchAction");
    {
      action.key("target");
      JsonMembers target(out, '{', kEscape);
      target.string("@type", "EntryPoint");
      target.string("urlTemplate", model::absolute_url(site.base_url, search));
    }
    action.string("query-input", "required name=search_term_string");
  }
  return out;
}

}  // namespace newsdesk::render
