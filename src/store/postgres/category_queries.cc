

#include <string>

#include "store/postgres/queries.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {

Result<std::vector<model::Category>> select_categories(Connection& db) {
  constexpr std::string_view kContext = "store/postgres: list categories";
  // lower() so "agenda" sorts beside "Agenda" in menus, as SQLite's NOCASE
  // does; id keeps ties stable.
  Result<Statement> stmt = Statement::prepare(
      db, "SELECT id, slug, name FROM categories ORDER BY lower(name), name, id");
  if (!stmt) return wrap_error(stmt.error(), kContext);
  std::vector<model::Category> categories;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), kContext);
    if (!*row) break;
    categories.push_back(model::Category{
        .id = stmt->column_int64(0),
        .slug = stmt->column_text(1),
        .name = stmt->column_text(2),
    });
  }
  return categories;
}

Result<std::int64_t> upsert_category(Connection& db, const model::Category& category,
                                     std::string_view context) {
  // Look up first: nearly every item names existing categories, and a plain
  // SELECT does not write.
  Result<Statement> find = Statement::prepare(db, "SELECT id FROM categories WHERE slug = ?");
  if (!find) return wrap_error(find.error(), context);
  find->bind(1, std::string_view(category.slug));
  Result<bool> found = find->step();
  if (!found) return wrap_error(found.error(), context);
  if (*found) return find->column_int64(0);

  // Another writer may be creating the same category right now: DO NOTHING
  // waits for it and then returns no row, and the SELECT, a new statement,
  // sees its commit. SQLite has one writer at a time and needs none of this.
  Result<Statement> insert = Statement::prepare(
      db,
      "INSERT INTO categories (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING"
      " RETURNING id");
  if (!insert) return wrap_error(insert.error(), context);
  insert->bind(1, std::string_view(category.slug)).bind(2, std::string_view(category.name));
  Result<bool> inserted = insert->step();
  if (!inserted) {
    return wrap_error(inserted.error(),
                      std::string(context) + ": category '" + category.slug + "'");
  }
  if (*inserted) return insert->column_int64(0);
  find->reset();
  found = find->step();
  if (!found) return wrap_error(found.error(), context);
  if (!*found) return make_error(ErrorCode::kInternal, std::string(context) + ": no category id");
  return find->column_int64(0);
}

}  // namespace newsdesk::store::postgres
