// Attachment files in the SQLite store (schema version 4).

#include <gtest/gtest.h>

#include <string>

#include "store/store.h"
#include "support/store_backends.h"

namespace newsdesk::store {
namespace {

class StoreAttachmentFiles : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreAttachmentFiles);

std::unique_ptr<Store> open_memory() {
  auto store = open_store(testing::fresh_url());
  if (!store || !(*store)->migrate()) return nullptr;
  return std::move(*store);
}

model::Item item_with_files(const std::string& slug) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = "Title " + slug;
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1531210290, 120};
  item.updated_at = model::DateTime{1531210290, 120};
  for (const char* name : {"a.pdf", "b.pdf"}) {
    model::Attachment a;
    a.url = std::string("https://example.org/") + name;
    a.name = name;
    a.media_type = "application/pdf";
    item.attachments.push_back(a);
  }
  return item;
}

TEST_P(StoreAttachmentFiles, SavedBytesReadBackWithNameItemAndDigest) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  auto item = store->item_by_id(*id);
  ASSERT_TRUE(item);
  const std::int64_t file_id = item->attachments[0].id;
  const std::string bytes("%PDF-1.4\0binary\xff", 16);
  ASSERT_TRUE(store->save_attachment_file(file_id, "application/pdf", bytes));

  auto file = store->attachment_file(file_id);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->bytes, bytes);
  EXPECT_EQ(file->media_type, "application/pdf");
  EXPECT_EQ(file->name, "a.pdf");
  EXPECT_EQ(file->item_id, *id);
  EXPECT_EQ(file->digest.size(), 16u);
  EXPECT_GT(file->stored_at, 0);
}

TEST_P(StoreAttachmentFiles, RefsSayWhichAreStored) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  auto item = store->item_by_id(*id);
  ASSERT_TRUE(item);
  ASSERT_TRUE(store->save_attachment_file(item->attachments[1].id, "application/pdf", "%PDF-"));
  auto refs = store->attachment_refs();
  ASSERT_TRUE(refs);
  ASSERT_EQ(refs->size(), 2u);
  EXPECT_EQ((*refs)[0].url, "https://example.org/a.pdf");
  EXPECT_EQ((*refs)[0].item_id, *id);
  EXPECT_FALSE((*refs)[0].has_file);
  EXPECT_TRUE((*refs)[1].has_file);
}

TEST_P(StoreAttachmentFiles, BytesAreWriteOnce) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  const std::int64_t file_id = store->item_by_id(*id)->attachments[0].id;
  ASSERT_TRUE(store->save_attachment_file(file_id, "application/pdf", "%PDF-first"));
  auto again = store->save_attachment_file(file_id, "application/pdf", "%PDF-second");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store->attachment_file(file_id)->bytes, "%PDF-first");
}

TEST_P(StoreAttachmentFiles, UnknownAttachmentOrMissingBytesIsNotFound) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto saved = store->save_attachment_file(42, "application/pdf", "%PDF-");
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kNotFound);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  auto file = store->attachment_file(store->item_by_id(*id)->attachments[0].id);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->attachment_file(42).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreAttachmentFiles, EmptyMediaTypeIsInvalid) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  auto saved = store->save_attachment_file(store->item_by_id(*id)->attachments[0].id, "", "x");
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kInvalid);
}

TEST_P(StoreAttachmentFiles, GoWithTheirAttachmentAndItem) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  model::Item item = *store->item_by_id(*id);
  const std::int64_t kept = item.attachments[1].id;
  const std::int64_t dropped = item.attachments[0].id;
  ASSERT_TRUE(store->save_attachment_file(kept, "application/pdf", "%PDF-kept"));
  ASSERT_TRUE(store->save_attachment_file(dropped, "application/pdf", "%PDF-dropped"));

  item.attachments.erase(item.attachments.begin());
  ASSERT_TRUE(store->update_item(item));
  EXPECT_EQ(store->attachment_file(dropped).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->attachment_file(kept)->bytes, "%PDF-kept");

  ASSERT_TRUE(store->delete_item(*id));
  EXPECT_EQ(store->attachment_file(kept).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreAttachmentFiles, SaveInsideTransactionRollsBack) {
  auto store = open_memory();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with_files("one"));
  ASSERT_TRUE(id);
  const std::int64_t file_id = store->item_by_id(*id)->attachments[0].id;
  auto r = store->transaction([&](Store& tx) -> Result<void> {
    if (auto s = tx.save_attachment_file(file_id, "application/pdf", "%PDF-"); !s) return s;
    return make_error(ErrorCode::kInvalid, "abort");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(store->attachment_file(file_id).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace newsdesk::store
