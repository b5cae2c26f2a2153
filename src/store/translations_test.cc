// Item languages and translation groups in both stores: what the per-language
// pages and the editor's translation view ask of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/store_backends.h"

namespace newsdesk::store {
namespace {

class StoreLanguages : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    testing::StoreBackendTest::SetUp();
    auto opened = open_store(testing::fresh_url());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(opened).value();
    ASSERT_TRUE(store_->migrate());
  }

  std::int64_t add(const std::string& slug, const std::string& language,
                   std::int64_t translation_of = 0, std::int64_t published = 1531210290) {
    model::Item item;
    item.guid = "urn:uuid:" + slug;
    item.slug = slug;
    item.title = "Title " + slug;
    item.language = language;
    item.status = model::Status::kPublished;
    item.published_at = model::DateTime{published, 0};
    item.updated_at = model::DateTime{published, 0};
    item.translation_of = translation_of;
    auto id = store_->insert_item(item);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  std::vector<std::string> slugs(const ItemQuery& query) {
    auto items = store_->list_items(query);
    EXPECT_TRUE(items) << items.error().message;
    std::vector<std::string> out;
    if (items) {
      for (const model::Item& i : *items) out.push_back(i.slug);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<Store> store_;
};
NEWSDESK_STORE_BACKENDS(StoreLanguages);

TEST_P(StoreLanguages, LanguageTakesItsExtensionsAndNothingElse) {
  add("en", "en");
  add("fr", "fr");
  add("fr-ca", "fr-CA");
  add("fro", "fro");  // Old French: another language, not an extension
  add("none", "");
  ItemQuery query;
  query.limit = 0;
  query.language = "fr";
  EXPECT_EQ(slugs(query), (std::vector<std::string>{"fr", "fr-ca"}));
  EXPECT_EQ(*store_->count_items(query), 2);
}

TEST_P(StoreLanguages, ExcludedLanguagesLeaveTheRestToTheDefault) {
  add("en", "en");
  add("fr", "fr");
  add("fr-ca", "fr-CA");
  add("ar", "ar");
  add("de", "de");  // a language the site does not serve
  add("none", "");
  ItemQuery query;
  query.limit = 0;
  query.excluded_languages = {"fr", "ar"};
  EXPECT_EQ(slugs(query), (std::vector<std::string>{"de", "en", "none"}));
  EXPECT_EQ(*store_->count_items(query), 3);
}

TEST_P(StoreLanguages, TranslationOfIsStoredAndUpdated) {
  const std::int64_t original = add("original", "en");
  const std::int64_t translation = add("traduction", "fr", original);
  EXPECT_EQ(store_->item_by_id(translation)->translation_of, original);
  EXPECT_EQ(store_->item_by_id(original)->translation_of, 0);
  model::Item item = *store_->item_by_id(translation);
  item.translation_of = 0;
  ASSERT_TRUE(store_->update_item(item));
  EXPECT_EQ(store_->item_by_id(translation)->translation_of, 0);
}

TEST_P(StoreLanguages, GroupHoldsTheOriginalAndItsTranslations) {
  const std::int64_t original = add("original", "en");
  add("traduction", "fr", original);
  add("tarjama", "ar", original);
  add("other", "en");
  ItemQuery query;
  query.limit = 0;
  query.translation_group = original;
  EXPECT_EQ(slugs(query), (std::vector<std::string>{"original", "tarjama", "traduction"}));
  // Public filters apply within a group too.
  query.language = "fr";
  EXPECT_EQ(slugs(query), (std::vector<std::string>{"traduction"}));
}

TEST_P(StoreLanguages, DeletingTheOriginalKeepsTheTranslationsTogether) {
  const std::int64_t original = add("original", "en");
  const std::int64_t fr = add("traduction", "fr", original);
  const std::int64_t ar = add("tarjama", "ar", original);
  ASSERT_TRUE(store_->delete_item(original));
  EXPECT_EQ(store_->item_by_id(fr)->translation_of, 0);  // the oldest is the original now
  EXPECT_EQ(store_->item_by_id(ar)->translation_of, fr);
  ItemQuery query;
  query.limit = 0;
  query.translation_group = fr;
  EXPECT_EQ(slugs(query), (std::vector<std::string>{"tarjama", "traduction"}));
}

TEST_P(StoreLanguages, DeletingATranslationLeavesTheGroup) {
  const std::int64_t original = add("original", "en");
  const std::int64_t fr = add("traduction", "fr", original);
  add("tarjama", "ar", original);
  ASSERT_TRUE(store_->delete_item(fr));
  EXPECT_EQ(store_->item_by_id(original)->translation_of, 0);
  ItemQuery query;
  query.limit = 0;
  query.translation_group = original;
  EXPECT_EQ(slugs(query), (std::vector<std::string>{"original", "tarjama"}));
}

}  // namespace
}  // namespace newsdesk::store
