// `newsdesk copy`: a site goes SQLite -> PostgreSQL -> SQLite through the
// real binary and comes back with every row and id it had.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "support/process.h"
#include "support/store_backends.h"

namespace newsdesk {
namespace {

using store::Store;

std::unique_ptr<Store> open_migrated(const std::string& url) {
  auto store = store::open_store(url);
  EXPECT_TRUE(store) << store.error().message;
  if (!store) return nullptr;
  EXPECT_TRUE((*store)->migrate());
  return std::move(store).value();
}

model::Item item(const std::string& slug, std::int64_t published) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = "Border talks " + slug;
  item.teaser = "Teaser of " + slug;
  item.body_html = "<p>Visa policy &amp; migration in " + slug + "</p>";
  item.body_markdown = "Visa policy & migration in " + slug;
  item.language = "en";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{published, 60};
  item.updated_at = model::DateTime{published + 5, 60};
  item.categories = {{0, "press-release", "Press Release"}, {0, "statements", "Statements"}};
  item.attachments = {
      {0, "https://example.org/" + slug + ".pdf", slug + ".pdf", "application/pdf", 4, false}};
  item.related_links = {{"Related", "https://example.org/related/" + slug}};
  item.contact = {"Press Office", "press@example.org", "+43 1 234"};
  item.expires_at = published + 1000000;
  item.archive_on_expiry = true;
  return item;
}

// Fills a site with one of everything copy promises to keep.
void fill(Store& site) {
  model::User admin{0, "admin", model::Role::kAdmin, "$argon2id$hash", 100};
  const std::int64_t admin_id = *site.insert_user(admin);
  ASSERT_TRUE(site.insert_user({0, "author", model::Role::kAuthor, "$argon2id$other", 101}));
  ASSERT_TRUE(site.insert_api_token({0, admin_id, "ci", "tokendigest", 102, 103}));
  ASSERT_TRUE(site.insert_session({"sessiondigest", admin_id, "csrf", 104, 4000000000}));
  for (int i = 0; i < 5; ++i) {
    model::Item it = item("item-" + std::to_string(i), 1600000000 + i * 3600);
    it.author_id = admin_id;
    auto id = site.insert_item(it);
    ASSERT_TRUE(id) << id.error().message;
    ASSERT_TRUE(site.insert_revision({0, *id, admin_id, 105, "{\"title\":\"r1\"}"}));
    ASSERT_TRUE(site.insert_revision({0, *id, 0, 106, "{\"title\":\"r2\"}"}));
  }
  model::Item draft = item("a-draft", 0);
  draft.status = model::Status::kDraft;
  draft.published_at.reset();
  ASSERT_TRUE(site.insert_item(draft));
  auto first = site.item_by_slug("item-0");
  ASSERT_TRUE(first);
  // Bytes with a NUL and high bytes: copied as bytes, not text.
  ASSERT_TRUE(site.save_attachment_file(first->attachments[0].id, "application/pdf",
                                        std::string("%PDF\0\xff\x01", 7)));
  ASSERT_TRUE(site.add_redirect("/news-centre/news-detail/item-0/", first->id));
  auto gone = site.item_by_slug("item-4");
  ASSERT_TRUE(gone);
  ASSERT_TRUE(site.delete_item(gone->id));
  ASSERT_TRUE(site.insert_press_feed({0, "Daily News", "pressdigest", 107}));
  ASSERT_TRUE(site.save_setting("site.title", "Copied News Centre"));
  ASSERT_TRUE(site.save_source_state("https://example.org/rss.xml", {"\"e1\"", "Mon"}));
}

// Everything a reader or an editor could see, compared between two sites.
void expect_same_site(Store& a, Store& b) {
  store::ItemQuery all;
  all.limit = 0;
  auto items_a = a.list_items(all);
  auto items_b = b.list_items(all);
  ASSERT_TRUE(items_a && items_b);
  ASSERT_EQ(items_a->size(), 5u);
  EXPECT_EQ(*items_a, *items_b);
  for (const model::Item& it : *items_a) {
    auto revisions_a = a.revisions(it.id);
    auto revisions_b = b.revisions(it.id);
    ASSERT_TRUE(revisions_a && revisions_b);
    ASSERT_EQ(revisions_a->size(), revisions_b->size());
    for (std::size_t i = 0; i < revisions_a->size(); ++i) {
      EXPECT_EQ((*revisions_a)[i].id, (*revisions_b)[i].id);
      EXPECT_EQ((*revisions_a)[i].user_id, (*revisions_b)[i].user_id);
      EXPECT_EQ((*revisions_a)[i].snapshot, (*revisions_b)[i].snapshot);
    }
    for (const model::Attachment& attachment : it.attachments) {
      auto file_a = a.attachment_file(attachment.id);
      auto file_b = b.attachment_file(attachment.id);
      EXPECT_EQ(bool(file_a), bool(file_b)) << attachment.id;
      if (file_a && file_b) {
        EXPECT_EQ(file_a->bytes, file_b->bytes);
        EXPECT_EQ(file_a->digest, file_b->digest);
        EXPECT_EQ(file_a->media_type, file_b->media_type);
      }
    }
  }
  auto users_a = a.users();
  auto users_b = b.users();
  ASSERT_TRUE(users_a && users_b);
  EXPECT_EQ(*users_a, *users_b);
  EXPECT_EQ(*a.api_tokens(0), *b.api_tokens(0));
  auto session = b.session_by_digest("sessiondigest");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->csrf_token, "csrf");
  EXPECT_EQ(*a.categories(), *b.categories());
  EXPECT_EQ(*b.redirect_target("/news-centre/news-detail/item-0/"),
            *a.redirect_target("/news-centre/news-detail/item-0/"));
  EXPECT_TRUE(*b.slug_gone("item-4"));
  ASSERT_EQ(b.press_feeds()->size(), 1u);
  EXPECT_EQ(b.press_feeds()->front().digest, "pressdigest");
  EXPECT_EQ(*b.setting("site.title"), "Copied News Centre");
  EXPECT_EQ(b.source_state("https://example.org/rss.xml")->etag, "\"e1\"");
  // The search index is the target's own, rebuilt.
  model::SearchQuery visa{{model::SearchTerm{{"visa"}, false, false}}};
  store::ItemQuery filter;
  filter.limit = 10;
  auto found = b.search(visa, filter);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->total, 5);
}

TEST(CopyCommand, SqliteToPostgresAndBackLosesNothing) {
  testing::TempDir dir;
  const std::string source_url = "sqlite:" + dir.path() + "/source.db";
  const std::string postgres_url = testing::fresh_store_url(testing::Backend::kPostgres);
  const std::string back_url = "sqlite:" + dir.path() + "/back.db";
  {
    auto source = open_migrated(source_url);
    ASSERT_NE(source, nullptr);
    fill(*source);
    if (HasFatalFailure()) return;
  }
  auto there = testing::run_command(
      {testing::newsdesk_binary(), "copy", "--from", source_url, "--to", postgres_url});
  ASSERT_EQ(there.exit_code, 0) << there.err;
  EXPECT_NE(there.out.find("copied 5 rows of items"), std::string::npos) << there.out;
  auto back = testing::run_command(
      {testing::newsdesk_binary(), "copy", "--from", postgres_url, "--to", back_url});
  ASSERT_EQ(back.exit_code, 0) << back.err;

  auto source = open_migrated(source_url);
  auto postgres = open_migrated(postgres_url);
  auto returned = open_migrated(back_url);
  ASSERT_TRUE(source && postgres && returned);
  expect_same_site(*source, *postgres);
  expect_same_site(*source, *returned);

  // New rows get new ids after the copied ones.
  model::Item fresh = item("after-copy", 1700000000);
  auto id = postgres->insert_item(fresh);
  ASSERT_TRUE(id) << id.error().message;
  store::ItemQuery all;
  all.limit = 0;
  auto copied = source->list_items(all);
  ASSERT_TRUE(copied);
  for (const model::Item& it : *copied) EXPECT_GT(*id, it.id);
}

TEST(CopyCommand, RefusesATargetThatHoldsASite) {
  testing::TempDir dir;
  const std::string source_url = "sqlite:" + dir.path() + "/source.db";
  const std::string postgres_url = testing::fresh_store_url(testing::Backend::kPostgres);
  {
    auto source = open_migrated(source_url);
    ASSERT_NE(source, nullptr);
    ASSERT_TRUE(source->insert_item(item("one", 1600000000)));
    auto target = open_migrated(postgres_url);
    ASSERT_NE(target, nullptr);
    ASSERT_TRUE(target->insert_item(item("other", 1600000000)));
  }
  auto result = testing::run_command(
      {testing::newsdesk_binary(), "copy", "--from", source_url, "--to", postgres_url});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("already holds a site"), std::string::npos) << result.err;
  auto target = open_migrated(postgres_url);
  store::ItemQuery all;
  all.limit = 0;
  EXPECT_EQ(*target->count_items(all), 1);
}

}  // namespace
}  // namespace newsdesk
