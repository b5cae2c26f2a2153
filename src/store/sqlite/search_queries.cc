// Full-text search with FTS5 (items_fts, tokenize 'porter unicode61
// remove_diacritics 2'): one set of word rules for every language. unicode61
// splits words at spaces and punctuation in any script (Cyrillic, Arabic,
// Greek as well as Latin), folds case and strips Latin accents ("ubernimmt"
// finds "übernimmt", "espanol" "español"), and splits French elisions at the
// apostrophe ("immigration" finds "l'immigration"). Porter stemming only
// knows English: "migrants" finds "migrant" in English text, while an
// inflected French, German, Spanish, Russian or Arabic word finds only
// itself (the PostgreSQL store stems each item in its own language). "ß"
// is not folded to "ss" ("Maßnahmen" is found by "maßnahmen" only).

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/statement.h"
#include "text/sanitize.h"

namespace newsdesk::store::sqlite {
namespace {

// snippet() wraps each match in these. Control characters never reach the
// index (plain_text drops them), so they cannot be confused with text.
constexpr char kMatchStart = '\x01';
constexpr char kMatchEnd = '\x02';

// Title over teaser over body: a word in the title says more about the item
// than the same word deep in its body.
constexpr std::string_view kRank = "bm25(items_fts, 10.0, 5.0, 1.0)";
// Column numbers of items_fts.
constexpr int kTeaserColumn = 1;
constexpr int kBodyColumn = 2;
// About a sentence: enough to show the word in context on a results page.
constexpr int kSnippetTokens = 24;

// Whether s[i] starts an Arabic mark (UTF-8): the harakat and the other
// Quranic annotation signs (U+0610-061A, U+064B-065F, U+0670, U+06D6-06ED
// but for five signs that are not marks), and the tatweel (U+0640) that
// stretches a word.
// unicode61 keeps none of them in a token and splits the word around them,
// so "الحُكُومَةُ" (vowelled) would be indexed as letters and never be found
// by "الحكومة", as readers type it; they are dropped from text and query
// alike instead.
bool arabic_mark_at(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return false;
  const auto lead = static_cast<unsigned char>(s[i]);
  const auto next = static_cast<unsigned char>(s[i + 1]);
  if (lead == 0xD8) return next >= 0x90 && next <= 0x9A;
  if (lead == 0xD9) return next == 0x80 || (next >= 0x8B && next <= 0x9F) || next == 0xB0;
  if (lead == 0xDB) {
    return next >= 0x96 && next <= 0xAD && next != 0x9D && next != 0x9E && next != 0xA5 &&
           next != 0xA6 && next != 0xA9;
  }
  return false;
}

// Text as indexed: C0 controls other than tab and line breaks go, as
// append_escaped would drop them from the snippet anyway; so do Arabic
// marks (arabic_mark_at).
std::string plain_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    if (arabic_mark_at(s, i)) {
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

Result<void> write_search_row(Db db, std::int64_t id, std::string_view title,
                              std::string_view teaser, std::string_view body_html) {
  Result<Statement> remove = Statement::prepare(db, "DELETE FROM items_fts WHERE rowid = ?");
  if (!remove) return remove.error();
  remove->bind(1, id);
  if (auto r = remove->run(); !r) return r;

  Result<Statement> insert = Statement::prepare(
      db, "INSERT INTO items_fts (rowid, title, teaser, body) VALUES (?, ?, ?, ?)");
  if (!insert) return insert.error();
  const std::string body = plain_text(text::html_to_text(body_html));
  insert->bind(1, id)
      .bind(2, std::string_view(plain_text(title)))
      .bind(3, std::string_view(plain_text(teaser)))
      .bind(4, std::string_view(body));
  return insert->run();
}

// One FTS5 string: the words in double quotes, a quote inside doubled (the
// parser leaves none; quoting is what makes input inert, so it is done
// whatever the words hold).
std::string fts5_string(const model::SearchTerm& term) {
  std::string out = "\"";
  for (std::size_t i = 0; i < term.words.size(); ++i) {
    if (i > 0) out += ' ';
    for (char c : plain_text(term.words[i])) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  out += '"';
  if (term.prefix) out += '*';
  return out;
}

// snippet() output as HTML: the text escaped, markers turned into <mark>.
std::string snippet_html(std::string_view raw) {
  std::string out;
  bool open = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= raw.size(); ++i) {
    if (i < raw.size() && raw[i] != kMatchStart && raw[i] != kMatchEnd) continue;
    append_escaped(out, raw.substr(start, i - start));
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
  return out;
}

// The body's extract when the body has a match; else the teaser's when it
// has one (the words were only there); else whichever has text.
std::string best_snippet(const std::string& body, const std::string& teaser) {
  auto has_match = [](const std::string& s) { return s.find(kMatchStart) != std::string::npos; };
  if (has_match(body)) return snippet_html(body);
  if (has_match(teaser)) return snippet_html(teaser);
  return snippet_html(body.empty() ? teaser : body);
}

std::string snippet_of(int column) {
  return "snippet(items_fts, " + std::to_string(column) + ", char(1), char(2), '\u2026', " +
         std::to_string(kSnippetTokens) + ")";
}

}  // namespace

std::string fts5_match_of(const model::SearchQuery& query) {
  std::string included;
  std::string excluded;
  for (const model::SearchTerm& term : query.terms) {
    if (term.words.empty()) continue;
    if (term.excluded) {
      excluded += " NOT " + fts5_string(term);
    } else {
      if (!included.empty()) included += " AND ";
      included += fts5_string(term);
    }
  }
  return "(" + included + ")" + excluded;
}

Result<void> index_item(Db db, std::int64_t id, const model::Item& item) {
  if (auto r = write_search_row(db, id, item.title, item.teaser, item.body_html); !r) {
    return wrap_error(r.error(), "search index");
  }
  return {};
}

Result<void> index_all_items(sqlite3* db) {
  constexpr std::string_view kContext = "index existing items";
  Result<Statement> stmt = Statement::prepare(db, "SELECT id, title, teaser, body_html FROM items");
  if (!stmt) return wrap_error(stmt.error(), kContext);
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), kContext);
    if (!*row) break;
    if (auto r = write_search_row(db, stmt->column_int64(0), stmt->column_text(1),
                                  stmt->column_text(2), stmt->column_text(3));
        !r) {
      return wrap_error(r.error(), kContext);
    }
  }
  return {};
}

// FTS5 first, the table second. The matches are found and ranked inside
// items_fts, and the filter (published, due, not taken down, the category)
// is a set of ids the planner builds once from items_public_idx; the unary
// `+` keeps the planner from pushing that set into FTS5 as rowid lookups,
// and from walking items first and asking FTS5 about each (both measured
// at seconds for 10k items, against tens of milliseconds this way). Only
// the page's items are then loaded, and only they get snippets.
Result<SearchResults> search_items(Db db, const model::SearchQuery& query,
                                   const ItemQuery& filter) {
  constexpr std::string_view kContext = "store/sqlite: search";
  SearchResults results;
  // An FTS5 query of only NOT terms is a syntax error; the interface says
  // such a query simply finds nothing.
  if (query.matches_nothing()) return results;
  const std::string match = fts5_match_of(query);

  Selection wanted;
  add_filter(wanted, filter);
  Selection selection;
  selection.sql =
      " FROM items_fts WHERE items_fts MATCH ? AND +items_fts.rowid IN"
      " (SELECT i.id FROM items i" +
      wanted.sql + ")";
  selection.params.emplace_back(match);
  selection.params.insert(selection.params.end(), wanted.params.begin(), wanted.params.end());

  // FTS5 reports a MATCH it cannot parse as a plain SQLITE_ERROR. Quoting
  // every word should make that impossible; if it happens anyway, it is the
  // query that is at fault, not the database.
  const auto failed = [db, kContext](const Error& error) -> Error {
    if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_ERROR) {
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

  // The page: ids in rank order (newer first among equals), with snippets.
  std::vector<std::int64_t> ids;
  std::vector<std::string> snippets;
  {
    Result<Statement> stmt =
        Statement::prepare(db, "SELECT items_fts.rowid, " + snippet_of(kBodyColumn) + ", " +
                                   snippet_of(kTeaserColumn) + selection.sql + " ORDER BY " +
                                   std::string(kRank) + ", items_fts.rowid DESC LIMIT ? OFFSET ?");
    if (!stmt) return wrap_error(stmt.error(), kContext);
    stmt->bind_all(1, selection.params);
    const int next = static_cast<int>(selection.params.size()) + 1;
    stmt->bind(next, std::int64_t{filter.limit > 0 ? filter.limit : -1})
        .bind(next + 1, std::int64_t{std::max(filter.offset, 0)});
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return failed(row.error());
      if (!*row) break;
      ids.push_back(stmt->column_int64(0));
      snippets.push_back(best_snippet(stmt->column_text(1), stmt->column_text(2)));
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
  // Back into rank order; an item deleted in between is simply left out.
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

}  // namespace newsdesk::store::sqlite
