// The public HTML pages, rendered through a theme. Pure functions of the
// model and the theme: no I/O. Each builds the Mustache context its
// template expects (documented in themes/default/README.md) and the shared
// parts every layout uses: site name, navigation, search box, canonical URL,
// social and feed links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/category.h"
#include "model/item.h"
#include "model/site.h"
#include "render/theme.h"

namespace newsdesk::render {

// A category with the number of public items in it.
struct CategoryCount {
  model::Category category;
  std::int64_t count = 0;
};

// Where a paged listing is and how to link its pages.
struct Paging {
  int page = 1;   // 1-based
  int pages = 1;  // >= 1
};

// What every page shows around its content.
struct Chrome {
  std::vector<CategoryCount> categories;  // the navigation, by name
  std::string query;                      // the search box's value
  std::int64_t now = 0;                   // epoch seconds (copyright year, "new" marks)
};

struct HomeView {
  std::vector<model::Item> items;  // the latest
  std::int64_t total = 0;          // all public items ("All news" shows when more)
};

// /news/ and /category/{slug}/, paged.
struct ListView {
  std::optional<model::Category> category;  // unset: all news
  std::vector<model::Item> items;
  Paging paging;
};

// What an item page shows of a neighbour: its title and link. The link is
// the neighbour's own (model::item_path: its slug under its language's
// prefix).
struct ItemLinkView {
  std::string title;
  std::string slug;
  std::string language;
};

struct ItemView {
  model::Item item;
  std::optional<ItemLinkView> newer;  // the item listed just before it
  std::optional<ItemLinkView> older;  // the item listed just after it
  std::string json_ld;                // NewsArticle, safe inside <script>; empty: none
  // Set for an embargoed item seen through its preview link: shown above
  // the item, and the page asks not to be indexed.
  std::string embargo_notice;
  // Set for an item its end time moved to the archive: shown above it.
  std::string archive_notice;
  std::string boilerplate;  // "About us", under press releases; empty: none
  // The public members of its translation group, itself included (for
  // hreflang and the language switcher); empty: none known.
  std::vector<model::Item> translations;
};

struct MonthCount {
  int month = 1;
  std::int64_t count = 0;
};
struct YearCount {
  int year = 0;
  std::int64_t count = 0;
  std::vector<MonthCount> months;  // newest first; only months with items
};

// /archive/, /archive/YYYY/, /archive/YYYY/MM/.
struct ArchiveView {
  int year = 0;                    // 0: the index
  int month = 0;                   // 0: the whole year
  std::vector<YearCount> years;    // newest first
  std::vector<model::Item> items;  // the month's items (empty for index and year)
  Paging paging;
};

struct SearchHitView {
  model::Item item;
  std::string snippet_html;  // escaped text with <mark>
};

struct SearchView {
  std::string query;  // as typed
  std::vector<SearchHitView> hits;
  std::int64_t total = 0;
  Paging paging;
};

Result<std::string> home_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                              const HomeView& view, const std::string& website_json_ld = "");
Result<std::string> list_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                              const ListView& view);
Result<std::string> item_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                              const ItemView& view);
Result<std::string> archive_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                                 const ArchiveView& view);
Result<std::string> search_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                                const SearchView& view);
// 404 ("not found") or 410 ("gone": an item that was deleted).
Result<std::string> error_page(const Theme& theme, const model::Site& site, const Chrome& chrome,
                               int status);

// "4 July 2018" in the site's time zone, written for the page's language
// (site.language) by ICU: "4 juillet 2018", "4. Juli 2018", "4 июля 2018 г.".
// English is written as in en-GB, day first.
std::string display_date(const model::Site& site, const model::DateTime& t);
// "14:30" in the site's time zone, as the page's language writes a time.
std::string display_time(const model::Site& site, const model::DateTime& t);
// The notices above an archived item and an embargo preview, in the page's
// language from the theme's words ("archive_notice", "embargo_notice").
std::string archive_notice(const Theme& theme, const model::Site& site,
                           const model::DateTime& since);
std::string embargo_notice(const Theme& theme, const model::Site& site,
                           const model::DateTime& until);
// "PDF", "Word", "Excel", ... from a media type, else from the file name's
// extension ("ZIP"), else "File".
std::string file_type_label(std::string_view media_type, std::string_view name);
// The same with the words among them ("Image", "File") in the theme's words.
std::string file_type_label(std::string_view media_type, std::string_view name, const Words& words);
// "850 bytes", "12 KB", "1.2 MB" (1 KB = 1000 bytes, as file managers show).
std::string file_size_label(std::int64_t bytes);
// The same for readers of `language`: English as above, others with ICU's
// numbers and units ("1,2 Mo", "12 КБ").
std::string file_size_label(std::int64_t bytes, std::string_view language);
// "ltr", or "rtl" for Arabic, Hebrew, Persian, Urdu and other right-to-left
// languages (by primary subtag).
std::string_view text_direction(std::string_view language);
// English month name, 1-12.
std::string_view month_name(int month);
// The month's name on its own in `language` ("juillet", "июль"), as a list
// item; English for a language ICU cannot name months in.
std::string month_name(std::string_view language, int month);

}  // namespace newsdesk::render
