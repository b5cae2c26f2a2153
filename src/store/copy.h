// `newsdesk copy`: a whole site from one store to another, SQLite to
// PostgreSQL or back, table by table with every id kept, so that nothing
// changes for readers (attachment URLs hold ids) or editors (sessions, API
// tokens and revisions stay valid).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace newsdesk::store {

// One value of a copied row: NULL, an integer, or text / bytes.
using CopyValue = std::variant<std::monostate, std::int64_t, std::string>;

struct CopyColumn {
  enum class Type { kInteger, kText, kBytes };
  std::string_view name;
  Type type;
};

struct CopyTable {
  std::string_view name;
  std::vector<CopyColumn> columns;
};

// Row-level access to a store's tables, for copy_store() only. Implemented
// by the SQLite and PostgreSQL stores beside Store.
class TableAccess {
 public:
  virtual ~TableAccess() = default;
  // Runs fn in one read-only snapshot of the whole database: what it reads
  // is one consistent state while others go on writing.
  virtual Result<void> read_snapshot(const std::function<Result<void>()>& fn) = 0;
  // Every row of the table, its columns in the order given.
  // REQUIRES: inside read_snapshot().
  virtual Result<void> read_rows(
      const CopyTable& table, const std::function<Result<void>(std::vector<CopyValue>&)>& fn) = 0;
  // Inserts one row. REQUIRES: inside Store::transaction().
  virtual Result<void> write_row(const CopyTable& table, const std::vector<CopyValue>& row) = 0;
  // After the rows, inside the same transaction: rebuilds the search index
  // and moves id generators past the copied ids.
  virtual Result<void> finish_copy() = 0;
};

// How many rows of each table were copied, in copy order.
struct CopyReport {
  std::vector<std::pair<std::string, std::int64_t>> tables;
};

// The tables of the newest schema in an order that satisfies their
// foreign keys.
std::span<const CopyTable> copy_tables();

// Copies everything from `from` into `to`, migrating `to` first, in one
// transaction on `to` (all or nothing) from one snapshot of `from`.
// Errors: kInvalid when `from` is not at the newest schema version (run
// `newsdesk init` on it first), when `to` already holds items, users or
// categories, or when a store cannot copy; else as the failing store call.
Result<CopyReport> copy_store(Store& from, Store& to);

}  // namespace newsdesk::store
