// SqliteStore's side of `newsdesk copy` (store/copy.h): whole tables read
// and written through the C API, since rows carry blobs.

#include <sqlite3.h>

#include <string>

#include "store/sqlite/queries.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace newsdesk::store::sqlite {
namespace {

struct Finalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using RawStatement = std::unique_ptr<sqlite3_stmt, Finalizer>;

Result<RawStatement> prepare_raw(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_error(db, rc);
  }
  return RawStatement(stmt);
}

std::string column_list(const CopyTable& table) {
  std::string list;
  for (const CopyColumn& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += column.name;
  }
  return list;
}

}  // namespace

Result<void> SqliteStore::read_snapshot(const std::function<Result<void>()>& fn) {
  return read_scope("copy: read", fn);
}

Result<void> SqliteStore::read_rows(
    const CopyTable& table, const std::function<Result<void>(std::vector<CopyValue>&)>& fn) {
  std::lock_guard lock(mu_);
  sqlite3* db = db_.get();
  Result<RawStatement> stmt =
      prepare_raw(db, "SELECT " + column_list(table) + " FROM " + std::string(table.name));
  if (!stmt) return stmt.error();
  std::vector<CopyValue> row(table.columns.size());
  for (;;) {
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) return {};
    if (rc != SQLITE_ROW) return sqlite_error(db, rc);
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const int col = static_cast<int>(i);
      sqlite3_stmt* s = stmt->get();
      if (sqlite3_column_type(s, col) == SQLITE_NULL) {
        row[i] = std::monostate();
      } else if (table.columns[i].type == CopyColumn::Type::kInteger) {
        row[i] = static_cast<std::int64_t>(sqlite3_column_int64(s, col));
      } else {
        const void* data = table.columns[i].type == CopyColumn::Type::kBytes
                               ? sqlite3_column_blob(s, col)
                               : static_cast<const void*>(sqlite3_column_text(s, col));
        const int size = sqlite3_column_bytes(s, col);
        row[i] = data == nullptr
                     ? std::string()
                     : std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
      }
    }
    if (auto r = fn(row); !r) return r;
  }
}

Result<void> SqliteStore::write_row(const CopyTable& table, const std::vector<CopyValue>& row) {
  std::lock_guard lock(mu_);
  if (!in_transaction_) {
    return make_error(ErrorCode::kInvalid, "store/sqlite: copy: write outside transaction()");
  }
  sqlite3* db = db_.get();
  std::string sql =
      "INSERT INTO " + std::string(table.name) + " (" + column_list(table) + ") VALUES (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) sql += i == 0 ? "?" : ", ?";
  sql += ")";
  Result<RawStatement> stmt = prepare_raw(db, sql);
  if (!stmt) return stmt.error();
  sqlite3_stmt* s = stmt->get();
  for (std::size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* number = std::get_if<std::int64_t>(&row[i])) {
      sqlite3_bind_int64(s, index, *number);
    } else if (const auto* text = std::get_if<std::string>(&row[i])) {
      if (table.columns[i].type == CopyColumn::Type::kBytes) {
        // A zero-length blob, not NULL, for empty bytes.
        sqlite3_bind_blob64(s, index, text->empty() ? "" : text->data(), text->size(),
                            SQLITE_STATIC);
      } else {
        sqlite3_bind_text64(s, index, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
      }
    } else {
      sqlite3_bind_null(s, index);
    }
  }
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return sqlite_error(db, rc);
  return {};
}

Result<void> SqliteStore::finish_copy() {
  std::lock_guard lock(mu_);
  // Rowids continue after the largest copied id by themselves.
  return index_all_items(db_.get());
}

}  // namespace newsdesk::store::sqlite
