#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "support/store_backends.h"

namespace newsdesk::store {
namespace {

class StoreItems : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreItems);

class StoreAuthors : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreAuthors);

class StoreChanges : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreChanges);

class StoreDelete : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreDelete);

class StoreLeadImage : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreLeadImage);

class StoreNeighbours : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreNeighbours);

class StorePublishedTimes : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StorePublishedTimes);

class StoreRange : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreRange);

class StoreRedirects : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreRedirects);

class StoreRelatedLinks : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreRelatedLinks);

class StoreSources : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreSources);

using model::Attachment;
using model::Category;
using model::DateTime;
using model::Item;
using model::Status;

// 2018-07-10T10:11:30+02:00, a pubDate of the ICMPD feed.
constexpr std::int64_t kJuly10 = 1531210290;

Item sample_item(const std::string& slug) {
  Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = "Title of " + slug;
  item.teaser = "A teaser...";
  item.body_html = "<p>Body of " + slug + "</p>";
  item.language = "en";
  item.status = Status::kPublished;
  item.published_at = DateTime{.epoch_seconds = kJuly10, .offset_minutes = 120};
  item.updated_at = DateTime{.epoch_seconds = kJuly10 + 60, .offset_minutes = 120};
  // Deliberately not in slug or name order: the stored order must be ours.
  item.categories = {
      Category{.id = 0, .slug = "press-release", .name = "Press Release"},
      Category{.id = 0, .slug = "around-the-globe", .name = "Around the Globe"},
  };
  item.attachments = {
      Attachment{.id = 0,
                 .url = "https://example.org/files/" + slug + "-2.pdf",
                 .name = "second.pdf",
                 .media_type = "application/pdf",
                 .length = 2048},
      Attachment{.id = 0,
                 .url = "https://example.org/files/" + slug + "-1.pdf",
                 .name = "first.pdf",
                 .media_type = "application/pdf",
                 .length = 0},
  };
  item.source_link = "https://www.icmpd.org/news-centre/news-detail/" + slug + "/";
  item.source_id = "https://www.icmpd.org/news-centre/news-detail/" + slug + "/";
  return item;
}

Item draft_item(const std::string& slug) {
  Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = "Draft " + slug;
  item.status = Status::kDraft;
  item.updated_at = DateTime{.epoch_seconds = kJuly10, .offset_minutes = 0};
  return item;
}

Item published_at(Item item, std::int64_t epoch_seconds) {
  item.status = Status::kPublished;
  item.published_at = DateTime{.epoch_seconds = epoch_seconds, .offset_minutes = 60};
  return item;
}

// What reading `given` back should return once stored as `stored`: the same
// item with the ids the store assigned. Fails the test when an id is missing.
Item with_ids_of(Item given, const Item& stored) {
  EXPECT_NE(stored.id, 0);
  given.id = stored.id;
  if (given.categories.size() == stored.categories.size()) {
    for (std::size_t i = 0; i < given.categories.size(); ++i) {
      EXPECT_NE(stored.categories[i].id, 0);
      given.categories[i].id = stored.categories[i].id;
    }
  }
  if (given.attachments.size() == stored.attachments.size()) {
    for (std::size_t i = 0; i < given.attachments.size(); ++i) {
      EXPECT_NE(stored.attachments[i].id, 0);
      given.attachments[i].id = stored.attachments[i].id;
    }
  }
  return given;
}

std::vector<std::string> slugs_of(const std::vector<Item>& items) {
  std::vector<std::string> slugs;
  for (const Item& item : items) slugs.push_back(item.slug);
  return slugs;
}

std::unique_ptr<Store> open_migrated(const std::string& url = testing::fresh_url()) {
  Result<std::unique_ptr<Store>> store = open_store(url);
  if (!store) {
    ADD_FAILURE() << "open_store(" << url << "): " << store.error().message;
    return nullptr;
  }
  if (Result<void> r = (*store)->migrate(); !r) {
    ADD_FAILURE() << "migrate: " << r.error().message;
    return nullptr;
  }
  return std::move(store).value();
}

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "newsdesk-store-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs one SQL statement on the file through a separate raw connection, the
// way an operator or another process would. Returns the first column of the
// first row as text, "" when none.
std::string raw_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "raw open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "raw prepare " << sql << ": " << sqlite3_errmsg(db);
  } else {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    } else if (rc != SQLITE_DONE) {
      ADD_FAILURE() << "raw step " << sql << ": " << sqlite3_errmsg(db);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// --- schema -----------------------------------------------------------------

TEST(SqliteStore, FreshDatabaseHasSchemaVersionZero) {
  Result<std::unique_ptr<Store>> store = open_store(testing::fresh_url());
  ASSERT_TRUE(store) << store.error().message;
  Result<int> version = (*store)->schema_version();
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 0);
}

TEST_P(StoreItems, MigrateBringsSchemaToLatestVersion) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<int> version = store->schema_version();
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 7);
  EXPECT_EQ(*version, sqlite::latest_schema_version());
}

TEST_P(StoreItems, MigrateIsIdempotent) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(sample_item("kept")));

  Result<void> again = store->migrate();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*store->schema_version(), sqlite::latest_schema_version());
  EXPECT_TRUE(store->item_by_slug("kept"));
}

TEST(SqliteStore, MigrateRefusesDatabaseFromNewerVersion) {
  TempDir dir;
  const std::string path = dir.file("newer.db");
  ASSERT_NE(open_migrated(path), nullptr);
  raw_sql(path, "PRAGMA user_version = 99");

  Result<std::unique_ptr<Store>> store = open_store(path);
  ASSERT_TRUE(store) << store.error().message;
  Result<void> r = (*store)->migrate();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_NE(r.error().message.find("99"), std::string::npos) << r.error().message;
}

// --- insert and read back ---------------------------------------------------

TEST_P(StoreItems, InsertedItemReadsBackById) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const Item item = sample_item("ministerial-conference");

  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_TRUE(id) << id.error().message;
  Result<Item> stored = store->item_by_id(*id);
  ASSERT_TRUE(stored) << stored.error().message;

  EXPECT_EQ(stored->id, *id);
  EXPECT_EQ(*stored, with_ids_of(item, *stored));
}

TEST_P(StoreItems, InsertedItemReadsBackBySlug) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const Item item = sample_item("expert-voice");
  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_TRUE(id) << id.error().message;

  Result<Item> stored = store->item_by_slug("expert-voice");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->id, *id);
  EXPECT_EQ(*stored, with_ids_of(item, *stored));
}

TEST_P(StoreItems, InsertedItemReadsBackBySourceId) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const Item item = sample_item("imported");
  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_TRUE(id) << id.error().message;

  Result<Item> stored = store->item_by_source_id(item.source_id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->id, *id);
  EXPECT_EQ(*stored, with_ids_of(item, *stored));
}

TEST_P(StoreItems, DraftWithoutDatesCategoriesOrSourceReadsBackUnchanged) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const Item item = draft_item("plain-draft");
  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_TRUE(id) << id.error().message;

  Result<Item> stored = store->item_by_id(*id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_FALSE(stored->published_at.has_value());
  EXPECT_EQ(*stored, with_ids_of(item, *stored));
}

TEST_P(StoreItems, ItemsWithoutSourceIdCoexist) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(draft_item("one")));
  Result<std::int64_t> second = store->insert_item(draft_item("two"));
  EXPECT_TRUE(second) << second.error().message;
}

TEST_P(StoreItems, InsertReusesExistingCategoryAndKeepsItsName) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item first = draft_item("first");
  first.categories = {Category{.id = 0, .slug = "statement", .name = "Statement"}};
  Item second = draft_item("second");
  second.categories = {Category{.id = 0, .slug = "statement", .name = "Renamed"}};
  Result<std::int64_t> first_id = store->insert_item(first);
  Result<std::int64_t> second_id = store->insert_item(second);
  ASSERT_TRUE(first_id && second_id);

  Result<Item> a = store->item_by_id(*first_id);
  Result<Item> b = store->item_by_id(*second_id);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(b->categories.size(), 1u);
  EXPECT_EQ(b->categories[0].id, a->categories[0].id);
  EXPECT_EQ(b->categories[0].name, "Statement");
  EXPECT_EQ(store->categories()->size(), 1u);
}

TEST_P(StoreItems, InsertLinksRepeatedCategoryOnce) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = draft_item("repeats");
  item.categories = {
      Category{.id = 0, .slug = "news", .name = "News"},
      Category{.id = 0, .slug = "event", .name = "Event"},
      Category{.id = 0, .slug = "news", .name = "News"},
  };
  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_TRUE(id) << id.error().message;

  Result<Item> stored = store->item_by_id(*id);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->categories.size(), 2u);
  EXPECT_EQ(stored->categories[0].slug, "news");
  EXPECT_EQ(stored->categories[1].slug, "event");
}

TEST_P(StoreItems, InsertRejectsItemThatHasAnId) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = draft_item("has-id");
  item.id = 42;
  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalid);
}

TEST_P(StoreItems, InsertRejectsEmptySlug) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = draft_item("x");
  item.slug.clear();
  Result<std::int64_t> id = store->insert_item(item);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(*store->count_items(ItemQuery{}), 0);
}

// --- conflicts --------------------------------------------------------------

TEST_P(StoreItems, InsertWithTakenSlugIsConflictAndChangesNothing) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item first = draft_item("same-slug");
  first.categories = {Category{.id = 0, .slug = "kept", .name = "Kept"}};
  ASSERT_TRUE(store->insert_item(first));

  Item clash = sample_item("same-slug");
  clash.guid = "urn:uuid:other";
  Result<std::int64_t> id = store->insert_item(clash);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kConflict);
  // "store/sqlite: ..." or "store/postgres: ..."
  EXPECT_TRUE(id.error().message.ends_with(": insert item: slug 'same-slug' is taken"))
      << id.error().message;

  EXPECT_EQ(*store->count_items(ItemQuery{}), 1);
  // The clashing item's categories were not created either.
  ASSERT_EQ(store->categories()->size(), 1u);
  EXPECT_EQ(store->item_by_slug("same-slug")->title, first.title);
}

TEST_P(StoreItems, InsertWithTakenGuidIsConflict) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(draft_item("a")));
  Item clash = draft_item("b");
  clash.guid = "urn:uuid:a";
  Result<std::int64_t> id = store->insert_item(clash);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kConflict);
  EXPECT_NE(id.error().message.find("guid 'urn:uuid:a' is taken"), std::string::npos)
      << id.error().message;
}

TEST_P(StoreItems, InsertWithTakenSourceIdIsConflict) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item first = draft_item("a");
  first.source_id = "feed-guid-1";
  Item second = draft_item("b");
  second.source_id = "feed-guid-1";
  ASSERT_TRUE(store->insert_item(first));
  Result<std::int64_t> id = store->insert_item(second);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kConflict);
  EXPECT_NE(id.error().message.find("source_id 'feed-guid-1' is taken"), std::string::npos)
      << id.error().message;
}

// --- update -----------------------------------------------------------------

TEST_P(StoreItems, UpdateReplacesFieldsCategoriesAndAttachments) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(sample_item("before"));
  ASSERT_TRUE(id);

  Item changed = sample_item("after");
  changed.id = *id;
  changed.guid = "urn:uuid:before";  // the guid never changes
  changed.title = "Changed title";
  changed.status = Status::kScheduled;
  changed.published_at = DateTime{.epoch_seconds = kJuly10 + 3600, .offset_minutes = -300};
  changed.updated_at = DateTime{.epoch_seconds = kJuly10 + 7200, .offset_minutes = 60};
  changed.categories = {Category{.id = 0, .slug = "expert-voice", .name = "Expert Voice"},
                        Category{.id = 0, .slug = "press-release", .name = "Press Release"}};
  changed.attachments = {Attachment{.id = 0,
                                    .url = "https://example.org/new.pdf",
                                    .name = "new.pdf",
                                    .media_type = "application/pdf",
                                    .length = 7}};
  changed.source_id.clear();
  changed.source_link.clear();
  Result<void> r = store->update_item(changed);
  ASSERT_TRUE(r) << r.error().message;

  Result<Item> stored = store->item_by_id(*id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(*stored, with_ids_of(changed, *stored));
  EXPECT_FALSE(store->item_by_slug("before"));
}

TEST_P(StoreItems, UpdateKeepsIdsOfAttachmentsItStillLists) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(sample_item("with-files"));
  ASSERT_TRUE(id);
  Item item = *store->item_by_id(*id);
  const std::int64_t kept_id = item.attachments[1].id;
  const std::int64_t dropped_id = item.attachments[0].id;

  item.attachments.erase(item.attachments.begin());
  item.attachments[0].name = "renamed.pdf";
  item.attachments.push_back(Attachment{.id = 0,
                                        .url = "https://example.org/added.pdf",
                                        .name = "added.pdf",
                                        .media_type = "application/pdf",
                                        .length = 1});
  ASSERT_TRUE(store->update_item(item));

  Item stored = *store->item_by_id(*id);
  ASSERT_EQ(stored.attachments.size(), 2u);
  EXPECT_EQ(stored.attachments[0].id, kept_id);
  EXPECT_EQ(stored.attachments[0].name, "renamed.pdf");
  EXPECT_NE(stored.attachments[1].id, dropped_id);
  EXPECT_EQ(stored.attachments[1].name, "added.pdf");
}

TEST_P(StoreItems, UpdateOfMissingItemIsNotFound) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = draft_item("ghost");
  item.id = 404;
  Result<void> r = store->update_item(item);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreItems, UpdateToTakenSlugIsConflictAndKeepsStoredItem) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(sample_item("taken")));
  Result<std::int64_t> id = store->insert_item(sample_item("mine"));
  ASSERT_TRUE(id);
  const Item before = *store->item_by_id(*id);

  Item changed = before;
  changed.slug = "taken";
  changed.title = "Should not stick";
  changed.categories = {Category{.id = 0, .slug = "new-category", .name = "New"}};
  Result<void> r = store->update_item(changed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("slug 'taken' is taken"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(*store->item_by_id(*id), before);
}

TEST_P(StoreItems, UpdateCannotChangeGuid) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(draft_item("stable"));
  ASSERT_TRUE(id);
  Item changed = *store->item_by_id(*id);
  changed.guid = "urn:uuid:something-else";
  Result<void> r = store->update_item(changed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store->item_by_id(*id)->guid, "urn:uuid:stable");
}

// --- transactions -----------------------------------------------------------

TEST_P(StoreItems, TransactionRollbackLeavesNothing) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<void> r = store->transaction([](Store& tx) -> Result<void> {
    if (auto a = tx.insert_item(sample_item("one")); !a) return a.error();
    if (auto b = tx.insert_item(sample_item("two")); !b) return b.error();
    return make_error(ErrorCode::kInvalid, "test: changed my mind");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().message, "test: changed my mind");
  EXPECT_EQ(*store->count_items(ItemQuery{}), 0);
  EXPECT_TRUE(store->categories()->empty());
}

TEST_P(StoreItems, TransactionCommitKeepsAllWrites) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<void> r = store->transaction([](Store& tx) -> Result<void> {
    Result<std::int64_t> id = tx.insert_item(sample_item("one"));
    if (!id) return id.error();
    Result<Item> item = tx.item_by_id(*id);  // reads see the transaction's writes
    if (!item) return item.error();
    item->title = "Edited in the same transaction";
    return tx.update_item(*item);
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(store->item_by_slug("one")->title, "Edited in the same transaction");
}

TEST_P(StoreItems, FailedInsertInsideTransactionLeavesNoPartialRows) {
  TempDir dir;
  const std::string path = dir.file("trigger.db");
  auto store = open_migrated(path);
  ASSERT_NE(store, nullptr);
  // Makes the attachment insert, the last step of insert_item, fail after the
  // item row and its categories were written.
  raw_sql(path,
          "CREATE TRIGGER refuse_boom BEFORE INSERT ON attachments WHEN NEW.url = 'boom'"
          " BEGIN SELECT RAISE(ABORT, 'boom refused'); END");

  Result<void> r = store->transaction([](Store& tx) -> Result<void> {
    Item doomed = sample_item("doomed");
    doomed.categories = {Category{.id = 0, .slug = "only-doomed", .name = "Only Doomed"}};
    doomed.attachments[1].url = "boom";
    Result<std::int64_t> failed = tx.insert_item(doomed);
    if (failed) return make_error(ErrorCode::kInternal, "test: trigger did not fire");
    // The caller tolerates the failure and carries on.
    Result<std::int64_t> ok = tx.insert_item(draft_item("survivor"));
    if (!ok) return ok.error();
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;

  EXPECT_TRUE(store->item_by_slug("survivor"));
  EXPECT_EQ(store->item_by_slug("doomed").error().code, ErrorCode::kNotFound);
  Result<std::vector<Category>> categories = store->categories();
  ASSERT_TRUE(categories) << categories.error().message;
  for (const Category& category : *categories) {
    EXPECT_NE(category.slug, "only-doomed");
  }
  EXPECT_EQ(raw_sql(path, "SELECT COUNT(*) FROM attachments"), "0");
}

TEST_P(StoreItems, FailedInsertOutsideTransactionLeavesNoPartialRows) {
  TempDir dir;
  const std::string path = dir.file("trigger.db");
  auto store = open_migrated(path);
  ASSERT_NE(store, nullptr);
  raw_sql(path,
          "CREATE TRIGGER refuse_boom BEFORE INSERT ON attachments WHEN NEW.url = 'boom'"
          " BEGIN SELECT RAISE(ABORT, 'boom refused'); END");

  Item doomed = sample_item("doomed");
  doomed.attachments[1].url = "boom";
  Result<std::int64_t> id = store->insert_item(doomed);
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().message.find("boom refused"), std::string::npos) << id.error().message;
  EXPECT_EQ(*store->count_items(ItemQuery{}), 0);
  EXPECT_TRUE(store->categories()->empty());
}

TEST_P(StoreItems, NestedTransactionIsRejected) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<void> inner = Result<void>();
  Result<void> outer = store->transaction([&inner](Store& tx) -> Result<void> {
    inner = tx.transaction([](Store&) -> Result<void> { return {}; });
    return {};
  });
  ASSERT_TRUE(outer) << outer.error().message;
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code, ErrorCode::kInvalid);
}

TEST(SqliteStore, WriteBlockedByAnotherConnectionIsUnavailable) {
  TempDir dir;
  const std::string path = dir.file("busy.db");
  auto holder = open_migrated(path);
  auto waiter = open_migrated(path);
  ASSERT_NE(holder, nullptr);
  ASSERT_NE(waiter, nullptr);

  // The holder keeps the write lock while the waiter tries to write; the
  // waiter gives up after the 5 s busy timeout.
  Result<std::int64_t> blocked = Result<std::int64_t>(0);
  Result<void> r = holder->transaction([&](Store& tx) -> Result<void> {
    if (auto a = tx.insert_item(draft_item("holder")); !a) return a.error();
    blocked = waiter->insert_item(draft_item("waiter"));
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable) << blocked.error().message;
}

TEST_P(StoreItems, ConcurrentInsertsFromSeveralThreadsAllLand) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, &failures, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Item item = sample_item("t" + std::to_string(t) + "-" + std::to_string(i));
        if (!store->insert_item(item)) ++failures[t];
        if (!store->list_items(ItemQuery{})) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(*store->count_items(ItemQuery{}), kThreads * kPerThread);
}

// --- listing ----------------------------------------------------------------

TEST_P(StoreItems, ListIsNewestFirstThenByIdWithUnpublishedLast) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(published_at(draft_item("old"), 100)));
  ASSERT_TRUE(store->insert_item(draft_item("draft")));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("new-first"), 300)));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("new-second"), 300)));

  Result<std::vector<Item>> items = store->list_items(ItemQuery{});
  ASSERT_TRUE(items) << items.error().message;
  EXPECT_EQ(slugs_of(*items),
            (std::vector<std::string>{"new-second", "new-first", "old", "draft"}));
}

TEST_P(StoreItems, ListPagesWithLimitAndOffset) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(store->insert_item(published_at(draft_item("n" + std::to_string(i)), i * 100)));
  }
  ItemQuery query;
  query.limit = 2;
  query.offset = 0;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"n5", "n4"}));
  query.offset = 2;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"n3", "n2"}));
  query.offset = 4;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"n1"}));
  query.offset = 6;
  EXPECT_TRUE(store->list_items(query)->empty());
}

// Pages past the first pick their items by id before reading them: the
// pages, one after another, must still be the whole list, items sharing a
// second in id order, each with its own categories and attachments.
TEST_P(StoreItems, PagesPastTheFirstAreTheWholeListInOrderWithTheirParts) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 23; ++i) {
    Item item = sample_item("p" + std::to_string(i));
    item.published_at = DateTime{.epoch_seconds = kJuly10 + (i / 4) * 60, .offset_minutes = 120};
    item.attachments.resize(static_cast<std::size_t>(i % 3));
    if (i % 3 == 0) {
      item.categories.push_back(Category{.id = 0, .slug = "third", .name = "Every third"});
    }
    ASSERT_TRUE(store->insert_item(item));
  }
  for (const std::string& category : std::vector<std::string>{"", "third"}) {
    ItemQuery all;
    all.status = Status::kPublished;
    all.category_slug = category;
    all.limit = 0;
    Result<std::vector<Item>> whole = store->list_items(all);
    ASSERT_TRUE(whole) << whole.error().message;
    ASSERT_EQ(whole->size(), category.empty() ? 23u : 8u);
    std::vector<Item> paged;
    for (int offset = 0; offset < 30; offset += 3) {
      ItemQuery page = all;
      page.limit = 3;
      page.offset = offset;
      Result<std::vector<Item>> got = store->list_items(page);
      ASSERT_TRUE(got) << got.error().message;
      EXPECT_LE(got->size(), 3u);
      paged.insert(paged.end(), got->begin(), got->end());
    }
    EXPECT_EQ(slugs_of(paged), slugs_of(*whole)) << category;
    EXPECT_TRUE(paged == *whole) << category;
    for (std::size_t i = 1; i < whole->size(); ++i) {
      const Item& newer = (*whole)[i - 1];
      const Item& older = (*whole)[i];
      EXPECT_TRUE(newer.published_at->epoch_seconds > older.published_at->epoch_seconds ||
                  (newer.published_at == older.published_at && newer.id > older.id))
          << i;
    }
  }
}

TEST_P(StoreItems, ListWithoutLimitReturnsEverything) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(store->insert_item(draft_item(std::to_string(i))));
  ItemQuery query;
  query.limit = 0;
  EXPECT_EQ(store->list_items(query)->size(), 25u);
  query.limit = -1;
  query.offset = 20;
  EXPECT_EQ(store->list_items(query)->size(), 5u);
}

TEST_P(StoreItems, ListFiltersByStatus) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(draft_item("draft")));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("published"), 100)));
  Item scheduled = published_at(draft_item("scheduled"), 200);
  scheduled.status = Status::kScheduled;
  ASSERT_TRUE(store->insert_item(scheduled));

  ItemQuery query;
  query.status = Status::kPublished;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"published"}));
  query.status = Status::kDraft;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"draft"}));
}

TEST_P(StoreItems, ListFiltersByCategoryAndKeepsItemsOtherCategories) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item tagged = published_at(draft_item("tagged"), 100);
  tagged.categories = {Category{.id = 0, .slug = "first", .name = "First"},
                       Category{.id = 0, .slug = "wanted", .name = "Wanted"}};
  Item other = published_at(draft_item("other"), 200);
  other.categories = {Category{.id = 0, .slug = "first", .name = "First"}};
  ASSERT_TRUE(store->insert_item(tagged));
  ASSERT_TRUE(store->insert_item(other));

  ItemQuery query;
  query.category_slug = "wanted";
  Result<std::vector<Item>> items = store->list_items(query);
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(slugs_of(*items), (std::vector<std::string>{"tagged"}));
  ASSERT_EQ((*items)[0].categories.size(), 2u);
  EXPECT_EQ((*items)[0].categories[0].slug, "first");

  query.category_slug = "no-such-category";
  EXPECT_TRUE(store->list_items(query)->empty());
}

TEST_P(StoreItems, ListFiltersByPublishedBeforeInclusive) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(published_at(draft_item("past"), 100)));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("now"), 200)));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("future"), 300)));
  ASSERT_TRUE(store->insert_item(draft_item("undated")));

  ItemQuery query;
  query.published_before = 200;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"now", "past"}));
}

TEST_P(StoreItems, ListedItemsCarryTheirOwnCategoriesAndAttachments) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item a = published_at(sample_item("a"), 100);
  Item b = published_at(sample_item("b"), 200);
  b.categories = {Category{.id = 0, .slug = "only-b", .name = "Only B"}};
  b.attachments.pop_back();
  Item c = published_at(draft_item("c"), 300);  // none of either
  for (const Item& item : {a, b, c}) ASSERT_TRUE(store->insert_item(item));

  Result<std::vector<Item>> items = store->list_items(ItemQuery{});
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 3u);
  for (const Item& listed : *items) {
    Result<Item> alone = store->item_by_id(listed.id);
    ASSERT_TRUE(alone);
    EXPECT_EQ(listed, *alone) << listed.slug;
  }
  EXPECT_EQ((*items)[1].categories.size(), 1u);
  EXPECT_EQ((*items)[1].attachments.size(), 1u);
}

TEST_P(StoreItems, CountHonoursFiltersAndIgnoresPaging) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(store->insert_item(published_at(draft_item("p" + std::to_string(i)), i)));
  }
  ASSERT_TRUE(store->insert_item(draft_item("draft")));

  ItemQuery query;
  query.status = Status::kPublished;
  query.limit = 1;
  query.offset = 2;
  Result<std::int64_t> count = store->count_items(query);
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 4);
  EXPECT_EQ(*store->count_items(ItemQuery{}), 5);
}

TEST_P(StoreItems, CountByCategoryIsCountItemsForEachCategory) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const std::vector<Category> kinds = {
      Category{.id = 0, .slug = "news", .name = "News"},
      Category{.id = 0, .slug = "event", .name = "Event"},
      Category{.id = 0, .slug = "statement", .name = "Statement"},
  };
  // Items of one, two or no categories; drafts, scheduled items and items
  // past their end among them.
  for (int i = 0; i < 20; ++i) {
    Item item = published_at(draft_item("i" + std::to_string(i)), kJuly10 + i);
    if (i % 4 != 3) item.categories.push_back(kinds[static_cast<std::size_t>(i % 3)]);
    if (i % 5 == 0) item.categories.push_back(kinds[static_cast<std::size_t>((i + 1) % 3)]);
    if (i % 7 == 6) item.status = Status::kDraft;
    if (i == 19) item.published_at->epoch_seconds = kJuly10 + 3600;
    if (i == 8) item.expires_at = kJuly10 + 60;
    ASSERT_TRUE(store->insert_item(item));
  }
  Item lonely = draft_item("lonely");
  lonely.categories = {Category{.id = 0, .slug = "unused", .name = "Only a draft's"}};
  ASSERT_TRUE(store->insert_item(lonely));

  ItemQuery live;
  live.status = Status::kPublished;
  live.published_before = kJuly10 + 600;
  live.live_at = kJuly10 + 600;
  live.category_slug = "news";  // ignored
  Result<std::map<std::int64_t, std::int64_t>> counts = store->count_by_category(live);
  ASSERT_TRUE(counts) << counts.error().message;
  Result<std::vector<Category>> all = store->categories();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 4u);
  std::int64_t listed = 0;
  for (const Category& category : *all) {
    ItemQuery one = live;
    one.category_slug = category.slug;
    Result<std::int64_t> expected = store->count_items(one);
    ASSERT_TRUE(expected) << expected.error().message;
    const auto found = counts->find(category.id);
    if (*expected == 0) {
      EXPECT_EQ(found, counts->end()) << category.slug;
    } else {
      ASSERT_NE(found, counts->end()) << category.slug;
      EXPECT_EQ(found->second, *expected) << category.slug;
      ++listed;
    }
  }
  EXPECT_EQ(listed, 3);
  EXPECT_EQ(counts->size(), 3u);  // no category that is not in categories()
}

// --- last_change ------------------------------------------------------------

TEST_P(StoreItems, LastChangeIsNewestUpdatedAtWithItsOffset) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item older = draft_item("older");
  older.updated_at = DateTime{.epoch_seconds = 1000, .offset_minutes = 60};
  Item newer = draft_item("newer");
  newer.updated_at = DateTime{.epoch_seconds = 2000, .offset_minutes = 120};
  ASSERT_TRUE(store->insert_item(newer));
  ASSERT_TRUE(store->insert_item(older));

  Result<std::optional<DateTime>> last = store->last_change(ItemQuery{});
  ASSERT_TRUE(last) << last.error().message;
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ(**last, (DateTime{.epoch_seconds = 2000, .offset_minutes = 120}));
}

TEST_P(StoreItems, LastChangeIsNulloptWhenNothingMatches) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->last_change(ItemQuery{})->has_value());

  ASSERT_TRUE(store->insert_item(draft_item("draft")));
  ItemQuery query;
  query.status = Status::kPublished;
  Result<std::optional<DateTime>> last = store->last_change(query);
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_FALSE(last->has_value());
}

TEST_P(StoreItems, LastChangeHonoursStatusAndCategory) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item in_category = published_at(draft_item("in"), 100);
  in_category.categories = {Category{.id = 0, .slug = "news", .name = "News"}};
  in_category.updated_at = DateTime{.epoch_seconds = 1000, .offset_minutes = 0};
  Item elsewhere = published_at(draft_item("elsewhere"), 100);
  elsewhere.updated_at = DateTime{.epoch_seconds = 5000, .offset_minutes = 0};
  Item newer_draft = draft_item("newer-draft");
  newer_draft.categories = in_category.categories;
  newer_draft.updated_at = DateTime{.epoch_seconds = 9000, .offset_minutes = 0};
  for (const Item& item : {in_category, elsewhere, newer_draft}) {
    ASSERT_TRUE(store->insert_item(item));
  }

  ItemQuery query;
  query.status = Status::kPublished;
  query.category_slug = "news";
  Result<std::optional<DateTime>> last = store->last_change(query);
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((*last)->epoch_seconds, 1000);
}

// --- not found --------------------------------------------------------------

TEST_P(StoreItems, ItemByIdOfMissingItemIsNotFound) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<Item> item = store->item_by_id(12345);
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().code, ErrorCode::kNotFound);
  EXPECT_NE(item.error().message.find("12345"), std::string::npos) << item.error().message;
}

TEST_P(StoreItems, ItemBySlugOfMissingItemIsNotFound) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<Item> item = store->item_by_slug("nowhere");
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreItems, ItemByEmptySourceIdFindsNoHandWrittenItem) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(draft_item("hand-written")));
  Result<Item> item = store->item_by_source_id("");
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().code, ErrorCode::kNotFound);
}

// --- categories -------------------------------------------------------------

TEST_P(StoreItems, CategoriesAreOrderedByName) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = draft_item("x");
  item.categories = {Category{.id = 0, .slug = "z", .name = "Statement"},
                     Category{.id = 0, .slug = "a", .name = "Project News"},
                     Category{.id = 0, .slug = "m", .name = "expert Voice"}};
  ASSERT_TRUE(store->insert_item(item));

  Result<std::vector<Category>> categories = store->categories();
  ASSERT_TRUE(categories) << categories.error().message;
  ASSERT_EQ(categories->size(), 3u);
  EXPECT_EQ((*categories)[0].name, "expert Voice");
  EXPECT_EQ((*categories)[1].name, "Project News");
  EXPECT_EQ((*categories)[2].name, "Statement");
  EXPECT_NE((*categories)[0].id, 0);
}

// --- files and opening ------------------------------------------------------

TEST(SqliteStore, FileDatabaseReopensWithDataIntact) {
  TempDir dir;
  const std::string path = dir.file("news.db");
  const Item item = sample_item("persisted");
  std::int64_t id = 0;
  {
    auto store = open_migrated("sqlite:" + path);
    ASSERT_NE(store, nullptr);
    Result<std::int64_t> inserted = store->insert_item(item);
    ASSERT_TRUE(inserted) << inserted.error().message;
    id = *inserted;
  }
  Result<std::unique_ptr<Store>> reopened = open_store("sqlite:" + path);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(*(*reopened)->schema_version(), sqlite::latest_schema_version());
  Result<Item> stored = (*reopened)->item_by_id(id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(*stored, with_ids_of(item, *stored));
}

TEST(SqliteStore, FileDatabaseIsInWalMode) {
  TempDir dir;
  const std::string path = dir.file("wal.db");
  auto store = open_migrated(path);
  ASSERT_NE(store, nullptr);
  // WAL is recorded in the file, so a separate connection sees it.
  EXPECT_EQ(raw_sql(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, OpenUnderMissingDirectoryIsUnavailable) {
  const std::string path = "/proc/newsdesk-test/x.db";
  Result<std::unique_ptr<Store>> store = open_store(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
  EXPECT_EQ(store.error().message.rfind("store/sqlite: ", 0), 0u) << store.error().message;
}

TEST(SqliteStore, OpenOfFileThatIsNotADatabaseIsUnavailable) {
  TempDir dir;
  const std::string path = dir.file("not-a-db.txt");
  std::ofstream(path) << std::string(4096, 'x');
  Result<std::unique_ptr<Store>> store = sqlite::open_sqlite_store(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
}

TEST(SqliteStore, OpenStoreTakesPlainPathWithColon) {
  TempDir dir;
  const std::string path = dir.file("backup:2024.db");
  auto store = open_migrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteStore, RedactedUrlHidesPasswords) {
  EXPECT_EQ(redacted_url("postgresql://news:s3cr%40t@db.example:5432/news?sslmode=require"),
            "postgresql://news:***@db.example:5432/news?sslmode=require");
  EXPECT_EQ(redacted_url("postgresql://db/news?user=x&password=hunter2&sslmode=require"),
            "postgresql://db/news?user=x&password=***&sslmode=require");
  EXPECT_EQ(redacted_url("postgresql://news@db/news"), "postgresql://news@db/news");
  EXPECT_EQ(redacted_url("sqlite:data/newsdesk.db"), "sqlite:data/newsdesk.db");
}

TEST(SqliteStore, OpenStoreSendsPostgresUrlsToPostgresWithoutEchoingThePassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused.
  for (const char* url : {"postgresql://user:secret@127.0.0.1:1/newsdesk",
                          "postgres://user:secret@127.0.0.1:1/newsdesk"}) {
    Result<std::unique_ptr<Store>> store = open_store(url);
    ASSERT_FALSE(store) << url;
    EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(store.error().message.find("store/postgres: open"), std::string::npos)
        << store.error().message;
    EXPECT_EQ(store.error().message.find("secret"), std::string::npos) << store.error().message;
  }
  Result<std::unique_ptr<Store>> bad = open_store("postgresql://127.0.0.1:1/x?pool_size=0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
}

TEST(SqliteStore, OpenStoreRejectsUnknownSchemeWithoutEchoingUrl) {
  Result<std::unique_ptr<Store>> store = open_store("mysql://root:secret@db/news");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalid);
  EXPECT_NE(store.error().message.find("mysql"), std::string::npos) << store.error().message;
  EXPECT_EQ(store.error().message.find("secret"), std::string::npos) << store.error().message;
}

TEST(SqliteStore, OpenStoreRejectsSqliteWithSlashes) {
  Result<std::unique_ptr<Store>> store = open_store("sqlite:///var/lib/newsdesk.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalid);
}

TEST(SqliteStore, OpenStoreRejectsEmptyPath) {
  for (const char* url : {"", "sqlite:"}) {
    Result<std::unique_ptr<Store>> store = open_store(url);
    ASSERT_FALSE(store) << "'" << url << "'";
    EXPECT_EQ(store.error().code, ErrorCode::kInvalid);
  }
}

}  // namespace
}  // namespace newsdesk::store

namespace newsdesk::store {
namespace {

model::Item change_test_item(const std::string& slug, std::int64_t published) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = slug;
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{published, 0};
  item.updated_at = model::DateTime{published, 0};
  return item;
}

TEST_P(StoreChanges, TokenChangesOnOwnWrite) {
  auto store = open_store(testing::fresh_url());
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->migrate());
  auto before = (*store)->change_token();
  ASSERT_TRUE(before);
  EXPECT_EQ(*(*store)->change_token(), *before);
  ASSERT_TRUE((*store)->insert_item(change_test_item("a", 100)));
  EXPECT_NE(*(*store)->change_token(), *before);
}

TEST(SqliteStoreChanges, TokenChangesOnAnotherConnectionsCommit) {
  char dir_template[] = "/tmp/newsdesk-store-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/n.db";
  auto reader = open_store("sqlite:" + path);
  auto writer = open_store("sqlite:" + path);
  ASSERT_TRUE(reader && writer);
  ASSERT_TRUE((*writer)->migrate());
  auto before = (*reader)->change_token();
  ASSERT_TRUE(before);
  ASSERT_TRUE((*writer)->insert_item(change_test_item("a", 100)));
  EXPECT_NE(*(*reader)->change_token(), *before);
  std::filesystem::remove_all(dir_template);
}

// Two stores on one database, as two instances would have: for SQLite a
// file, for PostgreSQL the same URL.
std::string shared_url(testing::Backend backend, const std::string& dir) {
  return backend == testing::Backend::kSqlite ? "sqlite:" + dir + "/shared.db"
                                              : testing::fresh_store_url(backend);
}

TEST_P(StoreChanges, TokenChangesWithinASecondOfAnotherStoresCommit) {
  TempDir dir;
  const std::string url = shared_url(backend(), dir.file(""));
  auto reader = open_migrated(url);
  auto writer = open_migrated(url);
  ASSERT_TRUE(reader && writer);
  auto before = reader->change_token();
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(*reader->change_token(), *before);  // nothing happened
  ASSERT_TRUE(writer->insert_item(change_test_item("a", 100)));
  const auto start = std::chrono::steady_clock::now();
  while (*reader->change_token() == *before &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(*reader->change_token(), *before);
}

TEST_P(StoreChanges, OneStoreLeadsAndAnotherTakesOverWhenItGoes) {
  TempDir dir;
  const std::string url = shared_url(backend(), dir.file(""));
  auto first = open_migrated(url);
  auto second = open_migrated(url);
  ASSERT_TRUE(first && second);
  auto first_leads = first->leads();
  ASSERT_TRUE(first_leads) << first_leads.error().message;
  EXPECT_TRUE(*first_leads);
  EXPECT_TRUE(*first->leads());  // and keeps leading
  if (backend() == testing::Backend::kSqlite) {
    EXPECT_TRUE(*second->leads());  // one instance per SQLite file
    return;
  }
  EXPECT_FALSE(*second->leads());
  first.reset();  // the process ends: its connections close
  const auto start = std::chrono::steady_clock::now();
  bool took_over = false;
  while (!took_over && std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    took_over = *second->leads();
    if (!took_over) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(took_over);
}

TEST_P(StoreRedirects, OldPathLeadsToItem) {
  auto store = open_store(testing::fresh_url());
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->migrate());
  auto id = (*store)->insert_item(change_test_item("a", 100));
  ASSERT_TRUE(id);
  EXPECT_EQ((*store)->redirect_target("/old/a/").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE((*store)->add_redirect("/old/a/", *id));
  EXPECT_EQ(*(*store)->redirect_target("/old/a/"), *id);
  ASSERT_TRUE((*store)->add_redirect("/old/a/", *id));  // idempotent
  EXPECT_FALSE((*store)->add_redirect("old/a/", *id));
  auto missing = (*store)->add_redirect("/old/b/", *id + 100);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreAuthors, RoundTripInOrder) {
  auto store = open_store(testing::fresh_url());
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->migrate());
  model::Item item = change_test_item("a", 100);
  item.authors = {"Jane Doe", "Max\nMustermann"};
  auto id = (*store)->insert_item(item);
  ASSERT_TRUE(id);
  auto loaded = (*store)->item_by_id(*id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->authors, (std::vector<std::string>{"Jane Doe", "Max Mustermann"}));
  item = *loaded;
  item.authors.clear();
  ASSERT_TRUE((*store)->update_item(item));
  EXPECT_TRUE((*store)->item_by_id(*id)->authors.empty());
}

TEST_P(StoreSources, RemembersValidatorsPerUrl) {
  auto store = open_store(testing::fresh_url());
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->migrate());
  auto unknown = (*store)->source_state("https://example.org/rss.xml");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->etag, "");
  ASSERT_TRUE((*store)->save_source_state("https://example.org/rss.xml", {"\"v1\"", "Mon"}));
  ASSERT_TRUE((*store)->save_source_state("https://example.org/rss.xml", {"\"v2\"", "Tue"}));
  auto known = (*store)->source_state("https://example.org/rss.xml");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->etag, "\"v2\"");
  EXPECT_EQ(known->last_modified, "Tue");
}

TEST_P(StoreChanges, NextPublicationIsTheEarliestFutureOne) {
  auto store = open_store(testing::fresh_url());
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->migrate());
  EXPECT_EQ(*(*store)->next_publication(0), std::nullopt);
  ASSERT_TRUE((*store)->insert_item(change_test_item("a", 100)));
  ASSERT_TRUE((*store)->insert_item(change_test_item("b", 300)));
  ASSERT_TRUE((*store)->insert_item(change_test_item("c", 200)));
  EXPECT_EQ(*(*store)->next_publication(100), std::optional<std::int64_t>(200));
  EXPECT_EQ(*(*store)->next_publication(300), std::nullopt);
}

// --- migration 3 ------------------------------------------------------------

// Runs several statements on the file through a raw connection.
void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    ADD_FAILURE() << "raw open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return;
  }
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    ADD_FAILURE() << "raw exec: " << (message != nullptr ? message : "?");
  }
  sqlite3_free(message);
  sqlite3_close(db);
}

// A database as newsdesk left it at schema version 2, with one item.
void make_version_2_database(const std::string& path) {
  std::string sql;
  for (const sqlite::Migration& migration : sqlite::migrations()) {
    if (migration.version > 2) break;
    sql += std::string(migration.sql);
  }
  sql +=
      "PRAGMA user_version = 2;"
      "INSERT INTO items (id, guid, slug, title, teaser, body_html, status, published_at,"
      " published_offset, updated_at) VALUES (7, 'urn:uuid:old', 'old-item', 'Old title',"
      " 'Old teaser', '<p>Talks on <b>frontex</b> &amp; borders</p>', 'published', 100, 0, 100);";
  raw_exec(path, sql);
}

TEST(SqliteStoreMigration3, UpgradesVersion2DatabaseKeepingItems) {
  TempDir dir;
  const std::string path = dir.file("v2.db");
  make_version_2_database(path);
  ASSERT_EQ(raw_sql(path, "PRAGMA user_version"), "2");

  auto store = open_migrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->schema_version(), sqlite::latest_schema_version());
  Result<Item> item = store->item_by_slug("old-item");
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->id, 7);
  EXPECT_EQ(item->lead_image, std::nullopt);
  EXPECT_TRUE(item->related_links.empty());
}

TEST(SqliteStoreMigration3, IndexesExistingItemsForSearch) {
  TempDir dir;
  const std::string path = dir.file("v2.db");
  make_version_2_database(path);

  auto store = open_migrated(path);
  ASSERT_NE(store, nullptr);
  model::SearchQuery query{{model::SearchTerm{{"frontex"}, false, false}}};
  Result<SearchResults> found = store->search(query, ItemQuery{});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->total, 1);
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].item.slug, "old-item");
  // The body was indexed as text: tags gone, entities decoded.
  EXPECT_EQ(found->hits[0].snippet_html, "Talks on <mark>frontex</mark> &amp; borders");
}

TEST(SqliteStoreMigration3, MigratesAFreshDatabaseWithoutItems) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->schema_version(), sqlite::latest_schema_version());
}

// --- lead image and related links ------------------------------------------

Item illustrated(const std::string& slug) {
  Item item = sample_item(slug);
  item.lead_image = model::LeadImage{"https://example.org/img/" + slug + ".jpg", "A harbour"};
  // Not in title or url order: the stored order must be ours.
  item.related_links = {
      model::RelatedLink{"Annual report 2017", "https://example.org/report-2017.pdf"},
      model::RelatedLink{"", "https://example.org/a"},
      model::RelatedLink{"Annual report 2016", "https://example.org/report-2016.pdf"},
  };
  return item;
}

TEST_P(StoreLeadImage, RoundTripsThroughInsertAndItemById) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const Item given = illustrated("pictured");
  Result<std::int64_t> id = store->insert_item(given);
  ASSERT_TRUE(id) << id.error().message;
  Result<Item> stored = store->item_by_id(*id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(*stored, with_ids_of(given, *stored));
  ASSERT_TRUE(stored->lead_image.has_value());
  EXPECT_EQ(stored->lead_image->alt, "A harbour");
}

TEST_P(StoreLeadImage, ItemWithoutLeadImageReadsBackWithout) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(sample_item("plain")));
  EXPECT_EQ(store->item_by_slug("plain")->lead_image, std::nullopt);
}

TEST_P(StoreLeadImage, UpdateReplacesAndRemovesIt) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(illustrated("pictured"));
  ASSERT_TRUE(id);
  Item item = *store->item_by_id(*id);
  item.lead_image = model::LeadImage{"https://example.org/other.png", "Other"};
  ASSERT_TRUE(store->update_item(item));
  EXPECT_EQ(store->item_by_id(*id)->lead_image,
            (model::LeadImage{"https://example.org/other.png", "Other"}));
  item.lead_image.reset();
  ASSERT_TRUE(store->update_item(item));
  EXPECT_EQ(store->item_by_id(*id)->lead_image, std::nullopt);
}

TEST_P(StoreRelatedLinks, ReadBackInOrderFromList) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(illustrated("first")));
  ASSERT_TRUE(store->insert_item(sample_item("second")));
  Result<std::vector<Item>> items = store->list_items(ItemQuery{});
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 2u);
  for (const Item& item : *items) {
    if (item.slug == "first") {
      EXPECT_EQ(item.related_links, illustrated("first").related_links);
      EXPECT_EQ(item.lead_image, illustrated("first").lead_image);
    } else {
      EXPECT_TRUE(item.related_links.empty());
    }
  }
}

TEST_P(StoreRelatedLinks, UpdateReplacesThem) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(illustrated("linked"));
  ASSERT_TRUE(id);
  Item item = *store->item_by_id(*id);
  item.related_links = {model::RelatedLink{"Only", "https://example.org/only"}};
  ASSERT_TRUE(store->update_item(item));
  EXPECT_EQ(store->item_by_id(*id)->related_links, item.related_links);
  item.related_links.clear();
  ASSERT_TRUE(store->update_item(item));
  EXPECT_TRUE(store->item_by_id(*id)->related_links.empty());
}

// --- archive ranges ---------------------------------------------------------

std::unique_ptr<Store> store_with_times(const std::vector<std::int64_t>& times) {
  auto store = open_migrated();
  if (store == nullptr) return store;
  for (std::int64_t t : times) {
    EXPECT_TRUE(store->insert_item(published_at(draft_item("t" + std::to_string(t)), t)));
  }
  return store;
}

TEST_P(StoreRange, ListKeepsPublishedFromInclusiveAndUntilExclusive) {
  auto store = store_with_times({100, 200, 300, 400});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(draft_item("undated")));
  ItemQuery query;
  query.published_from = 200;
  query.published_until = 400;
  EXPECT_EQ(slugs_of(*store->list_items(query)), (std::vector<std::string>{"t300", "t200"}));
}

TEST_P(StoreRange, EitherEndMayBeOpen) {
  auto store = store_with_times({100, 200, 300});
  ASSERT_NE(store, nullptr);
  ItemQuery from;
  from.published_from = 200;
  EXPECT_EQ(slugs_of(*store->list_items(from)), (std::vector<std::string>{"t300", "t200"}));
  ItemQuery until;
  until.published_until = 200;
  EXPECT_EQ(slugs_of(*store->list_items(until)), (std::vector<std::string>{"t100"}));
}

TEST_P(StoreRange, CountHonoursRange) {
  auto store = store_with_times({100, 200, 300, 400});
  ASSERT_NE(store, nullptr);
  ItemQuery query;
  query.published_from = 150;
  query.published_until = 400;
  query.limit = 1;
  EXPECT_EQ(*store->count_items(query), 2);
}

TEST_P(StoreRange, LastChangeHonoursRange) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item early = published_at(draft_item("early"), 100);
  early.updated_at = DateTime{.epoch_seconds = 5000, .offset_minutes = 0};
  Item late = published_at(draft_item("late"), 300);
  late.updated_at = DateTime{.epoch_seconds = 9000, .offset_minutes = 0};
  ASSERT_TRUE(store->insert_item(early));
  ASSERT_TRUE(store->insert_item(late));
  ItemQuery query;
  query.published_until = 200;
  Result<std::optional<DateTime>> change = store->last_change(query);
  ASSERT_TRUE(change) << change.error().message;
  ASSERT_TRUE(change->has_value());
  EXPECT_EQ((*change)->epoch_seconds, 5000);
}

TEST_P(StorePublishedTimes, AreNewestFirstWithRepeats) {
  auto store = store_with_times({300, 100, 400, 200});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(published_at(draft_item("again"), 200)));
  ASSERT_TRUE(store->insert_item(draft_item("undated")));
  Result<std::vector<std::int64_t>> times = store->published_times(ItemQuery{});
  ASSERT_TRUE(times) << times.error().message;
  EXPECT_EQ(*times, (std::vector<std::int64_t>{400, 300, 200, 200, 100}));
}

TEST_P(StorePublishedTimes, HonourRangeAndIgnorePaging) {
  auto store = store_with_times({100, 200, 300, 400, 500});
  ASSERT_NE(store, nullptr);
  ItemQuery query;
  query.published_from = 200;
  query.published_until = 500;
  query.limit = 1;
  query.offset = 1;
  EXPECT_EQ(*store->published_times(query), (std::vector<std::int64_t>{400, 300, 200}));
}

TEST_P(StorePublishedTimes, HonourStatusCategoryAndPublishedBefore) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item news = published_at(draft_item("news"), 100);
  news.categories = {Category{.id = 0, .slug = "news", .name = "News"}};
  ASSERT_TRUE(store->insert_item(news));
  Item scheduled = published_at(draft_item("scheduled"), 200);
  scheduled.status = Status::kScheduled;
  scheduled.categories = news.categories;
  ASSERT_TRUE(store->insert_item(scheduled));
  Item future = published_at(draft_item("future"), 900);
  future.categories = news.categories;
  ASSERT_TRUE(store->insert_item(future));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("elsewhere"), 150)));

  ItemQuery query;
  query.status = Status::kPublished;
  query.category_slug = "news";
  query.published_before = 500;
  EXPECT_EQ(*store->published_times(query), (std::vector<std::int64_t>{100}));
}

// --- deletion ---------------------------------------------------------------

TEST_P(StoreDelete, RemovesItemAndMarksSlugGone) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(illustrated("doomed"));
  ASSERT_TRUE(id);
  EXPECT_FALSE(*store->slug_gone("doomed"));

  Result<void> r = store->delete_item(*id);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(store->item_by_id(*id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->item_by_slug("doomed").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(*store->slug_gone("doomed"));
  EXPECT_FALSE(*store->slug_gone("never-existed"));
}

TEST_P(StoreDelete, RemovesRedirectsAndKeepsCategories) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(sample_item("doomed"));
  ASSERT_TRUE(id);
  ASSERT_TRUE(store->add_redirect("/news-centre/news-detail/doomed/", *id));
  ASSERT_TRUE(store->delete_item(*id));
  EXPECT_EQ(store->redirect_target("/news-centre/news-detail/doomed/").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store->categories()->size(), 2u);
  ItemQuery query;
  query.category_slug = "press-release";
  EXPECT_EQ(*store->count_items(query), 0);
}

TEST_P(StoreDelete, MissingItemIsNotFound) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<void> r = store->delete_item(42);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreDelete, InsertWithGoneSlugClearsIt) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(sample_item("reused"));
  ASSERT_TRUE(id);
  ASSERT_TRUE(store->delete_item(*id));
  ASSERT_TRUE(*store->slug_gone("reused"));

  Item again = sample_item("reused");
  again.guid = "urn:uuid:another";
  ASSERT_TRUE(store->insert_item(again));
  EXPECT_FALSE(*store->slug_gone("reused"));
}

TEST_P(StoreDelete, GoneSlugStaysClearedAfterTheNewItemMovesOn) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> first = store->insert_item(sample_item("reused"));
  ASSERT_TRUE(first);
  ASSERT_TRUE(store->delete_item(*first));
  Item again = sample_item("reused");
  again.guid = "urn:uuid:another";
  Result<std::int64_t> second = store->insert_item(again);
  ASSERT_TRUE(second);
  // The new item takes another slug: "reused" was given away and is not
  // gone any more (the interface: gone until an item takes it again).
  Item moved = *store->item_by_id(*second);
  moved.slug = "moved";
  ASSERT_TRUE(store->update_item(moved));
  EXPECT_FALSE(*store->slug_gone("reused"));
}

TEST_P(StoreDelete, UpdateTakingGoneSlugClearsIt) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> doomed = store->insert_item(sample_item("doomed"));
  Result<std::int64_t> other = store->insert_item(sample_item("other"));
  ASSERT_TRUE(doomed && other);
  ASSERT_TRUE(store->delete_item(*doomed));
  Item item = *store->item_by_id(*other);
  item.slug = "doomed";
  ASSERT_TRUE(store->update_item(item));
  EXPECT_FALSE(*store->slug_gone("doomed"));
}

TEST_P(StoreDelete, RolledBackTransactionKeepsItem) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(sample_item("kept"));
  ASSERT_TRUE(id);
  Result<void> r = store->transaction([&](Store& tx) -> Result<void> {
    if (auto d = tx.delete_item(*id); !d) return d;
    return make_error(ErrorCode::kConflict, "changed my mind");
  });
  ASSERT_FALSE(r);
  EXPECT_TRUE(store->item_by_id(*id));
  EXPECT_FALSE(*store->slug_gone("kept"));
}

// --- neighbours -------------------------------------------------------------

TEST_P(StoreNeighbours, MiddleItemHasBoth) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(published_at(draft_item("old"), 100)));
  Result<std::int64_t> middle = store->insert_item(published_at(draft_item("middle"), 200));
  ASSERT_TRUE(store->insert_item(published_at(draft_item("new"), 300)));
  ASSERT_TRUE(middle);

  Result<Neighbours> n = store->neighbours(*middle, ItemQuery{});
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_TRUE(n->newer.has_value());
  ASSERT_TRUE(n->older.has_value());
  EXPECT_EQ(n->newer->slug, "new");
  EXPECT_EQ(n->older->slug, "old");
}

TEST_P(StoreNeighbours, NewestHasNoNewerAndOldestNoOlder) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> oldest = store->insert_item(published_at(draft_item("old"), 100));
  Result<std::int64_t> newest = store->insert_item(published_at(draft_item("new"), 300));
  ASSERT_TRUE(oldest && newest);

  Result<Neighbours> top = store->neighbours(*newest, ItemQuery{});
  ASSERT_TRUE(top) << top.error().message;
  EXPECT_FALSE(top->newer.has_value());
  ASSERT_TRUE(top->older.has_value());
  EXPECT_EQ(top->older->slug, "old");

  Result<Neighbours> bottom = store->neighbours(*oldest, ItemQuery{});
  ASSERT_TRUE(bottom) << bottom.error().message;
  ASSERT_TRUE(bottom->newer.has_value());
  EXPECT_EQ(bottom->newer->slug, "new");
  EXPECT_FALSE(bottom->older.has_value());
}

TEST_P(StoreNeighbours, TiesFollowTheListOrder) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(published_at(draft_item("before"), 100)));
  for (const char* slug : {"tie-a", "tie-b", "tie-c"}) {
    ASSERT_TRUE(store->insert_item(published_at(draft_item(slug), 200)));
  }
  ASSERT_TRUE(store->insert_item(published_at(draft_item("after"), 300)));

  ItemQuery all;
  all.limit = 0;
  const std::vector<Item> listed = *store->list_items(all);
  ASSERT_EQ(listed.size(), 5u);
  for (std::size_t i = 0; i < listed.size(); ++i) {
    SCOPED_TRACE(listed[i].slug);
    Result<Neighbours> n = store->neighbours(listed[i].id, ItemQuery{});
    ASSERT_TRUE(n) << n.error().message;
    if (i == 0) {
      EXPECT_FALSE(n->newer.has_value());
    } else {
      ASSERT_TRUE(n->newer.has_value());
      EXPECT_EQ(n->newer->slug, listed[i - 1].slug);
    }
    if (i + 1 == listed.size()) {
      EXPECT_FALSE(n->older.has_value());
    } else {
      ASSERT_TRUE(n->older.has_value());
      EXPECT_EQ(n->older->slug, listed[i + 1].slug);
    }
  }
}

TEST_P(StoreNeighbours, SkipItemsOutsideTheFilter) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item old = published_at(draft_item("old"), 100);
  old.categories = {Category{.id = 0, .slug = "news", .name = "News"}};
  Result<std::int64_t> old_id = store->insert_item(old);
  ASSERT_TRUE(old_id);
  ASSERT_TRUE(store->insert_item(published_at(draft_item("uncategorised"), 150)));
  Item scheduled = published_at(draft_item("scheduled"), 250);
  scheduled.status = Status::kScheduled;
  scheduled.categories = old.categories;
  ASSERT_TRUE(store->insert_item(scheduled));
  Item middle = published_at(draft_item("middle"), 200);
  middle.categories = old.categories;
  Result<std::int64_t> id = store->insert_item(middle);
  ASSERT_TRUE(id);
  Item future = published_at(draft_item("future"), 900);
  future.categories = old.categories;
  ASSERT_TRUE(store->insert_item(future));

  ItemQuery query;
  query.status = Status::kPublished;
  query.category_slug = "news";
  query.published_before = 500;
  Result<Neighbours> n = store->neighbours(*id, query);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_FALSE(n->newer.has_value());
  ASSERT_TRUE(n->older.has_value());
  EXPECT_EQ(n->older->slug, "old");
  EXPECT_EQ(n->older->title, old.title);
  EXPECT_EQ(n->older->id, *old_id);
}

TEST_P(StoreNeighbours, CarryWhatALinkNeeds) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item old = published_at(draft_item("old"), 100);
  old.title = "The older one";
  old.language = "fr";
  Result<std::int64_t> old_id = store->insert_item(old);
  Result<std::int64_t> middle = store->insert_item(published_at(draft_item("middle"), 200));
  Item top = published_at(draft_item("new"), 300);
  top.title = "The newer one";
  top.language = "ar";
  Result<std::int64_t> top_id = store->insert_item(top);
  ASSERT_TRUE(old_id && middle && top_id);

  Result<Neighbours> n = store->neighbours(*middle, ItemQuery{});
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_TRUE(n->newer && n->older);
  EXPECT_EQ(n->newer->id, *top_id);
  EXPECT_EQ(n->newer->slug, "new");
  EXPECT_EQ(n->newer->title, "The newer one");
  EXPECT_EQ(n->newer->language, "ar");
  EXPECT_EQ(n->newer->published_at, 300);
  EXPECT_EQ(n->older->id, *old_id);
  EXPECT_EQ(n->older->title, "The older one");
  EXPECT_EQ(n->older->language, "fr");
  EXPECT_EQ(n->older->published_at, 100);
}

// Equal published_at: the id decides, as in list_items, also when the
// neighbour sits at the far end of a run of ties and in a category.
TEST_P(StoreNeighbours, TiesInACategoryFollowTheListOrder) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const std::vector<Category> news = {Category{.id = 0, .slug = "news", .name = "News"}};
  for (const char* slug : {"a", "b", "c", "d", "e", "f"}) {
    Item item = published_at(draft_item(slug), 200);
    // b and e are left out of the category: the neighbours of their
    // siblings jump over them.
    if (std::string_view(slug) != "b" && std::string_view(slug) != "e") item.categories = news;
    ASSERT_TRUE(store->insert_item(item));
  }
  ItemQuery in_news;
  in_news.category_slug = "news";
  in_news.limit = 0;
  const std::vector<Item> listed = *store->list_items(in_news);
  ASSERT_EQ(listed.size(), 4u);
  for (std::size_t i = 0; i < listed.size(); ++i) {
    SCOPED_TRACE(listed[i].slug);
    Result<Neighbours> n = store->neighbours(listed[i].id, in_news);
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(n->newer.has_value(), i > 0);
    if (i > 0 && n->newer) {
      EXPECT_EQ(n->newer->id, listed[i - 1].id);
    }
    EXPECT_EQ(n->older.has_value(), i + 1 < listed.size());
    if (i + 1 < listed.size() && n->older) {
      EXPECT_EQ(n->older->id, listed[i + 1].id);
    }
  }
}

// Per language, as NewsService::in_language asks: one language and its
// extensions, or every language but some.
TEST_P(StoreNeighbours, FollowTheLanguageFilter) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  std::map<std::string, std::int64_t> ids;
  const std::vector<std::pair<const char*, const char*>> items = {
      {"en-1", "en"}, {"fr-1", "fr"}, {"en-2", "en"}, {"fr-ca", "fr-CA"},
      {"de-1", "de"}, {"en-3", "en"}, {"fr-2", "fr"}};
  std::int64_t at = 100;
  for (const auto& [slug, language] : items) {
    Item item = published_at(draft_item(slug), at += 100);
    item.language = language;
    Result<std::int64_t> id = store->insert_item(item);
    ASSERT_TRUE(id);
    ids[slug] = *id;
  }
  ItemQuery french;
  french.language = "fr";
  Result<Neighbours> n = store->neighbours(ids["fr-ca"], french);
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_TRUE(n->newer && n->older);
  EXPECT_EQ(n->newer->slug, "fr-2");
  EXPECT_EQ(n->older->slug, "fr-1");
  // The oldest French item has no older one, whatever other languages hold.
  n = store->neighbours(ids["fr-1"], french);
  ASSERT_TRUE(n);
  EXPECT_FALSE(n->older.has_value());
  ASSERT_TRUE(n->newer.has_value());
  EXPECT_EQ(n->newer->slug, "fr-ca");

  ItemQuery english_view;  // the default language's: every other served one out
  english_view.excluded_languages = {"fr", "ar"};
  n = store->neighbours(ids["en-2"], english_view);
  ASSERT_TRUE(n);
  ASSERT_TRUE(n->newer && n->older);
  EXPECT_EQ(n->newer->slug, "de-1");
  EXPECT_EQ(n->older->slug, "en-1");
  // The newest of the view has no newer one: fr-2 is not in it.
  n = store->neighbours(ids["en-3"], english_view);
  ASSERT_TRUE(n);
  EXPECT_FALSE(n->newer.has_value());
  ASSERT_TRUE(n->older.has_value());
  EXPECT_EQ(n->older->slug, "de-1");
}

TEST_P(StoreNeighbours, IgnoreTheArchiveRange) {
  auto store = store_with_times({100, 200, 300});
  ASSERT_NE(store, nullptr);
  const std::int64_t middle = store->item_by_slug("t200")->id;
  ItemQuery query;
  query.published_from = 200;
  query.published_until = 201;
  Result<Neighbours> n = store->neighbours(middle, query);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_TRUE(n->newer.has_value());
  EXPECT_TRUE(n->older.has_value());
}

TEST_P(StoreNeighbours, MissingItemIsNotFound) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<Neighbours> n = store->neighbours(99, ItemQuery{});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreNeighbours, UndatedItemIsNotFound) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<std::int64_t> id = store->insert_item(draft_item("undated"));
  ASSERT_TRUE(id);
  Result<Neighbours> n = store->neighbours(*id, ItemQuery{});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace newsdesk::store
