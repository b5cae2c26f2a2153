// Items in the PostgreSQL store: the shared queries of
// store/item_queries.inc with PostgreSQL's answers to where the two
// databases differ.

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/postgres/queries.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {
namespace {

using Db = Connection&;

// LIMIT NULL is no limit.
Param no_limit() { return Param(); }

// PostgreSQL names the constraint: "... unique constraint "items_slug_key"".
bool violates_unique(const Error& error, std::string_view column) {
  return error.message.find("items_" + std::string(column) + "_key") != std::string::npos;
}

}  // namespace

#define NEWSDESK_STORE "store/postgres"
#include "store/item_queries.inc"
#undef NEWSDESK_STORE

}  // namespace newsdesk::store::postgres
