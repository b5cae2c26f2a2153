

#include <algorithm>
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

constexpr std::string_view kItemColumns =
    "SELECT i.id, i.guid, i.slug, i.title, i.teaser, i.body_html, i.language, i.status,"
    " i.published_at, i.published_offset, i.updated_at, i.updated_offset, i.source_link,"
    " i.source_id, i.authors, i.lead_image_url, i.lead_image_alt, i.author_id,"
    " i.review_requested, i.embargoed, i.preview_token, i.expires_at, i.contact_name,"
    " i.contact_email, i.contact_phone, i.body_markdown, i.archive_on_expiry";
constexpr int kItemColumnCount = 27;

Result<model::Item> read_item(const Statement& row) {
  model::Item item;
  item.id = row.column_int64(0);
  item.guid = row.column_text(1);
  item.slug = row.column_text(2);
  item.title = row.column_text(3);
  item.teaser = row.column_text(4);
  item.body_html = row.column_text(5);
  item.language = row.column_text(6);
  const std::string status = row.column_text(7);
  std::optional<model::Status> parsed = model::parse_status(status);
  if (!parsed) {
    return make_error(ErrorCode::kInternal,
                      "item " + std::to_string(item.id) + " has unknown status '" + status + "'");
  }
  item.status = *parsed;
  if (!row.column_is_null(8)) {
    item.published_at = model::DateTime{
        .epoch_seconds = row.column_int64(8),
        .offset_minutes = static_cast<int>(row.column_int64(9)),
    };
  }
  item.updated_at = model::DateTime{
      .epoch_seconds = row.column_int64(10),
      .offset_minutes = static_cast<int>(row.column_int64(11)),
  };
  item.source_link = row.column_text(12);
  item.source_id = row.column_text(13);  // NULL reads as ""
  const std::string authors = row.column_text(14);
  for (std::size_t start = 0; start < authors.size();) {
    const std::size_t end = std::min(authors.find('\n', start), authors.size());
    if (end > start) item.authors.push_back(authors.substr(start, end - start));
    start = end + 1;
  }
  std::string lead_image_url = row.column_text(15);
  if (!lead_image_url.empty()) {
    item.lead_image = model::LeadImage{std::move(lead_image_url), row.column_text(16)};
  }
  item.author_id = row.column_optional_int64(17).value_or(0);
  item.review_requested = row.column_int64(18) != 0;
  item.embargoed = row.column_int64(19) != 0;
  item.preview_token = row.column_text(20);
  item.expires_at = row.column_optional_int64(21);
  item.contact.name = row.column_text(22);
  item.contact.email = row.column_text(23);
  item.contact.phone = row.column_text(24);
  item.body_markdown = row.column_text(25);
  item.archive_on_expiry = row.column_int64(26) != 0;
  return item;
}

}  // namespace

void add_filter(Selection& selection, const ItemQuery& query) {
  auto add = [&selection](std::string_view condition, Param param) {
    selection.sql += selection.has_where ? " AND " : " WHERE ";
    selection.has_where = true;
    selection.sql += condition;
    selection.params.push_back(std::move(param));
  };
  if (query.status) add("i.status = ?", std::string(model::status_name(*query.status)));
  if (!query.category_slug.empty()) {
    // EXISTS rather than a join: the item must still come back with all its
    // categories, not only the one asked for, and only once.
    add("EXISTS (SELECT 1 FROM item_categories ic JOIN categories c ON c.id = ic.category_id"
        " WHERE ic.item_id = i.id AND c.slug = ?)",
        query.category_slug);
  }
  // NULL compares as not true, so items never published drop out of each of
  // these, as they should.
  if (query.published_before) {
    add(query.include_embargoed ? "(i.published_at <= ? OR i.embargoed = 1)"
                                : "i.published_at <= ?",
        *query.published_before);
  }
  if (query.published_from) add("i.published_at >= ?", *query.published_from);
  if (query.published_until) add("i.published_at < ?", *query.published_until);
  if (query.live_at) {
    add(query.keep_archived
            ? "(i.expires_at IS NULL OR i.expires_at > ? OR i.archive_on_expiry = 1)"
            : "(i.expires_at IS NULL OR i.expires_at > ?)",
        *query.live_at);
  }
  if (query.author_id) add("i.author_id = ?", *query.author_id);
  if (!query.language.empty()) add("i.language = ?", query.language);
  if (!query.preview_token.empty()) add("i.preview_token = ?", query.preview_token);
}

Selection page_of(const ItemQuery& query) {
  Selection selection;
  add_filter(selection, query);
  // NULLS LAST: PostgreSQL's default for DESC is the opposite. LIMIT NULL
  // is no limit.
  selection.sql += " ORDER BY i.published_at DESC NULLS LAST, i.id DESC LIMIT ? OFFSET ?";
  selection.params.push_back(query.limit > 0 ? Param(std::int64_t{query.limit}) : Param());
  selection.params.emplace_back(std::int64_t{std::max(query.offset, 0)});
  return selection;
}

// Four queries whatever the number of items (no N+1). The category,
// attachment and link queries select their items again through the same
// Selection, which inside one read transaction yields the same ids.
Result<std::vector<model::Item>> load_items(
    Connection& db, const Selection& selection, std::string_view context,
    std::string_view extra_columns, const std::function<void(const Statement&, int)>& on_extra) {
  std::vector<model::Item> items;
  std::unordered_map<std::int64_t, std::size_t> index_of;
  {
    Result<Statement> stmt =
        Statement::prepare(db, std::string(kItemColumns) + std::string(extra_columns) +
                                   " FROM items i" + selection.sql);
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind_all(1, selection.params);
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return wrap_error(row.error(), context);
      if (!*row) break;
      Result<model::Item> item = read_item(*stmt);
      if (!item) return wrap_error(item.error(), context);
      if (on_extra) on_extra(*stmt, kItemColumnCount);
      index_of.emplace(item->id, items.size());
      items.push_back(std::move(item).value());
    }
  }
  if (items.empty()) return items;

  const std::string ids = "(SELECT i.id FROM items i" + selection.sql + ")";
  {
    Result<Statement> stmt =
        Statement::prepare(db,
                           "SELECT ic.item_id, c.id, c.slug, c.name FROM item_categories ic"
                           " JOIN categories c ON c.id = ic.category_id WHERE ic.item_id IN " +
                               ids + " ORDER BY ic.item_id, ic.position");
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind_all(1, selection.params);
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return wrap_error(row.error(), context);
      if (!*row) break;
      auto found = index_of.find(stmt->column_int64(0));
      if (found == index_of.end()) continue;
      items[found->second].categories.push_back(model::Category{
          .id = stmt->column_int64(1),
          .slug = stmt->column_text(2),
          .name = stmt->column_text(3),
      });
    }
  }
  {
    Result<Statement> stmt =
        Statement::prepare(db,
                           "SELECT a.item_id, a.id, a.url, a.name, a.media_type, a.length,"
                           " EXISTS (SELECT 1 FROM attachment_files f WHERE f.attachment_id = a.id)"
                           " FROM attachments a"
                           " WHERE a.item_id IN " +
                               ids + " ORDER BY a.item_id, a.position");
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind_all(1, selection.params);
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return wrap_error(row.error(), context);
      if (!*row) break;
      auto found = index_of.find(stmt->column_int64(0));
      if (found == index_of.end()) continue;
      items[found->second].attachments.push_back(model::Attachment{
          .id = stmt->column_int64(1),
          .url = stmt->column_text(2),
          .name = stmt->column_text(3),
          .media_type = stmt->column_text(4),
          .length = stmt->column_int64(5),
          .stored = stmt->column_int64(6) != 0,
      });
    }
  }
  {
    Result<Statement> stmt =
        Statement::prepare(db,
                           "SELECT r.item_id, r.title, r.url FROM related_links r"
                           " WHERE r.item_id IN " +
                               ids + " ORDER BY r.item_id, r.position");
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind_all(1, selection.params);
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return wrap_error(row.error(), context);
      if (!*row) break;
      auto found = index_of.find(stmt->column_int64(0));
      if (found == index_of.end()) continue;
      items[found->second].related_links.push_back(
          model::RelatedLink{stmt->column_text(1), stmt->column_text(2)});
    }
  }
  return items;
}

namespace {

Result<model::Item> load_one(Connection& db, Selection selection, std::string_view context,
                             std::string_view missing) {
  Result<std::vector<model::Item>> items = load_items(db, selection, context);
  if (!items) return items.error();
  if (items->empty()) {
    return make_error(ErrorCode::kNotFound, std::string(context) + ": " + std::string(missing));
  }
  return std::move(items->front());
}

// Checks what the schema cannot say well, so the caller gets kInvalid with a
// reason instead of a CHECK failure.
Result<void> validate(const model::Item& item, std::string_view context) {
  auto invalid = [context](std::string_view why) {
    return make_error(ErrorCode::kInvalid, std::string(context) + ": " + std::string(why));
  };
  if (item.guid.empty()) return invalid("guid is empty");
  if (item.slug.empty()) return invalid("slug is empty");
  for (const model::Category& category : item.categories) {
    if (category.slug.empty()) return invalid("a category has an empty slug");
  }
  return {};
}

// Rewords a unique violation on items as which value is taken; PostgreSQL
// names the constraint ("items_slug_key").
Error describe(const Error& error, const model::Item& item, std::string_view context) {
  if (error.code == ErrorCode::kConflict) {
    const std::string prefix(context);
    auto on = [&error](std::string_view column) {
      return error.message.find(column) != std::string::npos;
    };
    if (on("items_slug_key")) {
      return make_error(ErrorCode::kConflict, prefix + ": slug '" + item.slug + "' is taken");
    }
    if (on("items_guid_key")) {
      return make_error(ErrorCode::kConflict, prefix + ": guid '" + item.guid + "' is taken");
    }
    if (on("items_source_id_key")) {
      return make_error(ErrorCode::kConflict,
                        prefix + ": source_id '" + item.source_id + "' is taken");
    }
  }
  return wrap_error(error, context);
}

// Binds the item's columns other than id and guid to parameters 1..25:
// slug, title, teaser, body_html, language, status, published_at,
// published_offset, updated_at, updated_offset, source_link, source_id,
// authors, lead_image_url, lead_image_alt, author_id, review_requested,
// embargoed, preview_token, expires_at, contact_name, contact_email,
// contact_phone, body_markdown, archive_on_expiry.
void bind_fields(Statement& stmt, const model::Item& item) {
  std::optional<std::int64_t> published_at;
  std::optional<std::int64_t> published_offset;
  if (item.published_at) {
    published_at = item.published_at->epoch_seconds;
    published_offset = item.published_at->offset_minutes;
  }
  stmt.bind(1, std::string_view(item.slug))
      .bind(2, std::string_view(item.title))
      .bind(3, std::string_view(item.teaser))
      .bind(4, std::string_view(item.body_html))
      .bind(5, std::string_view(item.language))
      .bind(6, model::status_name(item.status))
      .bind(7, published_at)
      .bind(8, published_offset)
      .bind(9, item.updated_at.epoch_seconds)
      .bind(10, std::int64_t{item.updated_at.offset_minutes})
      .bind(11, std::string_view(item.source_link));
  // NULL, not "", so that items which were not imported do not collide on
  // the UNIQUE index.
  if (item.source_id.empty()) {
    stmt.bind_null(12);
  } else {
    stmt.bind(12, std::string_view(item.source_id));
  }
  std::string authors;
  for (const std::string& name : item.authors) {
    if (!authors.empty()) authors += '\n';
    for (char c : name) authors += (c == '\n' || c == '\r') ? ' ' : c;
  }
  stmt.bind(13, std::string_view(authors));
  // A lead image with an empty url is no lead image: it reads back as none.
  const bool has_image = item.lead_image && !item.lead_image->url.empty();
  stmt.bind(14, has_image ? std::string_view(item.lead_image->url) : std::string_view())
      .bind(15, has_image ? std::string_view(item.lead_image->alt) : std::string_view());
  if (item.author_id == 0) {
    stmt.bind_null(16);
  } else {
    stmt.bind(16, item.author_id);
  }
  stmt.bind(17, std::int64_t{item.review_requested ? 1 : 0})
      .bind(18, std::int64_t{item.embargoed ? 1 : 0})
      .bind(19, std::string_view(item.preview_token))
      .bind(20, item.expires_at)
      .bind(21, std::string_view(item.contact.name))
      .bind(22, std::string_view(item.contact.email))
      .bind(23, std::string_view(item.contact.phone))
      .bind(24, std::string_view(item.body_markdown))
      .bind(25, std::int64_t{item.archive_on_expiry ? 1 : 0});
}

// Makes the item's related links exactly `links`, in order.
Result<void> write_related_links(Connection& db, std::int64_t item_id,
                                 const std::vector<model::RelatedLink>& links, bool item_is_new,
                                 std::string_view context) {
  if (!item_is_new) {
    Result<Statement> clear = Statement::prepare(db, "DELETE FROM related_links WHERE item_id = ?");
    if (!clear) return wrap_error(clear.error(), context);
    clear->bind(1, item_id);
    if (auto r = clear->run(); !r) return wrap_error(r.error(), context);
  }
  if (links.empty()) return {};
  Result<Statement> insert = Statement::prepare(
      db, "INSERT INTO related_links (item_id, position, title, url) VALUES (?, ?, ?, ?)");
  if (!insert) return wrap_error(insert.error(), context);
  std::int64_t position = 0;
  for (const model::RelatedLink& link : links) {
    insert->reset();
    insert->bind(1, item_id)
        .bind(2, position++)
        .bind(3, std::string_view(link.title))
        .bind(4, std::string_view(link.url));
    if (auto r = insert->run(); !r) return wrap_error(r.error(), context);
  }
  return {};
}

// The slug is in use again: its old address shows this item, not 410 Gone.
Result<void> clear_gone_slug(Connection& db, std::string_view slug, std::string_view context) {
  Result<Statement> stmt = Statement::prepare(db, "DELETE FROM gone_slugs WHERE slug = ?");
  if (!stmt) return wrap_error(stmt.error(), context);
  stmt->bind(1, slug);
  if (auto r = stmt->run(); !r) return wrap_error(r.error(), context);
  return {};
}

// Links the item to its categories in their order, creating missing ones.
// A slug listed twice is linked once, at its first position: feeds repeat
// categories, and (item, category) is the key.
Result<void> write_categories(Connection& db, std::int64_t item_id,
                              const std::vector<model::Category>& categories,
                              std::string_view context) {
  if (categories.empty()) return {};
  Result<Statement> link = Statement::prepare(
      db, "INSERT INTO item_categories (item_id, category_id, position) VALUES (?, ?, ?)");
  if (!link) return wrap_error(link.error(), context);
  std::vector<std::string_view> seen;
  std::int64_t position = 0;
  for (const model::Category& category : categories) {
    if (std::find(seen.begin(), seen.end(), category.slug) != seen.end()) continue;
    seen.push_back(category.slug);
    Result<std::int64_t> category_id = upsert_category(db, category, context);
    if (!category_id) return category_id.error();
    link->reset();
    link->bind(1, item_id).bind(2, *category_id).bind(3, position++);
    if (auto r = link->run(); !r) return wrap_error(r.error(), context);
  }
  return {};
}

// Makes the item's attachments exactly `attachments`, in order. An
// attachment whose id already belongs to this item keeps its row and id
// (links to an uploaded file stay valid across edits); others get new rows;
// rows no longer listed go.
Result<void> write_attachments(Connection& db, std::int64_t item_id,
                               const std::vector<model::Attachment>& attachments, bool item_is_new,
                               std::string_view context) {
  std::vector<std::int64_t> existing;
  if (!item_is_new) {
    Result<Statement> stmt = Statement::prepare(db, "SELECT id FROM attachments WHERE item_id = ?");
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind(1, item_id);
    for (;;) {
      Result<bool> row = stmt->step();
      if (!row) return wrap_error(row.error(), context);
      if (!*row) break;
      existing.push_back(stmt->column_int64(0));
    }
  }
  auto contains = [](const std::vector<std::int64_t>& ids, std::int64_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };

  std::vector<std::int64_t> kept;
  for (const model::Attachment& attachment : attachments) {
    if (attachment.id != 0 && contains(existing, attachment.id) && !contains(kept, attachment.id)) {
      kept.push_back(attachment.id);
    }
  }
  if (kept.size() < existing.size()) {
    Result<Statement> remove = Statement::prepare(db, "DELETE FROM attachments WHERE id = ?");
    if (!remove) return wrap_error(remove.error(), context);
    for (std::int64_t id : existing) {
      if (contains(kept, id)) continue;
      remove->reset();
      remove->bind(1, id);
      if (auto r = remove->run(); !r) return wrap_error(r.error(), context);
    }
  }
  if (attachments.empty()) return {};

  Result<Statement> update = Statement::prepare(
      db,
      "UPDATE attachments SET position = ?, url = ?, name = ?, media_type = ?, length = ?"
      " WHERE id = ?");
  if (!update) return wrap_error(update.error(), context);
  Result<Statement> insert = Statement::prepare(
      db,
      "INSERT INTO attachments (position, url, name, media_type, length, item_id)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return wrap_error(insert.error(), context);

  std::vector<std::int64_t> updated;
  std::int64_t position = 0;
  for (const model::Attachment& attachment : attachments) {
    // The first mention of a kept id updates its row; a repeat is a copy.
    const bool keep = contains(kept, attachment.id) && !contains(updated, attachment.id);
    Statement& stmt = keep ? *update : *insert;
    stmt.reset();
    stmt.bind(1, position++)
        .bind(2, std::string_view(attachment.url))
        .bind(3, std::string_view(attachment.name))
        .bind(4, std::string_view(attachment.media_type))
        .bind(5, attachment.length)
        .bind(6, keep ? attachment.id : item_id);
    if (auto r = stmt.run(); !r) return wrap_error(r.error(), context);
    if (keep) updated.push_back(attachment.id);
  }
  return {};
}

// Everything an item owns besides its row, written after the row.
Result<void> write_item_parts(Connection& db, std::int64_t id, const model::Item& item,
                              bool item_is_new, std::string_view context) {
  if (auto r = write_categories(db, id, item.categories, context); !r) return r;
  if (auto r = write_attachments(db, id, item.attachments, item_is_new, context); !r) return r;
  if (auto r = write_related_links(db, id, item.related_links, item_is_new, context); !r) {
    return r;
  }
  if (auto r = clear_gone_slug(db, item.slug, context); !r) return r;
  if (auto r = index_item(db, id, item); !r) return wrap_error(r.error(), context);
  return {};
}

}  // namespace

Result<std::int64_t> insert_item_rows(Connection& db, const model::Item& item) {
  constexpr std::string_view kContext = "store/postgres: insert item";
  if (item.id != 0) {
    return make_error(ErrorCode::kInvalid,
                      std::string(kContext) + ": item already has id " + std::to_string(item.id));
  }
  if (auto r = validate(item, kContext); !r) return r.error();

  Result<Statement> stmt = Statement::prepare(
      db,
      "INSERT INTO items (slug, title, teaser, body_html, language, status, published_at,"
      " published_offset, updated_at, updated_offset, source_link, source_id, authors,"
      " lead_image_url, lead_image_alt, author_id, review_requested, embargoed,"
      " preview_token, expires_at, contact_name, contact_email, contact_phone, body_markdown,"
      " archive_on_expiry, guid)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " RETURNING id");
  if (!stmt) return wrap_error(stmt.error(), kContext);
  bind_fields(*stmt, item);
  stmt->bind(26, std::string_view(item.guid));
  Result<bool> row = stmt->step();
  if (!row) return describe(row.error(), item, kContext);
  if (!*row) return make_error(ErrorCode::kInternal, std::string(kContext) + ": no id returned");
  const std::int64_t id = stmt->column_int64(0);
  if (auto r = stmt->run(); !r) return describe(r.error(), item, kContext);

  if (auto r = write_item_parts(db, id, item, /*item_is_new=*/true, kContext); !r) {
    return r.error();
  }
  return id;
}

Result<void> update_item_rows(Connection& db, const model::Item& item) {
  const std::string context = "store/postgres: update item " + std::to_string(item.id);
  if (auto r = validate(item, context); !r) return r;

  {
    Result<Statement> stmt = Statement::prepare(db, "SELECT guid FROM items WHERE id = ?");
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind(1, item.id);
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), context);
    if (!*row) return make_error(ErrorCode::kNotFound, context + ": no such item");
    // The guid is the item's identity in every feed reader that has seen it
    // (model/item.h); changing it would show the item as new everywhere.
    const std::string stored_guid = stmt->column_text(0);
    if (stored_guid != item.guid) {
      return make_error(ErrorCode::kInvalid, context + ": guid cannot change (stored '" +
                                                 stored_guid + "', given '" + item.guid + "')");
    }
  }

  Result<Statement> stmt = Statement::prepare(
      db,
      "UPDATE items SET slug = ?, title = ?, teaser = ?, body_html = ?, language = ?,"
      " status = ?, published_at = ?, published_offset = ?, updated_at = ?, updated_offset = ?,"
      " source_link = ?, source_id = ?, authors = ?, lead_image_url = ?, lead_image_alt = ?,"
      " author_id = ?, review_requested = ?, embargoed = ?, preview_token = ?, expires_at = ?,"
      " contact_name = ?, contact_email = ?, contact_phone = ?, body_markdown = ?,"
      " archive_on_expiry = ?"
      " WHERE id = ?");
  if (!stmt) return wrap_error(stmt.error(), context);
  bind_fields(*stmt, item);
  stmt->bind(26, item.id);
  if (auto r = stmt->run(); !r) return describe(r.error(), item, context);

  {
    Result<Statement> unlink =
        Statement::prepare(db, "DELETE FROM item_categories WHERE item_id = ?");
    if (!unlink) return wrap_error(unlink.error(), context);
    unlink->bind(1, item.id);
    if (auto r = unlink->run(); !r) return wrap_error(r.error(), context);
  }
  return write_item_parts(db, item.id, item, /*item_is_new=*/false, context);
}

Result<model::Item> select_item_by_id(Connection& db, std::int64_t id) {
  return load_one(db, Selection{" WHERE i.id = ?", {id}, true}, "store/postgres: item by id",
                  "no item with id " + std::to_string(id));
}

Result<model::Item> select_item_by_slug(Connection& db, std::string_view slug) {
  return load_one(db, Selection{" WHERE i.slug = ?", {std::string(slug)}, true},
                  "store/postgres: item by slug", "no item with slug '" + std::string(slug) + "'");
}

Result<model::Item> select_item_by_source_id(Connection& db, std::string_view source_id) {
  // Items that were not imported store NULL, which '' does not equal: asking
  // for "" finds nothing rather than an arbitrary hand-written item.
  return load_one(db, Selection{" WHERE i.source_id = ?", {std::string(source_id)}, true},
                  "store/postgres: item by source_id",
                  "no item with source_id '" + std::string(source_id) + "'");
}

Result<std::vector<model::Item>> select_items(Connection& db, const ItemQuery& query) {
  return load_items(db, page_of(query), "store/postgres: list items");
}

Result<std::vector<ItemStamp>> select_stamps(Connection& db, const ItemQuery& query) {
  constexpr std::string_view kContext = "store/postgres: list stamps";
  const Selection selection = page_of(query);
  Result<Statement> stmt = Statement::prepare(
      db, "SELECT i.slug, i.updated_at, i.updated_offset FROM items i" + selection.sql);
  if (!stmt) return wrap_error(stmt.error(), kContext);
  stmt->bind_all(1, selection.params);
  std::vector<ItemStamp> stamps;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), kContext);
    if (!*row) break;
    stamps.push_back(
        ItemStamp{stmt->column_text(0),
                  model::DateTime{stmt->column_int64(1), static_cast<int>(stmt->column_int64(2))}});
  }
  return stamps;
}

Result<std::int64_t> count_items_rows(Connection& db, const ItemQuery& query) {
  constexpr std::string_view kContext = "store/postgres: count items";
  Selection filter;
  add_filter(filter, query);
  Result<Statement> stmt = Statement::prepare(db, "SELECT COUNT(*) FROM items i" + filter.sql);
  if (!stmt) return wrap_error(stmt.error(), kContext);
  stmt->bind_all(1, filter.params);
  Result<bool> row = stmt->step();
  if (!row) return wrap_error(row.error(), kContext);
  if (!*row) return make_error(ErrorCode::kInternal, std::string(kContext) + ": no row");
  return stmt->column_int64(0);
}

Result<std::optional<model::DateTime>> select_last_change(Connection& db, const ItemQuery& query) {
  constexpr std::string_view kContext = "store/postgres: last change";
  Selection filter;
  add_filter(filter, query);
  // ORDER BY ... LIMIT 1 rather than MAX(): the offset must come from the
  // same row as the instant.
  Result<Statement> stmt =
      Statement::prepare(db, "SELECT i.updated_at, i.updated_offset FROM items i" + filter.sql +
                                 " ORDER BY i.updated_at DESC, i.id DESC LIMIT 1");
  if (!stmt) return wrap_error(stmt.error(), kContext);
  stmt->bind_all(1, filter.params);
  Result<bool> row = stmt->step();
  if (!row) return wrap_error(row.error(), kContext);
  if (!*row) return std::optional<model::DateTime>();
  return std::optional<model::DateTime>(model::DateTime{
      .epoch_seconds = stmt->column_int64(0),
      .offset_minutes = static_cast<int>(stmt->column_int64(1)),
  });
}

Result<void> delete_item_rows(Connection& db, std::int64_t id) {
  const std::string context = "store/postgres: delete item " + std::to_string(id);
  // RETURNING gives the slug of the very row deleted.
  Result<Statement> remove =
      Statement::prepare(db, "DELETE FROM items WHERE id = ? RETURNING slug");
  if (!remove) return wrap_error(remove.error(), context);
  remove->bind(1, id);
  Result<bool> row = remove->step();
  if (!row) return wrap_error(row.error(), context);
  if (!*row) return make_error(ErrorCode::kNotFound, context + ": no such item");
  const std::string slug = remove->column_text(0);
  if (auto r = remove->run(); !r) return wrap_error(r.error(), context);

  Result<Statement> gone = Statement::prepare(
      db,
      "INSERT INTO gone_slugs (slug, deleted_at) VALUES (?, EXTRACT(EPOCH FROM now())::bigint)"
      " ON CONFLICT (slug) DO UPDATE SET deleted_at = excluded.deleted_at");
  if (!gone) return wrap_error(gone.error(), context);
  gone->bind(1, std::string_view(slug));
  if (auto r = gone->run(); !r) return wrap_error(r.error(), context);
  return {};
}

Result<bool> select_slug_gone(Connection& db, std::string_view slug) {
  constexpr std::string_view kContext = "store/postgres: slug gone";
  // Writers clear gone_slugs when a slug is taken again; the NOT EXISTS
  // keeps the answer right even for rows written before that rule.
  Result<Statement> stmt =
      Statement::prepare(db,
                         "SELECT EXISTS (SELECT 1 FROM gone_slugs g WHERE g.slug = ?1"
                         " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.slug = ?1))");
  if (!stmt) return wrap_error(stmt.error(), kContext);
  stmt->bind(1, slug);
  Result<bool> row = stmt->step();
  if (!row) return wrap_error(row.error(), kContext);
  if (!*row) return make_error(ErrorCode::kInternal, std::string(kContext) + ": no row");
  return stmt->column_int64(0) != 0;
}

Result<Neighbours> select_neighbours(Connection& db, std::int64_t id, const ItemQuery& query) {
  const std::string context = "store/postgres: neighbours of item " + std::to_string(id);
  std::int64_t published_at = 0;
  {
    Result<Statement> stmt = Statement::prepare(db, "SELECT published_at FROM items WHERE id = ?");
    if (!stmt) return wrap_error(stmt.error(), context);
    stmt->bind(1, id);
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), context);
    if (!*row) return make_error(ErrorCode::kNotFound, context + ": no such item");
    if (stmt->column_is_null(0)) {
      return make_error(ErrorCode::kNotFound, context + ": item has no published_at");
    }
    published_at = stmt->column_int64(0);
  }

  // The interface leaves the archive range out: neighbours run across it.
  ItemQuery filter = query;
  filter.published_from.reset();
  filter.published_until.reset();
  // Listing order is (published_at DESC, id DESC): the newer neighbour is the
  // smallest pair above this item's, the older one the largest below. Items
  // without published_at fail both comparisons: they have no place in a
  // dated sequence.
  auto one = [&](std::string_view comparison,
                 std::string_view order) -> Result<std::optional<model::Item>> {
    Selection selection;
    add_filter(selection, filter);
    selection.sql += selection.has_where ? " AND " : " WHERE ";
    selection.has_where = true;
    selection.sql += "(i.published_at, i.id) " + std::string(comparison) + " (?, ?)";
    selection.params.emplace_back(published_at);
    selection.params.emplace_back(id);
    selection.sql += " ORDER BY i.published_at " + std::string(order) + ", i.id " +
                     std::string(order) + " LIMIT 1";
    Result<std::vector<model::Item>> items = load_items(db, selection, context);
    if (!items) return items.error();
    if (items->empty()) return std::optional<model::Item>();
    return std::optional<model::Item>(std::move(items->front()));
  };
  Neighbours neighbours;
  Result<std::optional<model::Item>> newer = one(">", "ASC");
  if (!newer) return newer.error();
  neighbours.newer = std::move(newer).value();
  Result<std::optional<model::Item>> older = one("<", "DESC");
  if (!older) return older.error();
  neighbours.older = std::move(older).value();
  return neighbours;
}

Result<std::vector<std::int64_t>> select_published_times(Connection& db, const ItemQuery& query) {
  constexpr std::string_view kContext = "store/postgres: published times";
  Selection selection;
  add_filter(selection, query);
  selection.sql += selection.has_where ? " AND " : " WHERE ";
  selection.sql += "i.published_at IS NOT NULL ORDER BY i.published_at DESC, i.id DESC";
  Result<Statement> stmt =
      Statement::prepare(db, "SELECT i.published_at FROM items i" + selection.sql);
  if (!stmt) return wrap_error(stmt.error(), kContext);
  stmt->bind_all(1, selection.params);
  std::vector<std::int64_t> times;
  for (;;) {
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), kContext);
    if (!*row) break;
    times.push_back(stmt->column_int64(0));
  }
  return times;
}

}  // namespace newsdesk::store::postgres
