#include "service/pages.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

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

std::optional<std::uint64_t> PageService::generation() const {
  return generation_ ? std::optional<std::uint64_t>(generation_()) : std::nullopt;
}

bool PageService::keep_for(std::uint64_t generation) {
  if (generation < kept_.generation) return false;
  if (generation > kept_.generation) kept_ = Kept{generation, {}, {}, {}};
  return true;
}

Result<PageService::Shared> PageService::shared() {
  const auto generation = this->generation();
  if (generation) {
    std::lock_guard lock(kept_mu_);
    if (kept_.generation == *generation && kept_.shared) return *kept_.shared;
  }
  Shared fresh;
  auto categories = news_.categories();
  if (!categories) return categories.error();
  auto counts = news_.count_by_category();
  if (!counts) return counts.error();
  for (model::Category& c : *categories) {
    const auto count = counts->find(c.id);
    const std::int64_t n = count == counts->end() ? 0 : count->second;
    fresh.categories.push_back(render::CategoryCount{std::move(c), n});
  }
  auto last = news_.last_change();
  if (!last) return last.error();
  fresh.last_change = *last;
  if (generation) {
    std::lock_guard lock(kept_mu_);
    if (keep_for(*generation)) kept_.shared = fresh;
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
  const auto generation = this->generation();
  if (generation) {
    std::lock_guard lock(kept_mu_);
    if (kept_.generation == *generation && kept_.years) return *kept_.years;
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
  if (generation) {
    std::lock_guard lock(kept_mu_);
    if (keep_for(*generation)) kept_.years = years;
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

Result<PageService::SitemapPlan> PageService::sitemap_plan() {
  const auto generation = this->generation();
  if (generation) {
    std::lock_guard lock(kept_mu_);
    if (kept_.generation == *generation && kept_.plan) return *kept_.plan;
  }
  SitemapPlan plan;
  render::SitemapInput& input = plan.input;
  input.news_list_path = model::news_list_path();
  input.max_urls = render::sitemap_urls_per_part(site_);
  auto categories = news_.categories();
  if (!categories) return categories.error();
  // Which categories have a page: the first public item answers, where
  // their last changes (date_categories) cost a walk over each one's items.
  for (const model::Category& c : *categories) {
    auto listed = news_.has_items(c.slug);
    if (!listed) return listed.error();
    if (*listed) input.categories.push_back(render::SitemapCategory{c.slug, std::nullopt});
  }
  auto count = news_.count_pages();
  if (!count) return count.error();
  plan.fixed = render::sitemap_fixed_urls(site_, input);
  plan.items = static_cast<std::size_t>(std::max<std::int64_t>(*count, 0));
  plan.parts = render::sitemap_part_count(plan.fixed + plan.items, input.max_urls);
  if (plan.parts > render::kMaxSitemapParts) {
    // An index lists at most so many: a tiny configured limit gives way.
    const std::size_t urls = plan.fixed + plan.items;
    input.max_urls = (urls + render::kMaxSitemapParts - 1) / render::kMaxSitemapParts;
    plan.parts = render::sitemap_part_count(urls, input.max_urls);
  }
  if (generation) {
    std::lock_guard lock(kept_mu_);
    if (keep_for(*generation)) kept_.plan = plan;
  }
  return plan;
}

Result<void> PageService::date_categories(render::SitemapInput& input) {
  for (render::SitemapCategory& c : input.categories) {
    auto last = news_.last_change(c.slug);
    if (!last) return last.error();
    c.last_change = *last;
  }
  return {};
}

// The items come as light stamps, a part's page at a time: a part of
// 50,000 holds some 5 MB of them, never the whole site's.
namespace {
void add_stamps(std::vector<render::SitemapItem>& out, std::vector<store::ItemStamp>& stamps) {
  out.reserve(out.size() + stamps.size());
  for (store::ItemStamp& s : stamps) {
    out.push_back(render::SitemapItem{std::move(s.slug), s.updated_at, s.id, std::move(s.language),
                                      s.translation_of});
  }
}
}  // namespace

Result<std::size_t> PageService::sitemap_parts() {
  auto plan = sitemap_plan();
  if (!plan) return plan.error();
  return plan->parts;
}

Result<Page> PageService::sitemap() {
  auto plan = sitemap_plan();
  if (!plan) return plan.error();
  render::SitemapInput& input = plan->input;
  auto last = last_change();
  if (!last) return last.error();
  if (plan->parts == 0) {
    if (auto r = date_categories(input); !r) return r.error();
    auto stamps = news_.page_stamps(static_cast<int>(input.max_urls));
    if (!stamps) return stamps.error();
    add_stamps(input.items, *stamps);
    return page_of(render::sitemap_xml(site_, input), *last);
  }
  // Every part may change with any new item (the later ones move down a
  // place), so each carries the newest change of any page it may list (a
  // category's is one of its items').
  auto changed = news_.pages_last_change();
  if (!changed) return changed.error();
  std::vector<render::SitemapRef> parts;
  parts.reserve(plan->parts);
  for (std::size_t p = 1; p <= plan->parts; ++p) {
    parts.push_back(render::SitemapRef{render::sitemap_part_path(p), *changed});
  }
  return page_of(render::sitemap_index_xml(site_, parts), *last);
}

Result<Page> PageService::sitemap_part(std::size_t part) {
  auto plan = sitemap_plan();
  if (!plan) return plan.error();
  if (part < 1 || part > plan->parts) {
    return make_error(ErrorCode::kNotFound, "pages: no sitemap part " + std::to_string(part));
  }
  render::SitemapInput& input = plan->input;
  // Only a part that lists category pages needs their dates.
  if ((part - 1) * input.max_urls < plan->fixed) {
    if (auto r = date_categories(input); !r) return r.error();
  }
  const render::SitemapSlice slice =
      render::sitemap_part_items(plan->fixed, plan->items, input.max_urls, part);
  if (slice.count > 0) {
    auto stamps = news_.page_stamps(static_cast<int>(slice.count), static_cast<int>(slice.offset));
    if (!stamps) return stamps.error();
    add_stamps(input.items, *stamps);
  }
  auto changed = news_.pages_last_change();
  if (!changed) return changed.error();
  input.items_last_change = *changed;
  if (model::served_languages(site_).size() > 1 && !input.items.empty()) {
    // The alternates of the part's items, from groups that may reach into
    // other parts.
    std::vector<std::int64_t> groups;
    groups.reserve(input.items.size());
    for (const render::SitemapItem& item : input.items) {
      groups.push_back(item.translation_of != 0 ? item.translation_of : item.id);
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    auto members = news_.translation_stamps(groups);
    if (!members) return members.error();
    // An item both named by others and naming one is in two groups' answers.
    std::unordered_set<std::int64_t> seen;
    std::erase_if(*members,
                  [&seen](const store::ItemStamp& s) { return !seen.insert(s.id).second; });
    add_stamps(input.translations, *members);
  }
  auto last = last_change();
  if (!last) return last.error();
  return page_of(render::sitemap_part_xml(site_, input, part), *last);
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
