// Feeds: each writer on a feed's worth of stored items (pure functions, no
// I/O), and FeedService::render with its queries (the server's cache miss).
#include <benchmark/benchmark.h>

#include "corpus.h"
#include "feed/write/atom.h"
#include "feed/write/jsonfeed.h"
#include "feed/write/rss.h"

namespace newsdesk::bench {
namespace {

feed::FeedInfo info_for(const Corpus& c) {
  return feed::site_feed_info(c.site, c.latest.front().updated_at);
}

void BM_WriteRss(benchmark::State& state) {
  Corpus& c = corpus();
  const feed::FeedInfo info = info_for(c);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string doc = feed::write_rss(c.site, info, c.latest);
    bytes += doc.size();
    benchmark::DoNotOptimize(doc.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetLabel(std::to_string(c.latest.size()) + " items");
}
BENCHMARK(BM_WriteRss)->Unit(benchmark::kMicrosecond);

void BM_WriteAtom(benchmark::State& state) {
  Corpus& c = corpus();
  feed::FeedInfo info = info_for(c);
  info.self_url = c.site.base_url + "atom.xml";
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string doc = feed::write_atom(c.site, info, c.latest);
    bytes += doc.size();
    benchmark::DoNotOptimize(doc.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetLabel(std::to_string(c.latest.size()) + " items");
}
BENCHMARK(BM_WriteAtom)->Unit(benchmark::kMicrosecond);

void BM_WriteJsonFeed(benchmark::State& state) {
  Corpus& c = corpus();
  feed::FeedInfo info = info_for(c);
  info.self_url = c.site.base_url + "feed.json";
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string doc = feed::write_json_feed(c.site, info, c.latest);
    bytes += doc.size();
    benchmark::DoNotOptimize(doc.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetLabel(std::to_string(c.latest.size()) + " items");
}
BENCHMARK(BM_WriteJsonFeed)->Unit(benchmark::kMicrosecond);

// /rss.xml, /atom.xml, /feed.json from the store: queries plus writer.
void BM_FeedFromStore(benchmark::State& state) {
  Corpus& c = corpus();
  service::FeedRequest request;
  request.format = state.range(0) == 0   ? model::FeedFormat::kRss
                   : state.range(0) == 1 ? model::FeedFormat::kAtom
                                         : model::FeedFormat::kJson;
  for (auto _ : state) {
    auto doc = c.feeds->render(request);
    if (!doc) {
      state.SkipWithError(doc.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(doc->body.data());
  }
  state.SetLabel(state.range(0) == 0 ? "rss" : state.range(0) == 1 ? "atom" : "json");
}
BENCHMARK(BM_FeedFromStore)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace newsdesk::bench
