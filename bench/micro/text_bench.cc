// Text: sanitizing an item body (the fast path most feed bodies take, and
// gumbo for markup outside its subset), making a slug, and an FTS query.
#include <benchmark/benchmark.h>

#include "corpus.h"
#include "text/sanitize.h"
#include "text/search_query.h"
#include "text/slug.h"

namespace newsdesk::bench {
namespace {

// A stored body, as an import hands it to the sanitizer again (clean HTML
// comes back byte for byte through the fast path).
void BM_SanitizeBody(benchmark::State& state) {
  const std::string body = generated_body(42);
  for (auto _ : state) {
    std::string out = text::sanitize_html(body, "https://www.icmpd.org/");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(std::to_string(body.size()) + " bytes, fast path");
}
BENCHMARK(BM_SanitizeBody)->Unit(benchmark::kMicrosecond);

// The same body in the markup real feeds send: unquoted attributes, a table,
// an inline style and a script, relative links; this goes through gumbo.
void BM_SanitizeBodyGumbo(benchmark::State& state) {
  std::string body = generated_body(42);
  body.insert(0,
              "<div class=intro style=\"color:red\"><script>track()</script>"
              "<table><tr><td>Budget<td>EUR 2.5m</table>"
              "<a href=/news-centre/ onclick=x()>News centre</a></div>\n");
  for (auto _ : state) {
    std::string out = text::sanitize_html(body, "https://www.icmpd.org/");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(std::to_string(body.size()) + " bytes, gumbo");
}
BENCHMARK(BM_SanitizeBodyGumbo)->Unit(benchmark::kMicrosecond);

// A title of the sample's kind, with typographic quotes and a dash (ICU
// transliteration).
void BM_Slugify(benchmark::State& state) {
  const std::string title = generated_title(0);
  for (auto _ : state) {
    std::string slug = text::slugify(title);
    benchmark::DoNotOptimize(slug.data());
  }
  state.SetLabel(title);
}
BENCHMARK(BM_Slugify);

// An ASCII-only title (no transliteration needed).
void BM_SlugifyAscii(benchmark::State& state) {
  const std::string title = "Project News: 5th phase of BOMCA extended for 24 months";
  for (auto _ : state) {
    std::string slug = text::slugify(title);
    benchmark::DoNotOptimize(slug.data());
  }
}
BENCHMARK(BM_SlugifyAscii);

// Store::search (FTS5, bm25, snippets) for the first page of results:
// a two-word query, a prefix, and a phrase.
void BM_FtsQuery(benchmark::State& state) {
  Corpus& c = corpus();
  const char* queries[] = {"border management", "migra*", "\"labour migration\" tunisia"};
  const char* text = queries[state.range(0)];
  std::int64_t total = 0;
  for (auto _ : state) {
    auto results = c.news->search(text, c.site.page_items, 0);
    if (!results) {
      state.SkipWithError(results.error().message.c_str());
      break;
    }
    total = results->total;
    benchmark::DoNotOptimize(results->hits.data());
  }
  state.SetLabel(std::string(text) + " (" + std::to_string(total) + " hits)");
}
// Once each: on 10k items a query takes seconds (the prefix query about a
// minute), and make bench must stay bounded.
BENCHMARK(BM_FtsQuery)->Arg(0)->Arg(1)->Arg(2)->Repetitions(1)->Unit(benchmark::kMicrosecond);

// Parsing the search box's text (before the store sees it).
void BM_ParseSearchQuery(benchmark::State& state) {
  for (auto _ : state) {
    auto q = text::parse_search_query("\"labour migration\" tunisia -visa migra*");
    benchmark::DoNotOptimize(q.terms.data());
  }
}
BENCHMARK(BM_ParseSearchQuery);

}  // namespace
}  // namespace newsdesk::bench
