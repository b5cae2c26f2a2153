// libFuzzer target: the search box, end to end below HTTP. Arbitrary bytes
// are parsed as a reader's query (text/search_query.h) and run as a full-text
// search on an in-memory SQLite store holding a few items in several
// scripts (the FTS5 MATCH translation in store/sqlite/search_queries.cc).
//
// Checks: the parsed query keeps the promises of model/search.h and
// text/search_query.h (no empty words, no spaces or quotes in a word, at
// most 16 terms of at most 16 words of at most 100 code points); the search
// never fails (anything a reader types must be a query SQLite accepts); a
// query that matches nothing gives no hits; a snippet is escaped text with
// only <mark> elements.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "model/search.h"
#include "service/accounts.h"
#include "service/editorial.h"
#include "service/news.h"
#include "store/store.h"
#include "text/search_query.h"

namespace {

using namespace newsdesk;

[[noreturn]] void fail(std::string_view what, std::string_view input) {
  std::fprintf(stderr, "search_query_fuzzer: %.*s\n--- input ---\n%.*s\n---\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(input.size()),
               input.data());
  std::abort();
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

store::Store& seeded_store() {
  static std::unique_ptr<store::Store> store = [] {
    auto opened = store::open_store("sqlite::memory:");
    if (!opened || !(*opened)->migrate()) fail("cannot open the store", "");
    model::Site site;
    service::AccountService accounts(**opened, service::system_clock());
    auto editor = accounts.add_user("edna", model::Role::kEditor, "");
    if (!editor) fail("cannot add a user", editor.error().message);
    service::EditorialService editorial(site, **opened, service::system_clock());
    const char* kItems[][2] = {
        {"Migration dialogue in Vienna", "Border management and asylum seekers: covid-19 rules."},
        {"Grenzmanagement in Österreich", "Über Migrationspolitik und Straße; O'Brien sagt NOT."},
        {"Миграционный диалог", "Пограничный контроль и сотрудничество."},
        {"移民对话", "边境管理与合作。 日本語のテキスト"},
        {"حوار الهجرة", "إدارة الحدود والتعاون"},
        {"AND OR NEAR", "\"quoted\" text with * and - and ( brackets ) {col}: title"},
    };
    for (const auto& [title, body] : kItems) {
      service::NewsInput in;
      in.title = title;
      in.body_markdown = body;
      in.teaser = std::string("Teaser: ") + title;
      in.status = "published";
      if (auto r = editorial.create(*editor, in); !r) fail("cannot seed", r.error().message);
    }
    return std::move(*opened);
  }();
  return *store;
}

void check_query(const model::SearchQuery& query, std::string_view input) {
  if (query.terms.size() > text::kMaxSearchTerms) fail("more terms than the limit", input);
  for (const model::SearchTerm& term : query.terms) {
    if (term.words.empty()) fail("a term without words", input);
    if (term.words.size() > text::kMaxPhraseWords) fail("a phrase over the limit", input);
    for (const std::string& word : term.words) {
      if (word.empty()) fail("an empty word", input);
      if (word.find_first_of(" \"") != std::string::npos)
        fail("a word with a space or quote", input);
      if (code_points(word) > text::kMaxSearchWordLength) fail("a word over the limit", input);
    }
  }
}

void check_snippet(std::string_view snippet, std::string_view input) {
  for (std::size_t at = snippet.find('<'); at != std::string_view::npos;
       at = snippet.find('<', at + 1)) {
    const std::string_view rest = snippet.substr(at);
    if (!rest.starts_with("<mark>") && !rest.starts_with("</mark>")) {
      fail("a snippet with markup other than <mark>: " + std::string(snippet), input);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const model::SearchQuery query = text::parse_search_query(input);
  check_query(query, input);
  store::ItemQuery filter;
  filter.status = model::Status::kPublished;
  filter.limit = 10;
  auto results = seeded_store().search(query, filter);
  if (!results) fail("search failed: " + results.error().message, input);
  if (query.matches_nothing() && (results->total != 0 || !results->hits.empty())) {
    fail("a query that matches nothing found something", input);
  }
  for (const store::SearchHit& hit : results->hits) check_snippet(hit.snippet_html, input);
  return 0;
}
