// What the sitemap's parts ask of both stores: item stamps a page at a time
// in one stable order, and the stamps of chosen translation groups.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/store_backends.h"

namespace newsdesk::store {
namespace {

constexpr std::int64_t kJuly = 1530691890;

class StoreSitemapStamps : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    testing::StoreBackendTest::SetUp();
    auto opened = open_store(testing::fresh_url());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(opened).value();
    ASSERT_TRUE(store_->migrate());
  }

  std::int64_t add(const std::string& slug, std::int64_t published, std::int64_t translation_of = 0,
                   const std::string& language = "en") {
    model::Item item;
    item.guid = "urn:uuid:" + slug;
    item.slug = slug;
    item.title = "Title " + slug;
    item.language = language;
    item.status = model::Status::kPublished;
    item.published_at = model::DateTime{published, 0};
    item.updated_at = model::DateTime{published, 60};
    item.translation_of = translation_of;
    auto id = store_->insert_item(item);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  std::vector<ItemStamp> stamps(ItemQuery query) {
    auto got = store_->list_stamps(query);
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : std::vector<ItemStamp>{};
  }

  std::unique_ptr<Store> store_;
};
NEWSDESK_STORE_BACKENDS(StoreSitemapStamps);

TEST_P(StoreSitemapStamps, PagesCoverEveryItemOnceNewestFirstTiesByIdDescending) {
  // Three items share each second: only the id orders them.
  for (int i = 0; i < 30; ++i) add("item-" + std::to_string(i), kJuly + i / 3);
  ItemQuery all;
  all.status = model::Status::kPublished;
  all.limit = 0;
  const std::vector<ItemStamp> whole = stamps(all);
  ASSERT_EQ(whole.size(), 30u);
  for (std::size_t i = 1; i < whole.size(); ++i) {
    EXPECT_GT(whole[i - 1].id, whole[i].id) << i;  // inserted oldest first
  }
  EXPECT_EQ(whole.front().slug, "item-29");
  EXPECT_EQ(whole.front().updated_at, (model::DateTime{kJuly + 9, 60}));
  std::vector<std::int64_t> paged;
  for (int offset = 0; offset < 40; offset += 7) {
    ItemQuery page = all;
    page.limit = 7;
    page.offset = offset;
    const std::vector<ItemStamp> got = stamps(page);
    EXPECT_LE(got.size(), 7u);
    for (const ItemStamp& s : got) paged.push_back(s.id);
  }
  std::vector<std::int64_t> expected;
  for (const ItemStamp& s : whole) expected.push_back(s.id);
  EXPECT_EQ(paged, expected);
}

TEST_P(StoreSitemapStamps, TranslationGroupsTakeOriginalsAndTheirTranslationsOnly) {
  const std::int64_t a = add("a", kJuly);
  const std::int64_t a_fr = add("a-fr", kJuly + 1, a, "fr");
  const std::int64_t b = add("b", kJuly + 2);
  const std::int64_t b_de = add("b-de", kJuly + 3, b, "de");
  add("c", kJuly + 4);
  ItemQuery query;
  query.limit = 0;
  query.translation_groups = {a, b_de};  // b-de names no group of its own
  std::set<std::int64_t> got;
  for (const ItemStamp& s : stamps(query)) got.insert(s.id);
  EXPECT_EQ(got, (std::set<std::int64_t>{a, a_fr, b_de}));
  query.translation_groups = {b};
  got.clear();
  const std::vector<ItemStamp> group = stamps(query);
  for (const ItemStamp& s : group) got.insert(s.id);
  EXPECT_EQ(got, (std::set<std::int64_t>{b, b_de}));
  ASSERT_EQ(group.size(), 2u);
  EXPECT_EQ(group[0].id, b_de);  // newest first
  EXPECT_EQ(group[0].translation_of, b);
  EXPECT_EQ(group[0].language, "de");
}

TEST_P(StoreSitemapStamps, ManyTranslationGroupsInOneQuery) {
  std::vector<std::int64_t> originals;
  for (int i = 0; i < 60; ++i) {
    const std::int64_t id = add("o-" + std::to_string(i), kJuly + i);
    add("t-" + std::to_string(i), kJuly + i, id, "fr");
    originals.push_back(id);
  }
  ItemQuery query;
  query.limit = 0;
  query.translation_groups = originals;
  // Ids that are no group (nor item) add nothing.
  for (std::int64_t missing = 100000; missing < 100400; ++missing) {
    query.translation_groups.push_back(missing);
  }
  EXPECT_EQ(stamps(query).size(), 120u);
  query.translation_groups.resize(10);
  EXPECT_EQ(stamps(query).size(), 20u);
}

}  // namespace
}  // namespace newsdesk::store
