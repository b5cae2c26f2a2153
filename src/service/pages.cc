#include "service/pages.h"

#include <algorithm>
#include <limits>

#include "model/languages.h"
#include "model/permalink.h"
#include "render/pages.h"
#include "render/sitemap.h"
#include "render/structured_data.h"
#include "service/editorial.h"
#include "text/date.h"

namespace newsdesk::service {

namespace {

// Longer queries are cut (at a character boundary); nobody types more, and
// it bounds the work a request can ask for.
constexpr std::size_t kMaxQueryBytes = 200;

std::string cut_query(std::string_view q) {
  if (q.size() <= kMaxQueryBytes) return std::string(q);
  std::size_t end = kMaxQueryBytes;
  while (end > 0 && (static_cast<unsigned char>(q[end]) & 0xC0) == 0x80) --end;
  return std::string(q.substr(0, end));
}

int page_count(std::int64_t total, int per_page) {
  if (total <= 0) return 1;
  const std::int64_t pages = (total + per_page - 1) / per_page;
  return static_cast<int>(std::min<std::int64_t>(pages, std::numeric_limits<int>::max()));
}

Error no_page(int page) {
  return make_error(ErrorCode::kNotFound, "pages: no page " + std::to_string(page));
}

Page page_of(std::string body, std::optional<model::DateTime> modified, int status = 200) {
  Page page;
  page.status = status;
  page.body = std::move(body);
  if (modified) page.last_modified = modified->epoch_seconds;
  return page;
}

}  // namespace

std::optional<render::ItemLinkView> link_view(std::optional<store::ItemLink> link) {
  if (!link) return std::nullopt;
  return render::ItemLinkView{std::move(link->title), std::move(link->slug),
                              std::move(link->language)};
}

Result<void> PageService::add_boilerplate(render::ItemView& view, const model::Item& item) {
  if (!service::is_press_release(item)) return {};
  auto text = news_.boilerplate();
  if (!text) return text.error();
  view.boilerplate = std::move(*text);
  return {};
}

Result<PageService::Shared> PageService::shared() {
  const std::optional<std::uint64_t> generation =
      generation_ ? std::optional<std::uint64_t>(generation_()) : std::nullopt;
  if (generation) {
    std::lock_guard lock(shared_mu_);
    if (shared_ && shared_->generation == *generation) return *shared_;
  }
  Shared fresh;
  fresh.generation = generation.value_or(0);
  auto categories = news_.categories();
  if (!categories) return categories.error();
  for (model::Category& c : *categories) {
    auto count = news_.count(c.slug);
    if (!count) return count.error();
    fresh.categories.push_back(render::CategoryCount{std::move(c), *count});
  }
  auto last = news_.last_change();
  if (!last) return last.error();
  fresh.last_change = *last;
  if (generation) {
    // Two requests may both read a new generation; either result is right.
    std::lock_guard lock(shared_mu_);
    if (!shared_ || shared_->generation <= fresh.generation) shared_ = fresh;
  }
  return fresh;
}

Result<render::Chrome> PageService::chrome() {
  auto shared_r = shared();
  if (!shared_r) return shared_r.error();
  render::Chrome chrome;
  chrome.now = clock_();
  chrome.categories = std::move(shared_r->categories);
  return chrome;
}

Result<std::optional<model::DateTime>> PageService::last_change() {
  auto shared_r = shared();
  if (!shared_r) return shared_r.error();
  return shared_r->last_change;
}

Result<Page> PageService::home() {
  // The navigation and the date from one read of the shared parts.
  auto shared_r = shared();
  if (!shared_r) return shared_r.error();
  render::Chrome chrome;
  chrome.now = clock_();
  chrome.categories = std::move(shared_r->categories);
  render::HomeView view;
  auto items = news_.latest(site_.page_items);
  if (!items) return items.error();
  view.items = std::move(*items);
  auto total = news_.count();
  if (!total) return total.error();
  view.total = *total;
  auto html = render::home_page(theme_, site_, chrome, view, render::website_json_ld(site_));
  if (!html) return html.error();
  return page_of(std::move(*html), shared_r->last_change);
}

Result<Page> PageService::listing(std::string_view category_slug, int page) {
  render::ListView view;
  if (!category_slug.empty()) {
    auto category = news_.category(category_slug);
    if (!category) return category.error();
    view.category = std::move(*category);
  }
  auto total = news_.count(category_slug);
  if (!total) return total.error();
  view.paging = render::Paging{page, page_count(*total, site_.page_items)};
  if (page < 1 || page > view.paging.pages) return no_page(page);
  auto items = news_.latest(site_.page_items, (page - 1) * site_.page_items, category_slug);
  if (!items) return items.error();
  view.items = std::move(*items);
  auto last = news_.last_change(category_slug);
  if (!last) return last.error();
  auto chrome_r = chrome();
  if (!chrome_r) return chrome_r.error();
  auto html = render::list_page(theme_, site_, *chrome_r, view);
  if (!html) return html.error();
  return page_of(std::move(*html), *last);
}

Result<Page> PageService::item(std::string_view slug) {
  auto found = news_.public_item(slug);
  if (!found) return found.error();
  // Each item has one address: its own language's (the caller redirects).
  if (!news_.in_scope(*found)) {
    return make_error(ErrorCode::kNotFound, "pages: '" + std::string(slug) + "' is in " +
                                                found->language + ", not " + site_.language);
  }
  render::ItemView view;
  if (!site_.languages.empty()) {
    auto translations = news_.translations(*found);
    if (!translations) return translations.error();
    view.translations = std::move(*translations);
  }
  auto neighbours = news_.neighbours(*found);
  if (!neighbours) return neighbours.error();
  view.newer = link_view(std::move(neighbours->newer));
  view.older = link_view(std::move(neighbours->older));
  view.json_ld = render::news_article_json_ld(site_, *found);
  if (is_archived(*found, clock_())) {
    const model::DateTime since{*found->expires_at, 0};
    view.archive_notice = render::archive_notice(theme_, site_, since);
  }
  if (auto r = add_boilerplate(view, *found); !r) return r.error();
  view.item = std::move(*found);
  // The navigation and the date from one read of the shared parts (without
  // a generation each read asks the store again).
  auto shared_r = shared();
  if (!shared_r) return shared_r.error();
  render::Chrome chrome;
  chrome.now = clock_();
  chrome.categories = std::move(shared_r->categories);
  auto html = render::item_page(theme_, site_, chrome, view);
  if (!html) return html.error();
  // Neighbours and navigation change with other items: the page's date is
  // the newest change anywhere, not only this item's.
  return page_of(std::move(*html), shared_r->last_change);
}

Result<Page> PageService::preview(std::string_view token) {
  auto found = news_.embargoed_item(token);
  if (!found) return found.error();
  render::ItemView view;
  // In the item's own language, whatever view the link came through.
  const model::Site site = model::language_view(site_, found->language);
  view.embargo_notice = render::embargo_notice(theme_, site, *found->published_at);
  if (auto r = add_boilerplate(view, *found); !r) return r.error();
  view.item = std::move(*found);
  auto chrome_r = chrome();
  if (!chrome_r) return chrome_r.error();
  auto html = render::item_page(theme_, site, *chrome_r, view);
  if (!html) return html.error();
  return page_of(std::move(*html), std::nullopt);
}

Result<std::vector<render::YearCount>> PageService::archive_years() {
  const bool kept = static_cast<bool>(generation_);
  const std::uint64_t generation = kept ? generation_() : 0;
  if (kept) {
    std::lock_guard lock(shared_mu_);
    if (years_ && years_->generation == generation) return years_->years;
  }
  auto times = news_.published_times();
  if (!times) return times.error();
  // Grouped by the calendar of the site's time zone, newest first as the
  // times come.
  std::vector<render::YearCount> years;
  for (std::int64_t t : *times) {
    auto zoned = text::in_time_zone(site_.time_zone, t);
    const text::CivilDate d = text::civil_date(zoned ? *zoned : model::DateTime{t, 0});
    if (years.empty() || years.back().year != d.year) {
      years.push_back(render::YearCount{d.year, 0, {}});
    }
    render::YearCount& y = years.back();
    ++y.count;
    if (y.months.empty() || y.months.back().month != d.month) {
      y.months.push_back(render::MonthCount{d.month, 0});
    }
    ++y.months.back().count;
  }
  if (kept) {
    // As in shared(): two requests may both read a new generation.
    std::lock_guard lock(shared_mu_);
    if (!years_ || years_->generation <= generation) years_ = Years{generation, years};
  }
  return years;
}

Result<Page> PageService::archive(int year, int month, int page) {
  render::ArchiveView view;
  view.year = year;
  view.month = month;
  auto years = archive_years();
  if (!years) return years.error();
  view.years = std::move(*years);
  if (year != 0) {
    const auto y = std::find_if(view.years.begin(), view.years.end(),
                                [&](const render::YearCount& c) { return c.year == year; });
    if (y == view.years.end()) return make_error(ErrorCode::kNotFound, "pages: empty year");
    if (month != 0) {
      const auto m = std::find_if(y->months.begin(), y->months.end(),
                                  [&](const render::MonthCount& c) { return c.month == month; });
      if (m == y->months.end()) return make_error(ErrorCode::kNotFound, "pages: empty month");
      view.paging = render::Paging{page, page_count(m->count, site_.page_items)};
      if (page < 1 || page > view.paging.pages) return no_page(page);
      auto from = text::start_of_day(site_.time_zone, year, month, 1);
      if (!from) return from.error();
      auto until = text::start_of_day(site_.time_zone, year, month + 1, 1);
      if (!until) return until.error();
      auto items =
          news_.published_between(*from, *until, site_.page_items, (page - 1) * site_.page_items);
      if (!items) return items.error();
      view.items = std::move(*items);
    }
  }
  if (page != 1 && month == 0) return no_page(page);
  auto shared_r = shared();
  if (!shared_r) return shared_r.error();
  render::Chrome chrome;
  chrome.now = clock_();
  chrome.categories = std::move(shared_r->categories);
  auto html = render::archive_page(theme_, site_, chrome, view);
  if (!html) return html.error();
  return page_of(std::move(*html), shared_r->last_change);
}

Result<Page> PageService::search(std::string_view query, int page) {
  render::SearchView view;
  view.query = cut_query(query);
  if (page < 1) return no_page(page);
  if (!view.query.empty()) {
    auto results = news_.search(view.query, site_.page_items, (page - 1) * site_.page_items);
    if (!results) return results.error();
    view.total = results->total;
    for (store::SearchHit& hit : results->hits) {
      view.hits.push_back(render::SearchHitView{std::move(hit.item), std::move(hit.snippet_html)});
    }
  }
  view.paging = render::Paging{page, page_count(view.total, site_.page_items)};
  if (page > view.paging.pages) return no_page(page);
  auto chrome_r = chrome();
  if (!chrome_r) return chrome_r.error();
  auto html = render::search_page(theme_, site_, *chrome_r, view);
  if (!html) return html.error();
  return page_of(std::move(*html), std::nullopt);
}

Result<Page> PageService::error(int status) {
  auto chrome_r = chrome();
  if (!chrome_r) return chrome_r.error();
  auto html = render::error_page(theme_, site_, *chrome_r, status);
  if (!html) return html.error();
  return page_of(std::move(*html), std::nullopt, status);
}

Result<Page> PageService::sitemap() {
  render::SitemapInput input;
  input.news_list_path = model::news_list_path();
  auto categories = news_.categories();
  if (!categories) return categories.error();
  for (const model::Category& c : *categories) {
    auto last = news_.last_change(c.slug);
    if (!last) return last.error();
    if (*last) input.categories.push_back(render::SitemapCategory{c.slug, *last});
  }
  auto stamps = news_.page_stamps(static_cast<int>(render::kMaxSitemapUrls));
  if (!stamps) return stamps.error();
  input.items.reserve(stamps->size());
  for (store::ItemStamp& s : *stamps) {
    input.items.push_back(render::SitemapItem{std::move(s.slug), s.updated_at, s.id,
                                              std::move(s.language), s.translation_of});
  }
  auto last = last_change();
  if (!last) return last.error();
  return page_of(render::sitemap_xml(site_, input), *last);
}

Result<Page> PageService::news_sitemap() {
  const std::int64_t now = clock_();
  auto items = news_.published_between(now - render::kNewsSitemapWindowSeconds, now + 1,
                                       static_cast<int>(render::kMaxNewsSitemapUrls), 0);
  if (!items) return items.error();
  auto last = last_change();
  if (!last) return last.error();
  return page_of(render::news_sitemap_xml(site_, *items, now), *last);
}

Page PageService::robots() { return page_of(render::robots_txt(site_), std::nullopt); }

Result<bool> PageService::gone(std::string_view slug) { return news_.gone(slug); }

}  // namespace newsdesk::service
