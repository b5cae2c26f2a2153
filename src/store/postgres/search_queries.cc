// Search with a weighted tsvector (title A, teaser B, body C) in
// items_search, a GIN index and ts_rank, the twin of the SQLite store's FTS5
// search: the same words match (no stop words dropped, accents ignored
// where unaccent is installed), title over teaser over body in the ranking,
// and snippets with <mark> around the matches. Unlike FTS5's porter, which
// knows only English, each item is stemmed by the rules of its language
// (the configurations of migrations.cc, search_configuration_of).

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "store/postgres/migrations.h"
#include "store/postgres/queries.h"
#include "store/postgres/statement.h"
#include "text/sanitize.h"

namespace newsdesk::store::postgres {
namespace {

// ts_headline wraps each match in these. Control characters never reach the
// index (plain_text drops them), so they cannot be confused with text.
constexpr char kMatchStart = '\x01';
constexpr char kMatchEnd = '\x02';

// ts_rank's weights for D, C, B, A: body 1, teaser 5, title 10, as the
// SQLite store's bm25 weights.
constexpr std::string_view kWeights = "'{0.0, 0.1, 0.5, 1.0}'";
// About a sentence, as the SQLite store's snippet of 24 tokens.
constexpr std::string_view kHeadline =
    "'StartSel=\x01, StopSel=\x02, MaxWords=24, MinWords=12, ShortWord=2, HighlightAll=false'";

// PostgreSQL's text parser reads "<...>" as an HTML tag and "&...;" as an
// entity: it leaves them out of the index and of ts_headline, and skips
// whatever follows "<script>". The stored text is plain, so these three
// are stored as control characters (separators to the parser, like
// punctuation) and turned back when a snippet is made.
constexpr char kLess = '\x03';
constexpr char kGreater = '\x04';
constexpr char kAmpersand = '\x05';

// Text as indexed: C0 controls other than tab and line breaks go, and
// '<', '>' and '&' become the characters above.
std::string plain_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    out += c == '<' ? kLess : c == '>' ? kGreater : c == '&' ? kAmpersand : c;
  }
  return out;
}

// Escapes stored text for HTML, the stand-ins for '<', '>' and '&'
// included.
void append_stored(std::string& out, std::string_view text) {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != kLess && text[i] != kGreater && text[i] != kAmpersand) {
      continue;
    }
    append_escaped(out, text.substr(start, i - start));
    start = i + 1;
    if (i == text.size()) break;
    out += text[i] == kLess ? "&lt;" : text[i] == kGreater ? "&gt;" : "&amp;";
  }
}

// `language`: the item's, whose configuration reads its text.
Result<void> write_search_row(Connection& db, std::int64_t id, std::string_view language,
                              std::string_view title, std::string_view teaser,
                              std::string_view body_html) {
  Result<Statement> stmt = Statement::prepare(
      db,
      "INSERT INTO items_search (item_id, title, teaser, body, document) VALUES (?1, ?2, ?3, ?4,"
      " setweight(to_tsvector(?5::regconfig, ?2), 'A') ||"
      " setweight(to_tsvector(?5::regconfig, ?3), 'B') ||"
      " setweight(to_tsvector(?5::regconfig, ?4), 'C'))"
      " ON CONFLICT (item_id) DO UPDATE SET title = excluded.title, teaser = excluded.teaser,"
      " body = excluded.body, document = excluded.document");
  if (!stmt) return stmt.error();
  const std::string body = plain_text(text::html_to_text(body_html));
  stmt->bind(1, id)
      .bind(2, std::string_view(plain_text(title)))
      .bind(3, std::string_view(plain_text(teaser)))
      .bind(4, std::string_view(body))
      .bind(5, std::string_view(search_configuration_of(language)));
  return stmt->run();
}

// One tsquery operand per word, quoted ('' for a quote, \\ for a
// backslash), so no input is read as tsquery syntax; a phrase joins its
// words with <->, a prefix ends in :*.
std::string tsquery_term(const model::SearchTerm& term) {
  std::string out = "(";
  for (std::size_t i = 0; i < term.words.size(); ++i) {
    if (i > 0) out += " <-> ";
    out += '\'';
    for (char c : term.words[i]) {
      if (c == '\'' || c == '\\') out += c;
      out += c;
    }
    out += '\'';
    if (term.prefix && i + 1 == term.words.size()) out += ":*";
  }
  out += ')';
  return out;
}

// ts_headline output as HTML: the text escaped, markers turned into <mark>,
// and an ellipsis where the extract leaves out the start or the end of
// `whole`, the text it was cut from (ts_headline marks neither).
std::string snippet_html(std::string_view raw, std::string_view whole) {
  std::string bare;
  for (char c : raw) {
    if (c != kMatchStart && c != kMatchEnd) bare += c;
  }
  std::string out;
  if (!whole.starts_with(bare)) out += "\u2026";
  bool open = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= raw.size(); ++i) {
    if (i < raw.size() && raw[i] != kMatchStart && raw[i] != kMatchEnd) continue;
    append_stored(out, raw.substr(start, i - start));
    start = i + 1;
    if (i == raw.size()) break;
    if (raw[i] == kMatchStart && !open) {
      out += "<mark>";
      open = true;
    } else if (raw[i] == kMatchEnd && open) {
      out += "</mark>";
      open = false;
    }
  }
  if (open) out += "</mark>";
  if (!whole.ends_with(bare)) out += "\u2026";
  return out;
}

// The body's extract when the body has a match; else the teaser's when it
// has one; else whichever has text. Each extract comes with its whole text.
std::string best_snippet(const std::string& body, const std::string& body_text,
                         const std::string& teaser, const std::string& teaser_text) {
  auto has_match = [](const std::string& s) { return s.find(kMatchStart) != std::string::npos; };
  if (has_match(body)) return snippet_html(body, body_text);
  if (has_match(teaser)) return snippet_html(teaser, teaser_text);
  return body.empty() ? snippet_html(teaser, teaser_text) : snippet_html(body, body_text);
}

}  // namespace

std::string tsquery_of(const model::SearchQuery& query) {
  std::string included;
  std::string excluded;
  for (const model::SearchTerm& term : query.terms) {
    if (term.words.empty()) continue;
    if (term.excluded) {
      excluded += " & !" + tsquery_term(term);
    } else {
      if (!included.empty()) included += " & ";
      included += tsquery_term(term);
    }
  }
  return "(" + included + ")" + excluded;
}

Result<void> index_item(Connection& db, std::int64_t id, const model::Item& item) {
  if (auto r = write_search_row(db, id, item.language, item.title, item.teaser, item.body_html);
      !r) {
    return wrap_error(r.error(), "search index");
  }
  return {};
}

Result<void> index_all_items(Connection& db) {
  constexpr std::string_view kContext = "index existing items";
  Result<Statement> stmt =
      Statement::prepare(db, "SELECT id, language, title, teaser, body_html FROM items");
  if (!stmt) return wrap_error(stmt.error(), kContext);
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), kContext);
    if (!*row) break;
    if (auto r = write_search_row(db, stmt->column_int64(0), stmt->column_text(1),
                                  stmt->column_text(2), stmt->column_text(3), stmt->column_text(4));
        !r) {
      return wrap_error(r.error(), kContext);
    }
  }
  return {};
}

// The matches are found through the GIN index and filtered by the id set
// of the items the filter lets through; only the page's items are then
// loaded, and only they get snippets.
//
// The query is read by the rules of filter.text_language (else
// filter.language, else English). An item's words were read by the rules of
// its own language, so where the two differ, stems need not agree
// ("européennes" is "europeen" in French, "europeenn" in English); items
// indexed by the English fallback (no language, or one without a
// configuration) are therefore also matched by the query read in English,
// so that they are always found by their own words.
Result<SearchResults> search_items(Connection& db, const model::SearchQuery& query,
                                   const ItemQuery& filter) {
  constexpr std::string_view kContext = "store/postgres: search";
  SearchResults results;
  if (query.matches_nothing()) return results;

  Selection wanted;
  add_filter(wanted, filter);
  // A name from migrations.cc's table, never the caller's text.
  const std::string config = search_configuration_of(
      !filter.text_language.empty() ? filter.text_language : filter.language);
  const std::string tsquery = tsquery_of(query);
  Selection selection;
  selection.params.emplace_back(tsquery);
  std::string q = "to_tsquery('" + config + "', ?) q";
  if (config != search_configuration_of("")) {
    q = "(SELECT to_tsquery('" + config + "', ?) || to_tsquery('" + search_configuration_of("") +
        "', ?) AS q) query";
    selection.params.emplace_back(tsquery);
  }
  selection.sql = " FROM items_search s, " + q +
                  " WHERE s.document @@ q AND s.item_id IN (SELECT i.id FROM items i" + wanted.sql +
                  ")";
  selection.params.insert(selection.params.end(), wanted.params.begin(), wanted.params.end());

  // Quoting every word should make a tsquery syntax error impossible; if it
  // happens anyway, it is the query that is at fault, not the database.
  const auto failed = [kContext](const Error& error) -> Error {
    if (error.code == ErrorCode::kInternal && error.message.find("tsquery") != std::string::npos) {
      return make_error(ErrorCode::kInvalid,
                        std::string(kContext) + ": query not understood: " + error.message);
    }
    return wrap_error(error, kContext);
  };
  {
    Result<Statement> stmt = Statement::prepare(db, "SELECT COUNT(*)" + selection.sql);
    if (!stmt) return wrap_error(stmt.error(), kContext);
    stmt->bind_all(1, selection.params);
    Result<bool> row = stmt->step();
    if (!row) return failed(row.error());
    if (!*row) return make_error(ErrorCode::kInternal, std::string(kContext) + ": no count");
    results.total = stmt->column_int64(0);
  }
  if (results.total == 0) return results;

  std::vector<std::int64_t> ids;
  std::vector<std::string> snippets;
  {
    Result<Statement> stmt = Statement::prepare(
        db, "SELECT s.item_id, ts_headline('" + config + "', s.body, q, " + std::string(kHeadline) +
                "), ts_headline('" + config + "', s.teaser, q, " + std::string(kHeadline) +
                "), s.body, s.teaser" + selection.sql + " ORDER BY ts_rank(" +
                std::string(kWeights) + ", s.document, q) DESC, s.item_id DESC LIMIT ? OFFSET ?");
    if (!stmt) return wrap_error(stmt.error(), kContext);
    stmt->bind_all(1, selection.params);
    const int next = static_cast<int>(selection.params.size()) + 1;
    if (filter.limit > 0) {
      stmt->bind(next, std::int64_t{filter.limit});
    } else {
      stmt->bind_null(next);
    }
    stmt->bind(next + 1, std::int64_t{std::max(filter.offset, 0)});
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return failed(row.error());
      if (!*row) break;
      ids.push_back(stmt->column_int64(0));
      snippets.push_back(best_snippet(stmt->column_text(1), stmt->column_text(3),
                                      stmt->column_text(2), stmt->column_text(4)));
    }
  }
  if (ids.empty()) return results;

  Selection page;
  page.sql = " WHERE i.id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    page.sql += i == 0 ? "?" : ", ?";
    page.params.emplace_back(ids[i]);
  }
  page.sql += ")";
  page.has_where = true;
  Result<std::vector<model::Item>> items = load_items(db, page, kContext);
  if (!items) return items.error();
  results.hits.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (model::Item& item : *items) {
      if (item.id != ids[i]) continue;
      results.hits.push_back(SearchHit{std::move(item), std::move(snippets[i])});
      break;
    }
  }
  return results;
}

}  // namespace newsdesk::store::postgres
