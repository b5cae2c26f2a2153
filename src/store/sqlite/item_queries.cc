// Items in the SQLite store: the shared queries of store/item_queries.inc
// with SQLite's answers to where the two databases differ.

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite/queries.h"
#include "store/sqlite/statement.h"

namespace newsdesk::store::sqlite {
namespace {

// LIMIT takes no NULL in SQLite; a negative limit is none.
Param no_limit() { return Param(std::int64_t{-1}); }

// SQLite says "UNIQUE constraint failed: items.slug".
bool violates_unique(const Error& error, std::string_view column) {
  return error.message.find("items." + std::string(column)) != std::string::npos;
}

}  // namespace

#define NEWSDESK_STORE "store/sqlite"
#include "store/item_queries.inc"
#undef NEWSDESK_STORE

}  // namespace newsdesk::store::sqlite
