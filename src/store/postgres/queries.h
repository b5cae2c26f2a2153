// The SQL of the PostgreSQL store, one file per entity, as in the SQLite
// store (store/sqlite/queries.h), whose queries these follow; where the SQL
// differs, the file says why. Internal to store/postgres/: PostgresStore
// leases connections and opens transactions around these; the functions
// themselves assume both are taken care of.
//
// Errors carry the full message ("store/postgres: insert item: slug 'x' is
// taken") so PostgresStore passes them on unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/category.h"
#include "model/datetime.h"
#include "model/item.h"
#include "model/search.h"
#include "store/postgres/statement.h"
#include "store/store.h"

namespace newsdesk::store::postgres {

// A piece of SQL to append after "FROM items i" (JOIN, WHERE, ORDER BY,
// LIMIT) with the values of its '?' parameters, in order. `has_where`: sql
// already holds a WHERE clause, so more conditions go after AND.
struct Selection {
  std::string sql;
  std::vector<Param> params;
  bool has_where = false;
};

// Adds the query's filter (status, category, published_before,
// published_from/until) to selection as WHERE conditions.
void add_filter(Selection& selection, const ItemQuery& query);
// The filter plus the listing order and the page.
Selection page_of(const ItemQuery& query);

// Loads the selected items with their categories, attachments and related
// links, a fixed number of queries whatever the number of items.
// `extra_columns` (", expr, expr") are selected after the item's own; for
// each item row, on_extra gets the statement and the index of the first
// extra column. REQUIRES: a read transaction is open on db.
Result<std::vector<model::Item>> load_items(
    Connection& db, const Selection& selection, std::string_view context,
    std::string_view extra_columns = "",
    const std::function<void(const Statement&, int)>& on_extra = nullptr);

// Items (item_queries.cc).
// REQUIRES for the writers: a write transaction or savepoint is open on db.
Result<std::int64_t> insert_item_rows(Connection& db, const model::Item& item);
Result<void> update_item_rows(Connection& db, const model::Item& item);
// Deletes the item (its links, attachments and redirects cascade, its search
// row goes by trigger) and records its slug in gone_slugs. Errors: kNotFound.
Result<void> delete_item_rows(Connection& db, std::int64_t id);
Result<bool> select_slug_gone(Connection& db, std::string_view slug);
Result<Neighbours> select_neighbours(Connection& db, std::int64_t id, const ItemQuery& query);
Result<std::vector<std::int64_t>> select_published_times(Connection& db, const ItemQuery& query);

// REQUIRES for the readers that run several statements: a read transaction
// is open on db, so that items, categories and attachments agree.
Result<model::Item> select_item_by_id(Connection& db, std::int64_t id);
Result<model::Item> select_item_by_slug(Connection& db, std::string_view slug);
Result<model::Item> select_item_by_source_id(Connection& db, std::string_view source_id);
Result<std::vector<model::Item>> select_items(Connection& db, const ItemQuery& query);
Result<std::vector<ItemStamp>> select_stamps(Connection& db, const ItemQuery& query);
Result<std::int64_t> count_items_rows(Connection& db, const ItemQuery& query);
Result<std::map<std::int64_t, std::int64_t>> count_by_category_rows(Connection& db,
                                                                    const ItemQuery& query);
Result<std::optional<model::DateTime>> select_last_change(Connection& db, const ItemQuery& query);

// Search (search_queries.cc).
// The tsquery text for a query: every word quoted, so no input can be read
// as tsquery syntax. REQUIRES: !query.matches_nothing().
std::string tsquery_of(const model::SearchQuery& query);
// Writes (replaces) the search row of the item with this id.
// REQUIRES: a write transaction or savepoint is open on db.
Result<void> index_item(Connection& db, std::int64_t id, const model::Item& item);
// Indexes every stored item, each with its language's configuration: the
// backfill of migration 7, and of copies.
Result<void> index_all_items(Connection& db);
// REQUIRES: a read transaction is open on db.
Result<SearchResults> search_items(Connection& db, const model::SearchQuery& query,
                                   const ItemQuery& filter);

// Categories (store/item_queries.inc).
Result<std::vector<model::Category>> select_categories(Connection& db);
// The id of the category with category.slug, created with category.name when
// missing; an existing category keeps its name. Errors name `context`.
Result<std::int64_t> upsert_category(Connection& db, const model::Category& category,
                                     std::string_view context);

}  // namespace newsdesk::store::postgres
