#include "store/copy.h"

#include <array>

namespace newsdesk::store {
namespace {

using Type = CopyColumn::Type;
constexpr Type kInt = Type::kInteger;
constexpr Type kText = Type::kText;

// Schema version 7 (store/sqlite/migrations.cc, store/postgres/migrations.cc).
// The search index is not copied: the target builds its own.
const std::vector<CopyTable>& tables() {
  static const std::vector<CopyTable> kTables = {
      {"users",
       {{"id", kInt},
        {"name", kText},
        {"role", kText},
        {"password_hash", kText},
        {"created_at", kInt}}},
      {"items",
       {{"id", kInt},
        {"guid", kText},
        {"slug", kText},
        {"title", kText},
        {"teaser", kText},
        {"body_html", kText},
        {"language", kText},
        {"status", kText},
        {"published_at", kInt},
        {"published_offset", kInt},
        {"updated_at", kInt},
        {"updated_offset", kInt},
        {"source_link", kText},
        {"source_id", kText},
        {"authors", kText},
        {"lead_image_url", kText},
        {"lead_image_alt", kText},
        {"author_id", kInt},
        {"review_requested", kInt},
        {"embargoed", kInt},
        {"preview_token", kText},
        {"expires_at", kInt},
        {"contact_name", kText},
        {"contact_email", kText},
        {"contact_phone", kText},
        {"body_markdown", kText},
        {"archive_on_expiry", kInt},
        {"translation_of", kInt}}},
      {"categories", {{"id", kInt}, {"slug", kText}, {"name", kText}}},
      {"item_categories", {{"item_id", kInt}, {"category_id", kInt}, {"position", kInt}}},
      {"attachments",
       {{"id", kInt},
        {"item_id", kInt},
        {"position", kInt},
        {"url", kText},
        {"name", kText},
        {"media_type", kText},
        {"length", kInt}}},
      {"attachment_files",
       {{"attachment_id", kInt},
        {"media_type", kText},
        {"length", kInt},
        {"digest", kText},
        {"stored_at", kInt},
        {"bytes", Type::kBytes}}},
      {"related_links", {{"item_id", kInt}, {"position", kInt}, {"title", kText}, {"url", kText}}},
      {"redirects", {{"path", kText}, {"item_id", kInt}}},
      {"gone_slugs", {{"slug", kText}, {"deleted_at", kInt}}},
      {"sources", {{"url", kText}, {"etag", kText}, {"last_modified", kText}}},
      {"api_tokens",
       {{"id", kInt},
        {"user_id", kInt},
        {"label", kText},
        {"digest", kText},
        {"created_at", kInt},
        {"last_used_at", kInt}}},
      {"sessions",
       {{"digest", kText},
        {"user_id", kInt},
        {"csrf_token", kText},
        {"created_at", kInt},
        {"expires_at", kInt}}},
      {"login_failures", {{"key", kText}, {"at", kInt}}},
      {"revisions",
       {{"id", kInt},
        {"item_id", kInt},
        {"user_id", kInt},
        {"saved_at", kInt},
        {"snapshot", kText}}},
      {"press_feeds", {{"id", kInt}, {"label", kText}, {"digest", kText}, {"created_at", kInt}}},
      {"settings", {{"key", kText}, {"value", kText}}},
  };
  return kTables;
}

// The schema version the table list above describes.
constexpr int kCopySchemaVersion = 7;

}  // namespace

std::span<const CopyTable> copy_tables() { return tables(); }

Result<CopyReport> copy_store(Store& from, Store& to) {
  auto* source = dynamic_cast<TableAccess*>(&from);
  auto* target = dynamic_cast<TableAccess*>(&to);
  if (source == nullptr || target == nullptr) {
    return make_error(ErrorCode::kInvalid, "copy: this store cannot be copied table by table");
  }
  Result<int> version = from.schema_version();
  if (!version) return wrap_error(version.error(), "copy: source");
  if (*version != kCopySchemaVersion) {
    return make_error(ErrorCode::kInvalid,
                      "copy: the source is at schema version " + std::to_string(*version) +
                          ", this newsdesk copies version " + std::to_string(kCopySchemaVersion) +
                          ": run `newsdesk init` on it first");
  }
  if (auto r = to.migrate(); !r) return wrap_error(r.error(), "copy: target");
  Result<int> target_version = to.schema_version();
  if (!target_version) return wrap_error(target_version.error(), "copy: target");
  if (*target_version != kCopySchemaVersion) {
    return make_error(ErrorCode::kInvalid,
                      "copy: the target is at schema version " + std::to_string(*target_version));
  }
  // Never merge into a site: ids would collide, and half of two sites is
  // neither.
  {
    ItemQuery all;
    all.limit = 1;
    Result<std::int64_t> items = to.count_items(all);
    if (!items) return wrap_error(items.error(), "copy: target");
    Result<std::vector<model::User>> users = to.users();
    if (!users) return wrap_error(users.error(), "copy: target");
    Result<std::vector<model::Category>> categories = to.categories();
    if (!categories) return wrap_error(categories.error(), "copy: target");
    if (*items > 0 || !users->empty() || !categories->empty()) {
      return make_error(ErrorCode::kInvalid,
                        "copy: the target already holds a site (items, users or categories); "
                        "copy into an empty database");
    }
  }

  CopyReport report;
  Result<void> copied = to.transaction([&](Store&) -> Result<void> {
    return source->read_snapshot([&]() -> Result<void> {
      for (const CopyTable& table : tables()) {
        std::int64_t rows = 0;
        Result<void> r = source->read_rows(table, [&](std::vector<CopyValue>& row) {
          ++rows;
          return target->write_row(table, row);
        });
        if (!r) return wrap_error(r.error(), "copy: table " + std::string(table.name));
        report.tables.emplace_back(std::string(table.name), rows);
      }
      return target->finish_copy();
    });
  });
  if (!copied) return copied.error();
  return report;
}

}  // namespace newsdesk::store
