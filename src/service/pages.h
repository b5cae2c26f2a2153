// The public HTML pages: gathers what each page shows from the store (only
// what readers may see) and renders it through the theme. One call per page,
// so HTTP handlers stay thin and the static export can call the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/site.h"
#include "render/pages.h"
#include "render/sitemap.h"
#include "render/theme.h"
#include "service/news.h"

namespace newsdesk::service {

// A rendered page. `status` is 200, or 404/410 for the error pages.
struct Page {
  int status = 200;
  std::string body;                           // HTML, or XML / text for the discovery files
  std::optional<std::int64_t> last_modified;  // epoch seconds
};

// What an item page shows of a neighbour the store found (nullopt: none).
std::optional<render::ItemLinkView> link_view(std::optional<store::ItemLink> link);

// Thread-safe when the store is; the site and theme are read only.
class PageService {
 public:
  // All arguments must outlive the service. With `generation` (the content
  // generation: service/change_watcher.h), what every page shares (the
  // navigation's category counts, the site's last change) is read from the
  // store once per generation instead of once per page.
  PageService(const model::Site& site, const render::Theme& theme, NewsService& news, Clock clock,
              std::function<std::uint64_t()> generation = {})
      : site_(site),
        theme_(theme),
        news_(news),
        clock_(std::move(clock)),
        generation_(std::move(generation)) {}

  Result<Page> home();
  // /news/ (category empty) or /category/{slug}/, page >= 1.
  // Errors: kNotFound for an unknown category or a page past the last
  // (page 1 of an empty listing exists).
  Result<Page> listing(std::string_view category_slug, int page);
  // Errors: kNotFound when no public item has the slug.
  Result<Page> item(std::string_view slug);
  // An embargoed item through its secret preview link, marked as such and
  // kept from search engines. Errors: kNotFound.
  Result<Page> preview(std::string_view token);
  // year 0: the index; month 0: the year. Errors: kNotFound for a year or
  // month without items, or a page past the last.
  Result<Page> archive(int year, int month, int page);
  // Any text; page >= 1. Errors: kNotFound for a page past the last.
  Result<Page> search(std::string_view query, int page);
  // 404 or 410.
  Result<Page> error(int status);
  // Discovery: /sitemap.xml, /news-sitemap.xml (the last 48 hours),
  // /robots.txt. The sitemap lists every page; when they are more than one
  // sitemap holds (render::sitemap_urls_per_part), it is a sitemap index of
  // sitemap_parts() parts, each read from the store one page of item stamps
  // at a time (render/sitemap.h).
  Result<Page> sitemap();
  // Part `part` (>= 1) of the index: /sitemap-{part}.xml. Errors: kNotFound
  // when the site has no such part (also when one sitemap holds it all).
  Result<Page> sitemap_part(std::size_t part);
  // How many parts: 0 when one sitemap holds the site.
  Result<std::size_t> sitemap_parts();
  Result<Page> news_sitemap();
  Page robots();
  // Whether a deleted item had this slug (its address answers 410).
  Result<bool> gone(std::string_view slug);
  // The archive's years and months with their item counts, newest first,
  // in the site's time zone (what /archive/ lists; the export enumerates
  // its pages from it). Read from every published time, so once per
  // generation, as the navigation.
  Result<std::vector<render::YearCount>> archive_years();

 private:
  Result<render::Chrome> chrome();
  // The newest change to any public item (the pages' Last-Modified).
  Result<std::optional<model::DateTime>> last_change();
  struct Shared {
    std::vector<render::CategoryCount> categories;
    std::optional<model::DateTime> last_change;
  };
  Result<Shared> shared();
  // The sitemap's fixed pages (categories with public items, undated) and
  // its item count, without the items.
  struct SitemapPlan {
    render::SitemapInput input;
    std::size_t fixed = 0;
    std::size_t items = 0;
    std::size_t parts = 0;  // 0: one sitemap
  };
  Result<SitemapPlan> sitemap_plan();
  // Sets the categories' last changes (what their <lastmod> shows).
  Result<void> date_categories(render::SitemapInput& input);
  Result<void> add_boilerplate(render::ItemView& view, const model::Item& item);

  const model::Site& site_;
  const render::Theme& theme_;
  NewsService& news_;
  Clock clock_;
  std::function<std::uint64_t()> generation_;
  // What is read once per content generation (with generation_ set): the
  // navigation, the archive's years, the sitemap's plan (every part and
  // every part number past the last, a 404, needs it, and it counts every
  // page). Each is filled when first asked for in its generation.
  struct Kept {
    std::uint64_t generation = 0;
    std::optional<Shared> shared;
    std::optional<std::vector<render::YearCount>> years;
    std::optional<SitemapPlan> plan;
  };
  // The generation now, when generation_ is set.
  std::optional<std::uint64_t> generation() const;
  // Under kept_mu_: kept_ made ready to take values read in `generation`
  // (emptied when that is newer than its own). False when `generation` is
  // older: two requests may both read around a change, and the older
  // read's values are not kept.
  bool keep_for(std::uint64_t generation);
  std::mutex kept_mu_;
  Kept kept_;  // guarded by kept_mu_
};

}  // namespace newsdesk::service
