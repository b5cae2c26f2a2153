#include "render/pages.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/strings.h"
#include "model/languages.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "render/i18n.h"
#include "text/date.h"

namespace newsdesk::render {

namespace {

using mstch::array;
using mstch::map;

// A mstch::map built by moving each value in. The initializer-list
// constructor copies every key and value (an initializer_list's elements
// are const), nested maps and arrays deeply; such copies were about a tenth
// of a detail page.
class Fields {
 public:
  template <typename Value>
  Fields& add(std::string_view key, Value&& value) {
    // A string literal would become a bool node.
    static_assert(!std::is_pointer_v<std::decay_t<Value>>, "pass a std::string");
    map_.emplace(std::piecewise_construct, std::forward_as_tuple(key),
                 std::forward_as_tuple(std::forward<Value>(value)));
    return *this;
  }
  map take() { return std::move(map_); }

 private:
  map map_;
};

// What a page tells the layout about itself.
struct PageMeta {
  std::string heading;      // the h1, and og:title
  std::string page_title;   // <title>; "heading · site" when empty
  std::string description;  // meta description; the site's when empty
  std::string path;         // canonical path; empty: none
  std::string og_type = "website";
  std::optional<model::LeadImage> image;
  std::string json_ld;
  bool noindex = false;
  const model::Category* feeds_of = nullptr;  // a category's own feeds come first
  std::string nav_current;                    // "news", "archive", or a category slug
  // The page in other languages: the same path under each language's
  // prefix, or (when set) the given versions (an item's translations); none
  // for pages that may not exist in the others.
  bool same_in_every_language = true;
  const std::vector<model::Item>* versions = nullptr;
};

// hreflang alternates, and the language switcher: in each served language,
// the page's version there, else that language's home.
void add_languages(map& ctx, const model::Site& site, const PageMeta& meta) {
  const std::vector<std::string> served = model::served_languages(site);
  array alternates;
  array languages;
  if (served.size() > 1) {
    std::string x_default;
    for (const std::string& l : served) {
      std::string path;
      if (meta.versions != nullptr) {
        for (const model::Item& version : *meta.versions) {
          if (model::served_language(site, version.language) == l) {
            path = model::item_path(site, version);
            break;
          }
        }
      } else if (meta.same_in_every_language && !meta.path.empty() && !meta.noindex) {
        path = model::language_prefix(site, l) + meta.path.substr(site.path_prefix.size());
      }
      if (!path.empty()) {
        alternates.push_back(Fields()
                                 .add("hreflang", l)
                                 .add("url", model::absolute_url(site.base_url, path))
                                 .take());
        if (l == served.front()) x_default = path;
      }
      languages.push_back(
          Fields()
              .add("code", l)
              .add("name", model::language_name(l))
              .add("url", path.empty() ? model::language_prefix(site, l) + "/" : std::move(path))
              .add("dir", std::string(text_direction(l)))
              .add("current", l == site.language)
              .take());
    }
    if (!x_default.empty() && alternates.size() > 1) {
      alternates.push_back(Fields()
                               .add("hreflang", std::string("x-default"))
                               .add("url", model::absolute_url(site.base_url, x_default))
                               .take());
    }
    if (alternates.size() == 1) alternates.clear();  // only itself: nothing to say
  }
  ctx["has_languages"] = !languages.empty();
  ctx["languages"] = std::move(languages);
  ctx["alternates"] = std::move(alternates);
  ctx["home_url"] = model::view_path(site, "/");
  ctx["news_url"] = model::view_path(site, model::news_list_path());
  ctx["archive_url"] = model::view_path(site, model::archive_path());
  ctx["search_url"] = model::view_path(site, "/search");
}

std::string concat(std::string_view a, std::string_view b, std::string_view c = {},
                   std::string_view d = {}) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size() + d.size());
  out.append(a).append(b).append(c).append(d);
  return out;
}

void add_feed_links(array& out, std::string_view base, std::string_view title) {
  for (const model::OutputFormat& f : model::kFeedFormats) {
    out.push_back(Fields()
                      .add("type", std::string(f.media_type))
                      .add("title", concat(title, " (", f.title, ")"))
                      .add("label", concat(title, " ", f.title))
                      .add("url", concat(base, f.file_name))
                      .take());
  }
}

array feed_links(const model::Site& site, const model::Category* category) {
  array out;
  out.reserve((category != nullptr ? 2 : 1) * model::kFeedFormats.size());
  if (category != nullptr) {
    add_feed_links(out, model::view_path(site, model::category_path(category->slug)),
                   category->name);
  }
  add_feed_links(out, concat(site.path_prefix, "/"), site.title);
  return out;
}

map base_context(const Theme& theme, const model::Site& site, const Chrome& chrome,
                 const PageMeta& meta) {
  array nav;
  nav.reserve(chrome.categories.size());
  for (const CategoryCount& c : chrome.categories) {
    nav.push_back(Fields()
                      .add("name", c.category.name)
                      .add("url", model::view_path(site, model::category_path(c.category.slug)))
                      .add("current", meta.nav_current == c.category.slug)
                      .take());
  }
  std::string locale = site.language;
  std::replace(locale.begin(), locale.end(), '-', '_');
  map ctx = Fields()
                .add("language", site.language)
                .add("dir", std::string(text_direction(site.language)))
                .add("site_title", site.title)
                .add("site_description", site.description)
                .add("heading", meta.heading)
                .add("page_title", meta.page_title.empty() ? concat(meta.heading, " · ", site.title)
                                                           : meta.page_title)
                .add("description", meta.description.empty() ? site.description : meta.description)
                .add("og_type", meta.og_type)
                .add("og_locale", std::move(locale))
                .add("noindex", meta.noindex)
                .add("feeds", feed_links(site, meta.feeds_of))
                .add("stylesheet", theme.asset_url("style.css"))
                .add("nav_categories", std::move(nav))
                .add("nav_news", meta.nav_current == "news")
                .add("nav_archive", meta.nav_current == "archive")
                .add("query", chrome.query)
                .take();
  // The theme's words ({{t.key}}) are beneath the context: Theme::render
  // finds them by "language".
  add_languages(ctx, site, meta);
  if (!meta.path.empty()) ctx["canonical"] = model::absolute_url(site.base_url, meta.path);
  if (meta.image) {
    ctx["og_image"] = Fields().add("url", meta.image->url).add("alt", meta.image->alt).take();
  }
  if (!meta.json_ld.empty()) ctx["json_ld"] = meta.json_ld;
  return ctx;
}

array category_links(const model::Site& site, const model::Item& item) {
  array out;
  out.reserve(item.categories.size());
  for (const model::Category& c : item.categories) {
    out.push_back(Fields()
                      .add("name", c.name)
                      .add("url", model::view_path(site, model::category_path(c.slug)))
                      .take());
  }
  return out;
}

// Every key the news_card partial reads is set, so none falls through to
// the page's context (Mustache looks names up the context stack).
// The item page leaves out the title and url (with_link false).
map item_card(const model::Site& site, const model::Item& item, bool with_link = true) {
  std::string date;
  std::string datetime;
  if (item.published_at) {
    date = display_date(site, *item.published_at);
    auto zoned = text::in_time_zone(site.time_zone, item.published_at->epoch_seconds);
    datetime = text::format_rfc3339(zoned ? *zoned : *item.published_at);
  }
  Fields card;
  if (with_link) card.add("title", item.title).add("url", model::item_path(site, item));
  return card.add("teaser", item.teaser)
      .add("categories", category_links(site, item))
      .add("has_categories", !item.categories.empty())
      .add("date", std::move(date))
      .add("datetime", std::move(datetime))
      .take();
}

array item_cards(const model::Site& site, const std::vector<model::Item>& items) {
  array out;
  out.reserve(items.size());
  for (const model::Item& item : items) out.push_back(item_card(site, item));
  return out;
}

// Numbered links: the first, the last, and two either side of the current
// page, with a gap where numbers are left out.
template <typename UrlOf>
mstch::node pagination(const Paging& paging, const Words& words, std::string_view language,
                       UrlOf url_of) {
  if (paging.pages <= 1) return false;
  array links;
  int last_shown = 0;
  for (int n = 1; n <= paging.pages; ++n) {
    const bool shown = n == 1 || n == paging.pages || std::abs(n - paging.page) <= 2;
    if (!shown) continue;
    if (n > last_shown + 1) links.push_back(Fields().add("gap", true).take());
    links.push_back(Fields()
                        .add("gap", false)
                        .add("number", format_integer(language, n, false))
                        .add("url", url_of(n))
                        .add("current", n == paging.page)
                        .take());
    last_shown = n;
  }
  const std::string page = format_integer(language, paging.page, false);
  const std::string pages = format_integer(language, paging.pages, false);
  map out =
      Fields()
          .add("links", std::move(links))
          .add("page", page)
          .add("pages", pages)
          .add("page_count", fill(word(words, "page_count"), {{"page", page}, {"pages", pages}}))
          .add("prev_url", std::string())
          .add("next_url", std::string())
          .take();
  if (paging.page > 1) out["prev_url"] = url_of(paging.page - 1);
  if (paging.page < paging.pages) out["next_url"] = url_of(paging.page + 1);
  return out;
}

// "All news (page 2)" from page 2 on.
std::string paged(const std::string& heading, const Paging& paging, const Words& words,
                  std::string_view language) {
  if (paging.page <= 1) return heading;
  return fill(word(words, "heading_paged"),
              {{"heading", heading}, {"page", format_integer(language, paging.page, false)}});
}

// A 1-12 month of a year as a date ICU can name (the 15th: no time zone
// moves it into another month).
model::DateTime mid_month(int year, int month) {
  auto epoch = text::start_of_day("UTC", year, std::clamp(month, 1, 12), 15);
  return model::DateTime{epoch ? *epoch : 0, 0};
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

}  // namespace

Result<std::string> home_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                              const HomeView& view, const std::string& website_json_ld) {
  PageMeta meta;
  const Words& words = theme.words(site.language);
  meta.heading = std::string(word(words, "latest_news"));
  meta.page_title = site.title + (site.description.empty() ? "" : " · " + site.description);
  meta.path = model::view_path(site, "/");
  meta.json_ld = website_json_ld;
  map ctx = base_context(theme, site, chrome, meta);
  ctx["items"] = item_cards(site, view.items);
  if (view.total > static_cast<std::int64_t>(view.items.size())) {
    ctx["more_url"] = model::view_path(site, model::news_list_path());
  }
  array categories;
  for (const CategoryCount& c : chrome.categories) {
    if (c.count == 0) continue;
    categories.push_back(
        Fields()
            .add("name", c.category.name)
            .add("url", model::view_path(site, model::category_path(c.category.slug)))
            .add("count", format_integer(site.language, c.count))
            .take());
  }
  ctx["has_categories"] = !categories.empty();
  ctx["categories"] = std::move(categories);
  return theme.render("home", std::move(ctx));
}

Result<std::string> list_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                              const ListView& view) {
  PageMeta meta;
  const model::Category* category = view.category ? &*view.category : nullptr;
  const Words& words = theme.words(site.language);
  meta.heading = paged(category ? category->name : std::string(word(words, "all_news")),
                       view.paging, words, site.language);
  meta.path =
      model::view_path(site, category ? model::category_page_path(category->slug, view.paging.page)
                                      : model::news_list_path(view.paging.page));
  meta.feeds_of = category;
  meta.nav_current = category ? category->slug : "news";
  if (category) meta.description = site.title + ": " + category->name;
  map ctx = base_context(theme, site, chrome, meta);
  ctx["items"] = item_cards(site, view.items);
  ctx["pagination"] = pagination(view.paging, words, site.language, [&](int n) {
    return model::view_path(
        site, category ? model::category_page_path(category->slug, n) : model::news_list_path(n));
  });
  return theme.render("list", std::move(ctx));
}

Result<std::string> item_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                              const ItemView& view) {
  const model::Item& item = view.item;
  const Words& words = theme.words(site.language);
  PageMeta meta;
  meta.heading = item.title;
  meta.description = item.teaser;
  meta.path = model::item_path(site, item);
  meta.versions = &view.translations;
  meta.og_type = "article";
  meta.image = item.lead_image;
  meta.json_ld = view.json_ld;
  meta.noindex = !view.embargo_notice.empty();
  if (meta.noindex) meta.path.clear();
  if (!item.categories.empty()) meta.nav_current = item.categories.front().slug;
  map ctx = base_context(theme, site, chrome, meta);
  ctx.merge(item_card(site, item, /*with_link=*/false));
  ctx["body_html"] = item.body_html;
  if (!view.embargo_notice.empty()) ctx["embargo_notice"] = view.embargo_notice;
  if (!view.archive_notice.empty()) ctx["archive_notice"] = view.archive_notice;
  if (!view.boilerplate.empty()) ctx["boilerplate"] = view.boilerplate;
  if (!item.contact.empty()) {
    ctx["contact"] = Fields()
                         .add("name", item.contact.name)
                         .add("email", item.contact.email)
                         .add("phone", item.contact.phone)
                         .take();
  }
  // A teaser cropped from the body ("...") would repeat the body's first
  // lines; only a written summary is shown as the lead.
  const bool cropped = item.teaser.ends_with("...") || item.teaser.ends_with("…");
  ctx["lead"] = cropped ? std::string() : item.teaser;
  ctx["authors"] = join(item.authors, ", ");
  if (item.lead_image && !item.lead_image->url.empty()) {
    ctx["lead_image"] =
        Fields().add("url", item.lead_image->url).add("alt", item.lead_image->alt).take();
  }
  array downloads;
  for (const model::Attachment& a : item.attachments) {
    const std::string name = a.name.empty() ? a.url.substr(a.url.rfind('/') + 1) : a.name;
    // Stored bytes are served by the site itself; others stay links to
    // where they came from.
    downloads.push_back(
        Fields()
            .add("name", name.empty() ? a.url : name)
            .add("url", a.stored ? model::attachment_path(a.id, a.name) : a.url)
            .add("type", file_type_label(a.media_type, name, words))
            .add("size", a.length > 0 ? file_size_label(a.length, site.language) : std::string())
            .take());
  }
  ctx["has_downloads"] = !downloads.empty();
  ctx["downloads"] = std::move(downloads);
  array related;
  for (const model::RelatedLink& link : item.related_links) {
    related.push_back(Fields()
                          .add("title", link.title.empty() ? link.url : link.title)
                          .add("url", link.url)
                          .take());
  }
  ctx["has_related"] = !related.empty();
  ctx["related"] = std::move(related);
  auto neighbour = [&](const std::optional<ItemLinkView>& other) -> mstch::node {
    if (!other) return false;
    // model::item_path(site, item) of the neighbour: its language's prefix.
    return Fields()
        .add("title", other->title)
        .add("url", model::language_prefix(site, other->language) +
                        model::expand_permalink(site.news_permalink, other->slug))
        .take();
  };
  ctx["newer"] = neighbour(view.newer);
  ctx["older"] = neighbour(view.older);
  ctx["has_neighbours"] = view.newer.has_value() || view.older.has_value();
  return theme.render("item", std::move(ctx));
}

Result<std::string> archive_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                                 const ArchiveView& view) {
  PageMeta meta;
  const Words& words = theme.words(site.language);
  const std::string_view language = site.language;
  meta.nav_current = "archive";
  const std::string year = format_integer(language, view.year, false);
  if (view.year == 0) {
    meta.heading = std::string(word(words, "archive"));
  } else if (view.month == 0) {
    meta.heading = fill(word(words, "archive_year"), {{"year", year}});
  } else {
    meta.heading = paged(
        format_date(language, mid_month(view.year, view.month), "MMMMy", DateContext::kStandalone),
        view.paging, words, language);
  }
  meta.path = model::view_path(site, model::archive_path(view.year, view.month, view.paging.page));
  // Another language may have no news in this year or month.
  meta.same_in_every_language = view.year == 0;
  map ctx = base_context(theme, site, chrome, meta);
  array years;
  for (const YearCount& y : view.years) {
    array months;
    // The months of the year being looked at, and only of that one: the
    // index stays short however many years there are.
    if (y.year == view.year || (view.year == 0 && &y == &view.years.front())) {
      for (const MonthCount& m : y.months) {
        months.push_back(
            Fields()
                .add("name", month_name(language, m.month))
                .add("url", model::view_path(site, model::archive_path(y.year, m.month)))
                .add("count", format_integer(language, m.count))
                .add("current", y.year == view.year && m.month == view.month)
                .take());
      }
    }
    const bool has_months = !months.empty();
    years.push_back(Fields()
                        .add("year", format_integer(language, y.year, false))
                        .add("url", model::view_path(site, model::archive_path(y.year)))
                        .add("count", format_integer(language, y.count))
                        .add("current", y.year == view.year && view.month == 0)
                        .add("has_months", has_months)
                        .add("months", std::move(months))
                        .take());
  }
  ctx["has_years"] = !years.empty();
  ctx["years"] = std::move(years);
  ctx["has_items"] = !view.items.empty();
  ctx["items_heading"] =
      fill(word(words, "archive_month_news"),
           {{"month", format_date(language, mid_month(view.year, view.month), "MMMMy")}});
  ctx["items"] = item_cards(site, view.items);
  ctx["pagination"] = pagination(view.paging, words, language, [&](int n) {
    return model::view_path(site, model::archive_path(view.year, view.month, n));
  });
  return theme.render("archive", std::move(ctx));
}

Result<std::string> search_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                                const SearchView& view) {
  PageMeta meta;
  const bool has_query = !view.query.empty();
  const Words& words = theme.words(site.language);
  meta.heading = paged(has_query ? fill(word(words, "search_results_for"), {{"query", view.query}})
                                 : std::string(word(words, "search")),
                       view.paging, words, site.language);
  // Result pages are not for search engines (robots.txt says so too).
  meta.noindex = true;
  Chrome with_query = chrome;
  with_query.query = view.query;
  map ctx = base_context(theme, site, with_query, meta);
  array hits;
  for (const SearchHitView& hit : view.hits) {
    map card = item_card(site, hit.item);
    std::string snippet = hit.snippet_html;
    if (snippet.empty()) append_escaped(snippet, hit.item.teaser);
    card["snippet_html"] = std::move(snippet);
    hits.push_back(std::move(card));
  }
  ctx["hits"] = std::move(hits);
  ctx["has_query"] = has_query;
  ctx["result_count"] = view.total == 0
                            ? std::string(word(words, "search_none"))
                            : fill(plural_word(words, site.language, "search_found", view.total),
                                   {{"count", format_integer(site.language, view.total)}});
  ctx["pagination"] = pagination(view.paging, words, site.language, [&](int n) {
    return model::view_path(site, model::search_path(view.query, n));
  });
  return theme.render("search", std::move(ctx));
}

Result<std::string> error_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                               int status) {
  PageMeta meta;
  meta.noindex = true;
  const Words& words = theme.words(site.language);
  const bool gone = status == 410;
  meta.heading = std::string(word(words, gone ? "gone" : "not_found"));
  const std::string message(word(words, gone ? "gone_message" : "not_found_message"));
  map ctx = base_context(theme, site, chrome, meta);
  ctx["message"] = message;
  return theme.render("error", std::move(ctx));
}

std::string_view month_name(int month) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return month >= 1 && month <= 12 ? kMonths[month - 1] : std::string_view();
}

std::string month_name(std::string_view language, int month) {
  // "LLLL": the month on its own (Russian "июль", not the "июля" of a date).
  std::string name =
      format_date(language, mid_month(2001, month), "LLLL", DateContext::kStandalone);
  return name.empty() ? std::string(month_name(month)) : name;
}

std::string display_date(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  const model::DateTime local = zoned ? *zoned : t;
  // "4 July 2018" (en, as in en-GB), "4 juillet 2018", "4. Juli 2018".
  std::string out = format_date(site.language, local, "dMMMMy");
  if (!out.empty()) return out;
  const text::CivilDate d = text::civil_date(local);
  return std::to_string(d.day) + " " + std::string(month_name(d.month)) + " " +
         std::to_string(d.year);
}

std::string display_time(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  const model::DateTime local = zoned ? *zoned : t;
  // "Hm": the 24-hour clock wherever the language has it ("10:11").
  std::string out = format_date(site.language, local, "Hm");
  // "2018-07-04T10:11:30+02:00" -> "10:11".
  return out.empty() ? text::format_rfc3339(local).substr(11, 5) : out;
}

std::string archive_notice(const Theme& theme, const model::Site& site,
                           const model::DateTime& since) {
  return fill(word(theme.words(site.language), "archive_notice"),
              {{"date", display_date(site, since)}});
}

std::string embargo_notice(const Theme& theme, const model::Site& site,
                           const model::DateTime& until) {
  return fill(word(theme.words(site.language), "embargo_notice"),
              {{"date", display_date(site, until)}, {"time", display_time(site, until)}});
}

std::string file_type_label(std::string_view media_type, std::string_view name) {
  struct Known {
    std::string_view needle;
    std::string_view label;
  };
  static constexpr std::array<Known, 9> kKnown = {{
      {"pdf", "PDF"},
      {"wordprocessingml", "Word"},
      {"msword", "Word"},
      {"spreadsheetml", "Excel"},
      {"ms-excel", "Excel"},
      {"presentationml", "PowerPoint"},
      {"ms-powerpoint", "PowerPoint"},
      {"opendocument.text", "OpenDocument text"},
      {"zip", "ZIP"},
  }};
  for (const Known& k : kKnown) {
    if (media_type.find(k.needle) != std::string_view::npos) return std::string(k.label);
  }
  if (media_type.starts_with("image/")) return "Image";
  if (media_type.starts_with("audio/")) return "Audio";
  if (media_type.starts_with("video/")) return "Video";
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < name.size() && name.size() - dot <= 6) {
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return ext;
  }
  return "File";
}

std::string file_type_label(std::string_view media_type, std::string_view name,
                            const Words& words) {
  const std::string label = file_type_label(media_type, name);
  // Only these are words; "PDF", "Word", "ZIP" are names in every language.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kWords = {{
      {"Image", "file_image"},
      {"Audio", "file_audio"},
      {"Video", "file_video"},
      {"File", "file_generic"},
      {"OpenDocument text", "file_odt"},
  }};
  for (const auto& [english, key] : kWords) {
    if (label == english) return std::string(word(words, key));
  }
  return label;
}

std::string file_size_label(std::int64_t bytes, std::string_view language) {
  // English keeps the labels it always had ("12 KB"); other languages get
  // ICU's unit names ("12 ko", "12 КБ").
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  if (primary.empty() || primary == "en" || primary == "EN") return file_size_label(bytes);
  return format_file_size(language, bytes);
}

std::string file_size_label(std::int64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " bytes";
  char buf[32];
  const double kb = static_cast<double>(bytes) / 1000.0;
  if (kb < 1000) {
    std::snprintf(buf, sizeof buf, "%.0f KB", kb);
  } else if (kb < 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f MB", kb / 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f GB", kb / 1e6);
  }
  return buf;
}

std::string_view text_direction(std::string_view language) {
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  static constexpr std::array<std::string_view, 12> kRtl = {"ar", "arc", "ckb", "dv", "fa", "he",
                                                            "iw", "ks",  "ps",  "sd", "ur", "yi"};
  for (std::string_view rtl : kRtl) {
    if (primary.size() == rtl.size() &&
        std::equal(primary.begin(), primary.end(), rtl.begin(),
                   [](char a, char b) { return (a | 0x20) == b; })) {
      return "rtl";
    }
  }
  return "ltr";
}

}  // namespace newsdesk::render
