// The attachment_files table (schema version 4): the bytes of attachments.
// Blobs are bound and read with the C API directly, since Statement only
// knows integers and text.

#include <sqlite3.h>

#include <chrono>
#include <memory>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace newsdesk::store::sqlite {
namespace {

struct Finalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using RawStatement = std::unique_ptr<sqlite3_stmt, Finalizer>;

Result<RawStatement> prepare_raw(sqlite3* db, const char* sql, std::string_view context) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return wrap_error(sqlite_error(db, rc), context);
  }
  return RawStatement(stmt);
}

std::string column_string(sqlite3_stmt* stmt, int col) {
  const void* data = sqlite3_column_blob(stmt, col);
  const int size = sqlite3_column_bytes(stmt, col);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::vector<AttachmentRef>> SqliteStore::attachment_refs() {
  std::lock_guard lock(mu_);
  std::vector<AttachmentRef> refs;
  auto result = read_scope("attachment refs", [&]() -> Result<void> {
    auto stmt = Statement::prepare(
        conn(),
        "SELECT a.id, a.item_id, a.url, a.name, f.attachment_id IS NOT NULL FROM attachments a"
        " LEFT JOIN attachment_files f ON f.attachment_id = a.id ORDER BY a.id");
    if (!stmt) return wrap_error(stmt.error(), "store/sqlite: attachment refs");
    while (true) {
      auto row = stmt->step();
      if (!row) return wrap_error(row.error(), "store/sqlite: attachment refs");
      if (!*row) break;
      AttachmentRef ref;
      ref.id = stmt->column_int64(0);
      ref.item_id = stmt->column_int64(1);
      ref.url = stmt->column_text(2);
      ref.name = stmt->column_text(3);
      ref.has_file = stmt->column_int64(4) != 0;
      refs.push_back(std::move(ref));
    }
    return {};
  });
  if (!result) return result.error();
  return refs;
}

Result<void> SqliteStore::save_attachment_file(std::int64_t attachment_id,
                                               std::string_view media_type,
                                               std::string_view bytes) {
  if (media_type.empty()) {
    return make_error(ErrorCode::kInvalid, "store/sqlite: save attachment file: no media type");
  }
  std::lock_guard lock(mu_);
  return write_scope("save attachment file", [&]() -> Result<void> {
    constexpr std::string_view kContext = "store/sqlite: save attachment file";
    sqlite3* db = db_.get();
    {
      auto exists = Statement::prepare(db, "SELECT 1 FROM attachments WHERE id = ?1");
      if (!exists) return wrap_error(exists.error(), kContext);
      exists->bind(1, attachment_id);
      auto row = exists->step();
      if (!row) return wrap_error(row.error(), kContext);
      if (!*row) {
        return make_error(ErrorCode::kNotFound, std::string(kContext) + ": no attachment " +
                                                    std::to_string(attachment_id));
      }
    }
    auto stmt = prepare_raw(db,
                            "INSERT INTO attachment_files"
                            " (attachment_id, media_type, length, digest, stored_at, bytes)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            kContext);
    if (!stmt) return stmt.error();
    sqlite3_stmt* s = stmt->get();
    const std::string digest = attachment_digest(bytes);
    sqlite3_bind_int64(s, 1, attachment_id);
    sqlite3_bind_text(s, 2, media_type.data(), static_cast<int>(media_type.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, static_cast<sqlite3_int64>(bytes.size()));
    sqlite3_bind_text(s, 4, digest.data(), static_cast<int>(digest.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, now_seconds());
    // A zero-length blob, not NULL, for an empty file (the column is NOT NULL).
    const int bind = sqlite3_bind_blob64(s, 6, bytes.empty() ? "" : bytes.data(),
                                         static_cast<sqlite3_uint64>(bytes.size()), SQLITE_STATIC);
    if (bind != SQLITE_OK) return wrap_error(sqlite_error(db, bind), kContext);
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return {};
    Error error = wrap_error(sqlite_error(db, rc), kContext);
    if (error.code == ErrorCode::kConflict) {
      error.message = std::string(kContext) + ": attachment " + std::to_string(attachment_id) +
                      " already has its bytes";
    }
    return error;
  });
}

Result<AttachmentFile> SqliteStore::attachment_file(std::int64_t attachment_id) {
  std::lock_guard lock(mu_);
  constexpr std::string_view kContext = "store/sqlite: attachment file";
  AttachmentFile file;
  bool found = false;
  auto result = read_scope("attachment file", [&]() -> Result<void> {
    auto stmt = prepare_raw(db_.get(),
                            "SELECT a.id, a.item_id, a.name, f.media_type, f.digest, f.stored_at,"
                            " f.bytes FROM attachment_files f"
                            " JOIN attachments a ON a.id = f.attachment_id"
                            " WHERE f.attachment_id = ?1",
                            kContext);
    if (!stmt) return stmt.error();
    sqlite3_stmt* s = stmt->get();
    sqlite3_bind_int64(s, 1, attachment_id);
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return {};
    if (rc != SQLITE_ROW) return wrap_error(sqlite_error(db_.get(), rc), kContext);
    found = true;
    file.attachment_id = sqlite3_column_int64(s, 0);
    file.item_id = sqlite3_column_int64(s, 1);
    file.name = column_string(s, 2);
    file.media_type = column_string(s, 3);
    file.digest = column_string(s, 4);
    file.stored_at = sqlite3_column_int64(s, 5);
    file.bytes = column_string(s, 6);
    return {};
  });
  if (!result) return result.error();
  if (!found) {
    return make_error(ErrorCode::kNotFound, std::string(kContext) + ": no stored bytes for " +
                                                std::to_string(attachment_id));
  }
  return file;
}

}  // namespace newsdesk::store::sqlite
