// A reader's search, parsed: what the search box asked for, independent of
// any database's query syntax. text/search_query.h builds it from user input
// (whatever was typed); each store backend translates it to its own full-text
// syntax (FTS5 MATCH, PostgreSQL tsquery), so user input never reaches a
// query language unescaped.
#pragma once

#include <string>
#include <vector>

namespace newsdesk::model {

// One term: a word, or a phrase of several words in this order.
struct SearchTerm {
  std::vector<std::string> words;  // non-empty; each non-empty, no spaces or quotes
  bool prefix = false;             // the last word matches as a prefix ("migra*")
  bool excluded = false;           // items containing it are left out ("-word")

  friend bool operator==(const SearchTerm&, const SearchTerm&) = default;
};

// Items match when they contain every included term (AND) and none of the
// excluded ones. A query with no included term matches nothing.
struct SearchQuery {
  std::vector<SearchTerm> terms;

  bool matches_nothing() const {
    for (const SearchTerm& t : terms) {
      if (!t.excluded) return false;
    }
    return true;
  }

  friend bool operator==(const SearchQuery&, const SearchQuery&) = default;
};

}  // namespace newsdesk::model
