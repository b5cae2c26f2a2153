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

// PageService::item on a populated store, a different item each call (so
// SQLite's page cache is warm but nothing of the item is memoised): what a
// request for a detail page costs when the response cache misses, without
// the compression of the result (BM_DetailPageCacheFill adds that).
void BM_DetailPageFromStore(benchmark::State& state) {
  Corpus& c = corpus();
  std::size_t i = 0;
  std::vector<double> us;
  us.reserve(1 << 16);
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto page = c.pages->item(c.slugs[i++ % c.slugs.size()]);
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
BENCHMARK(BM_DetailPageFromStore)->Unit(benchmark::kMicrosecond);

// The same as the server runs it: its PageService has the content
// generation, so the navigation's counts and the newest change are read
// once per change to the store, not once per page (the generation never
// moves here). What a response-cache miss costs between two edits.
void BM_DetailPageFromStoreServed(benchmark::State& state) {
  Corpus& c = corpus();
  service::PageService pages(c.site, *c.theme, *c.news, service::system_clock(),
                             [] { return std::uint64_t{1}; });
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
    view.newer = neighbours->newer;
    view.older = neighbours->older;
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

// mstch's share of BM_DetailPageTemplateOnly. mstch::render parses the
// template and every partial it is handed on each call (its API has no
// parsed template to keep), so each page pays a parse of the item template,
// the layout and the layout's partials. Rendered with an empty context:
// the parse and a walk over the tokens. 0: templates/item.mustache; 1:
// layouts/page.mustache with the four partials it reaches; 2: the six
// partials alone (what each of a page's two renders parsed before
// Theme kept only the reachable ones); 3: copying the words map {{t.key}}
// reads, which mstch does for each {{t.key}} it renders.
void BM_MstchParse(benchmark::State& state) {
  Corpus& c = corpus();
  std::map<std::string, std::string> every;
  std::string item;
  std::string layout;
  for (const render::EmbeddedFile& f : render::embedded_default_theme()) {
    if (f.path.starts_with("partials/") && f.path.ends_with(".mustache")) {
      every.emplace(std::string(f.path.substr(9, f.path.size() - 9 - 9)), std::string(f.content));
    }
    if (f.path == "templates/item.mustache") item = std::string(f.content);
    if (f.path == "layouts/page.mustache") layout = std::string(f.content);
  }
  std::map<std::string, std::string> reached;
  for (const char* name : {"social", "header", "footer", "languages"}) {
    if (every.contains(name)) reached.emplace(name, every.at(name));
  }
  const mstch::node empty = mstch::map{};
  const mstch::map& words = c.theme->word_map(c.site.language);
  for (auto _ : state) {
    switch (state.range(0)) {
      case 0:
        benchmark::DoNotOptimize(mstch::render(item, empty));
        break;
      case 1:
        benchmark::DoNotOptimize(mstch::render(layout, empty, reached));
        break;
      case 2:
        benchmark::DoNotOptimize(mstch::render("", empty, every));
        break;
      default: {
        mstch::node copy = words;
        benchmark::DoNotOptimize(copy);
        break;
      }
    }
  }
  static const char* const kNames[] = {"item template", "layout + 4 partials", "6 partials",
                                       "copy of the words map"};
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_MstchParse)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

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
