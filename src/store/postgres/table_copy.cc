// PostgresStore's side of `newsdesk copy` (store/copy.h).

#include <string>

#include "store/postgres/postgres_store.h"
#include "store/postgres/queries.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {
namespace {

std::string column_list(const CopyTable& table) {
  std::string list;
  for (const CopyColumn& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += column.name;
  }
  return list;
}

}  // namespace

Result<void> PostgresStore::read_snapshot(const std::function<Result<void>()>& fn) {
  return read_scope("copy: read", [&](Connection&) { return fn(); });
}

Result<void> PostgresStore::read_rows(
    const CopyTable& table, const std::function<Result<void>(std::vector<CopyValue>&)>& fn) {
  return on_connection("copy: read rows", [&](Connection& db) -> Result<void> {
    Result<Statement> stmt =
        Statement::prepare(db, "SELECT " + column_list(table) + " FROM " + std::string(table.name));
    if (!stmt) return stmt.error();
    std::vector<CopyValue> row(table.columns.size());
    for (;;) {
      Result<bool> more = stmt->step();
      if (!more) return more.error();
      if (!*more) return {};
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const int col = static_cast<int>(i);
        if (stmt->column_is_null(col)) {
          row[i] = std::monostate();
        } else if (table.columns[i].type == CopyColumn::Type::kInteger) {
          row[i] = stmt->column_int64(col);
        } else if (table.columns[i].type == CopyColumn::Type::kBytes) {
          row[i] = stmt->column_bytes(col);
        } else {
          row[i] = stmt->column_text(col);
        }
      }
      if (auto r = fn(row); !r) return r;
    }
  });
}

Result<void> PostgresStore::write_row(const CopyTable& table, const std::vector<CopyValue>& row) {
  Connection* db = bound();
  if (db == nullptr) {
    return make_error(ErrorCode::kInvalid, "store/postgres: copy: write outside transaction()");
  }
  std::string sql =
      "INSERT INTO " + std::string(table.name) + " (" + column_list(table) + ") VALUES (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) sql += i == 0 ? "?" : ", ?";
  sql += ")";
  Result<Statement> stmt = Statement::prepare(*db, sql);
  if (!stmt) return stmt.error();
  for (std::size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* text = std::get_if<std::string>(&row[i]);
        text != nullptr && table.columns[i].type == CopyColumn::Type::kBytes) {
      stmt->bind_bytes(index, *text);
    } else {
      stmt->bind_param(index, row[i]);
    }
  }
  return stmt->run();
}

Result<void> PostgresStore::finish_copy() {
  Connection* db = bound();
  if (db == nullptr) {
    return make_error(ErrorCode::kInvalid, "store/postgres: copy: finish outside transaction()");
  }
  // Identity columns do not move when ids are given: new rows would take
  // copied ids.
  for (const char* table :
       {"users", "items", "categories", "attachments", "api_tokens", "revisions", "press_feeds"}) {
    const std::string name(table);
    if (auto r = exec(*db, "SELECT setval(pg_get_serial_sequence('" + name +
                               "', 'id'), COALESCE(max(id), 0) + 1, false) FROM " + name);
        !r) {
      return r;
    }
  }
  return index_all_items(*db);
}

}  // namespace newsdesk::store::postgres
