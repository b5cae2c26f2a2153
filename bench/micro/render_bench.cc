// Pages: a detail page rendered from the store (the server's cache miss),
// the same page from a ready view (templates only), and the cache's work
// around it (compressing a miss, answering a hit).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "corpus.h"
#include "http/cache.h"
#include "render/embedded_theme.h"
#include "render/mustache.h"
#include "render/pages.h"
#include "render/structured_data.h"

namespace newsdesk::bench {
namespace {

// Per-call times in microseconds as counters: the target is a median.
void report_percentiles(benchmark::State& state, std::vector<double>& us) {
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}

// Times PageService::item over the corpus, a different item each call, and
// reports the per-call percentiles.
void item_pages(benchmark::State& state, Corpus& c, service::PageService& pages) {
  std::size_t i = 0;
  std::vector<double> us;
  us.reserve(1 << 16);
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto page = pages.item(c.slugs[i++ % c.slugs.size()]);
    const auto end = std::chrono::steady_clock::now();
    if (!page) {
      state.SkipWithError(page.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(page->body.data());
    if (us.size() < us.capacity()) {
      us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
  }
  report_percentiles(state, us);
}

// PageService::item on a populated store, a different item each call (so
// SQLite's page cache is warm but nothing of the item is memoised): what a
// request for a detail page costs when the response cache misses, without
// the compression of the result (BM_DetailPageCacheFill adds that).
void BM_DetailPageFromStore(benchmark::State& state) {
  Corpus& c = corpus();
  item_pages(state, c, *c.pages);
}
BENCHMARK(BM_DetailPageFromStore)->Unit(benchmark::kMicrosecond);

// The same as the server runs it: its PageService has the content
// generation, so the navigation's counts and the newest change are read
// once per change to the store, not once per page (the generation never
// moves here). What a response-cache miss costs between two edits.
void BM_DetailPageFromStoreServed(benchmark::State& state) {
  Corpus& c = corpus();
  service::PageService pages(c.site, *c.theme, *c.news, service::system_clock(),
                             [] { return std::uint64_t{1}; });
  item_pages(state, c, pages);
}
BENCHMARK(BM_DetailPageFromStoreServed)->Unit(benchmark::kMicrosecond);

// The templates alone: render::item_page on a view gathered beforehand.
void BM_DetailPageTemplateOnly(benchmark::State& state) {
  Corpus& c = corpus();
  render::ItemView view;
  auto item = c.news->public_item(c.slugs[c.slugs.size() / 2]);
  if (!item) {
    state.SkipWithError(item.error().message.c_str());
    return;
  }
  auto neighbours = c.news->neighbours(*item);
  if (neighbours) {
    view.newer = service::link_view(neighbours->newer);
    view.older = service::link_view(neighbours->older);
  }
  view.json_ld = render::news_article_json_ld(c.site, *item);
  view.item = *item;
  render::Chrome chrome;
  chrome.now = c.news->now();
  auto categories = c.news->categories();
  if (categories) {
    for (const model::Category& cat : *categories) {
      auto count = c.news->count(cat.slug);
      chrome.categories.push_back(render::CategoryCount{cat, count ? *count : 0});
    }
  }
  for (auto _ : state) {
    auto html = render::item_page(*c.theme, c.site, chrome, view);
    benchmark::DoNotOptimize(html);
  }
}
BENCHMARK(BM_DetailPageTemplateOnly)->Unit(benchmark::kMicrosecond);

// The template engine's share of BM_DetailPageTemplateOnly, with an empty
// context (the walk over the tokens, without data). 0: templates/item.mustache
// compiled once and rendered (render/mustache.h, what Theme does); 1:
// layouts/page.mustache with its partials, likewise; 2: mstch::render of the
// item template, which parses it on every call (what Theme did before, see
// bench/RESULTS.md "Compiled templates instead of mstch::render").
void BM_TemplateRender(benchmark::State& state) {
  std::string item;
  std::string layout;
  render::mustache::Partials partials;
  for (const render::EmbeddedFile& f : render::embedded_default_theme()) {
    if (f.path.starts_with("partials/") && f.path.ends_with(".mustache")) {
      partials.try_emplace(std::string(f.path.substr(9, f.path.size() - 9 - 9)), f.content);
    }
    if (f.path == "templates/item.mustache") item = std::string(f.content);
    if (f.path == "layouts/page.mustache") layout = std::string(f.content);
  }
  for (auto& [name, partial] : partials) partial.link(partials);
  render::mustache::Template item_template(item);
  render::mustache::Template page_layout(layout);
  item_template.link(partials);
  page_layout.link(partials);
  const mstch::node empty = mstch::map{};
  for (auto _ : state) {
    switch (state.range(0)) {
      case 0:
        benchmark::DoNotOptimize(item_template.render(empty));
        break;
      case 1:
        benchmark::DoNotOptimize(page_layout.render(empty));
        break;
      default:
        benchmark::DoNotOptimize(mstch::render(item, empty));
        break;
    }
  }
  static const char* const kNames[] = {"item template, compiled", "layout + partials, compiled",
                                       "item template, mstch::render"};
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_TemplateRender)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

// The store's part of a detail page: the item, its neighbours, the
// navigation's category counts and the newest change.
void BM_DetailPageQueriesOnly(benchmark::State& state) {
  Corpus& c = corpus();
  std::size_t i = 0;
  for (auto _ : state) {
    auto item = c.news->public_item(c.slugs[i++ % c.slugs.size()]);
    if (!item) {
      state.SkipWithError(item.error().message.c_str());
      break;
    }
    auto neighbours = c.news->neighbours(*item);
    auto categories = c.news->categories();
    std::int64_t total = 0;
    if (categories) {
      for (const model::Category& cat : *categories) {
        auto count = c.news->count(cat.slug);
        if (count) total += *count;
      }
    }
    auto last = c.news->last_change();
    benchmark::DoNotOptimize(neighbours);
    benchmark::DoNotOptimize(total);
    benchmark::DoNotOptimize(last);
  }
}
BENCHMARK(BM_DetailPageQueriesOnly)->Unit(benchmark::kMicrosecond);

// Each of those queries alone, to see where a miss's time goes.
void BM_DetailPageQuery(benchmark::State& state) {
  Corpus& c = corpus();
  std::size_t i = 0;
  auto middle = c.news->public_item(c.slugs[c.slugs.size() / 2]);
  if (!middle) {
    state.SkipWithError(middle.error().message.c_str());
    return;
  }
  auto categories = c.news->categories();
  const std::string category =
      categories && !categories->empty() ? categories->front().slug : std::string();
  for (auto _ : state) {
    switch (state.range(0)) {
      case 0:
        benchmark::DoNotOptimize(c.news->public_item(c.slugs[i++ % c.slugs.size()]));
        break;
      case 1:
        benchmark::DoNotOptimize(c.news->neighbours(*middle));
        break;
      case 2:
        benchmark::DoNotOptimize(c.news->categories());
        break;
      case 3:
        benchmark::DoNotOptimize(c.news->count(category));
        break;
      case 4:
        benchmark::DoNotOptimize(c.news->last_change());
        break;
      default:
        benchmark::DoNotOptimize(c.news->boilerplate());
        break;
    }
  }
  static const char* const kNames[] = {"public_item",     "neighbours",  "categories",
                                       "count(category)", "last_change", "boilerplate"};
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_DetailPageQuery)->DenseRange(0, 5)->Unit(benchmark::kMicrosecond);

// A whole cache miss in the server: the page from the store, then
// make_cached (ETag, gzip level 9, brotli quality 11), paid once per page
// and change.
void BM_DetailPageCacheFill(benchmark::State& state) {
  Corpus& c = corpus();
  std::size_t i = 0;
  for (auto _ : state) {
    auto page = c.pages->item(c.slugs[i++ % c.slugs.size()]);
    if (!page) {
      state.SkipWithError(page.error().message.c_str());
      break;
    }
    http::Rendered r;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(page->body);
    r.last_modified = page->last_modified;
    auto cached = http::make_cached(std::move(r), 1);
    benchmark::DoNotOptimize(cached.get());
  }
}
BENCHMARK(BM_DetailPageCacheFill)->Unit(benchmark::kMicrosecond);

// The compression alone in a cache fill: make_cached on a detail page
// rendered beforehand.
void BM_DetailPageCompress(benchmark::State& state) {
  Corpus& c = corpus();
  auto page = c.pages->item(c.slugs[c.slugs.size() / 2]);
  if (!page) {
    state.SkipWithError(page.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    http::Rendered r;
    r.content_type = "text/html; charset=utf-8";
    r.body = page->body;
    r.last_modified = page->last_modified;
    auto cached = http::make_cached(std::move(r), 1);
    benchmark::DoNotOptimize(cached.get());
  }
  state.SetLabel(std::to_string(page->body.size()) + " bytes");
}
BENCHMARK(BM_DetailPageCompress)->Unit(benchmark::kMicrosecond);

// A cache hit: respond_cached for a detail page, identity or gzip (the
// work per request before Beast writes it).
void BM_RespondCached(benchmark::State& state) {
  Corpus& c = corpus();
  auto page = c.pages->item(c.slugs.front());
  if (!page) {
    state.SkipWithError(page.error().message.c_str());
    return;
  }
  http::Rendered r;
  r.content_type = "text/html; charset=utf-8";
  r.body = page->body;
  r.last_modified = page->last_modified;
  const auto cached = http::make_cached(std::move(r), 1);
  http::Request req{http::beast_http::verb::get, "/news-centre/news-detail/x/", 11};
  req.set(http::beast_http::field::host, "127.0.0.1");
  if (state.range(0) == 1) req.set(http::beast_http::field::accept_encoding, "gzip");
  if (state.range(0) == 2) {
    req.set(http::beast_http::field::accept_encoding, "gzip");
    req.set(http::beast_http::field::if_none_match, cached->etag.substr(0, 33) + "-gz\"");
  }
  for (auto _ : state) {
    http::Response res = http::respond_cached(req, *cached, http::CachePolicy{});
    benchmark::DoNotOptimize(res.body().bytes().data());
  }
  state.SetLabel(state.range(0) == 0   ? "identity 200"
                 : state.range(0) == 1 ? "gzip 200"
                                       : "gzip 304");
}
BENCHMARK(BM_RespondCached)->Arg(0)->Arg(1)->Arg(2);

// The search results page for a two-word query, from the store (a miss).
void BM_SearchPage(benchmark::State& state) {
  Corpus& c = corpus();
  for (auto _ : state) {
    auto page = c.pages->search("border management", 1);
    if (!page) {
      state.SkipWithError(page.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(page->body.data());
  }
}
BENCHMARK(BM_SearchPage)->Repetitions(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace newsdesk::bench
