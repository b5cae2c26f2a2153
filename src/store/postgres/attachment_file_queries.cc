// The attachment_files table (schema version 4): the bytes of attachments,
// in a bytea column, sent and read without escaping through
// Statement::bind_bytes and column_bytes.

#include <chrono>

#include "store/postgres/postgres_store.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::vector<AttachmentRef>> PostgresStore::attachment_refs() {
  return single("attachment refs", [&](Connection& db) -> Result<std::vector<AttachmentRef>> {
    constexpr std::string_view kContext = "store/postgres: attachment refs";
    auto stmt = Statement::prepare(
        db,
        "SELECT a.id, a.item_id, a.url, a.name, f.attachment_id IS NOT NULL FROM attachments a"
        " LEFT JOIN attachment_files f ON f.attachment_id = a.id ORDER BY a.id");
    if (!stmt) return wrap_error(stmt.error(), kContext);
    std::vector<AttachmentRef> refs;
    while (true) {
      auto row = stmt->step();
      if (!row) return wrap_error(row.error(), kContext);
      if (!*row) break;
      AttachmentRef ref;
      ref.id = stmt->column_int64(0);
      ref.item_id = stmt->column_int64(1);
      ref.url = stmt->column_text(2);
      ref.name = stmt->column_text(3);
      ref.has_file = stmt->column_int64(4) != 0;
      refs.push_back(std::move(ref));
    }
    return refs;
  });
}

Result<void> PostgresStore::save_attachment_file(std::int64_t attachment_id,
                                                 std::string_view media_type,
                                                 std::string_view bytes) {
  constexpr std::string_view kContext = "store/postgres: save attachment file";
  if (media_type.empty()) {
    return make_error(ErrorCode::kInvalid, std::string(kContext) + ": no media type");
  }
  return write_scope("save attachment file", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db,
                                   "INSERT INTO attachment_files"
                                   " (attachment_id, media_type, length, digest, stored_at, bytes)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt) return wrap_error(stmt.error(), kContext);
    stmt->bind(1, attachment_id)
        .bind(2, media_type)
        .bind(3, static_cast<std::int64_t>(bytes.size()))
        .bind(4, std::string_view(attachment_digest(bytes)))
        .bind(5, now_seconds())
        .bind_bytes(6, bytes);
    if (auto r = stmt->run(); !r) {
      if (r.error().code == ErrorCode::kConflict) {
        return make_error(ErrorCode::kConflict, std::string(kContext) + ": attachment " +
                                                    std::to_string(attachment_id) +
                                                    " already has its bytes");
      }
      if (r.error().code == ErrorCode::kNotFound) {  // the foreign key
        return make_error(ErrorCode::kNotFound, std::string(kContext) + ": no attachment " +
                                                    std::to_string(attachment_id));
      }
      return wrap_error(r.error(), kContext);
    }
    return {};
  });
}

Result<AttachmentFile> PostgresStore::attachment_file(std::int64_t attachment_id) {
  return single("attachment file", [&](Connection& db) -> Result<AttachmentFile> {
    constexpr std::string_view kContext = "store/postgres: attachment file";
    auto stmt = Statement::prepare(db,
                                   "SELECT a.id, a.item_id, a.name, f.media_type, f.digest,"
                                   " f.stored_at, f.bytes FROM attachment_files f"
                                   " JOIN attachments a ON a.id = f.attachment_id"
                                   " WHERE f.attachment_id = ?1");
    if (!stmt) return wrap_error(stmt.error(), kContext);
    stmt->bind(1, attachment_id);
    auto row = stmt->step();
    if (!row) return wrap_error(row.error(), kContext);
    if (!*row) {
      return make_error(ErrorCode::kNotFound, std::string(kContext) + ": no stored bytes for " +
                                                  std::to_string(attachment_id));
    }
    AttachmentFile file;
    file.attachment_id = stmt->column_int64(0);
    file.item_id = stmt->column_int64(1);
    file.name = stmt->column_text(2);
    file.media_type = stmt->column_text(3);
    file.digest = stmt->column_text(4);
    file.stored_at = stmt->column_int64(5);
    file.bytes = stmt->column_bytes(6);
    return file;
  });
}

}  // namespace newsdesk::store::postgres
