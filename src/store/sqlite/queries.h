// The SQL of the SQLite store, one file per entity (item_queries.cc,
// category_queries.cc), each query beside the code that reads its rows.
// Internal to store/sqlite/: SqliteStore adds locking and transactions
// around these; the functions themselves assume both are taken care of.
//
// Errors carry the full message ("store/sqlite: insert item: slug 'x' is
// taken") so SqliteStore passes them on unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/category.h"
#include "model/datetime.h"
#include "model/item.h"
#include "store/store.h"

struct sqlite3;

namespace newsdesk::store::sqlite {

// Items (item_queries.cc).
// REQUIRES for the writers: a write transaction or savepoint is open on db.
Result<std::int64_t> insert_item_rows(sqlite3* db, const model::Item& item);
Result<void> update_item_rows(sqlite3* db, const model::Item& item);

// REQUIRES for the readers that run several statements: a read transaction
// is open on db, so that items, categories and attachments agree.
Result<model::Item> select_item_by_id(sqlite3* db, std::int64_t id);
Result<model::Item> select_item_by_slug(sqlite3* db, std::string_view slug);
Result<model::Item> select_item_by_source_id(sqlite3* db, std::string_view source_id);
Result<std::vector<model::Item>> select_items(sqlite3* db, const ItemQuery& query);
Result<std::int64_t> count_items_rows(sqlite3* db, const ItemQuery& query);
Result<std::optional<model::DateTime>> select_last_change(sqlite3* db, const ItemQuery& query);

// Categories (category_queries.cc).
Result<std::vector<model::Category>> select_categories(sqlite3* db);
// The id of the category with category.slug, created with category.name when
// missing; an existing category keeps its name. Errors name `context`.
Result<std::int64_t> upsert_category(sqlite3* db, const model::Category& category,
                                     std::string_view context);

}  // namespace newsdesk::store::sqlite
