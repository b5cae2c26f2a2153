// Accounts, tokens, sessions, login failures, revisions, settings and the
// editorial item fields in the SQLite store (schema version 5).

#include <gtest/gtest.h>

#include "store/store.h"
#include "support/store_backends.h"

namespace newsdesk::store {
namespace {

class StoreAccounts : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreAccounts);

class StoreEditorialFields : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreEditorialFields);

std::unique_ptr<Store> open_memory() {
  auto store = open_store(testing::fresh_url());
  EXPECT_TRUE(store) << store.error().message;
  EXPECT_TRUE((*store)->migrate());
  return std::move(*store);
}

model::User user(const std::string& name, model::Role role) {
  model::User u;
  u.name = name;
  u.role = role;
  u.password_hash = "$argon2id$fake";
  u.created_at = 1000;
  return u;
}

TEST_P(StoreAccounts, UsersRoundTripAndNamesAreUnique) {
  auto store = open_memory();
  auto id = store->insert_user(user("jane", model::Role::kEditor));
  ASSERT_TRUE(id) << id.error().message;
  auto back = store->user_by_name("jane");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, *id);
  EXPECT_EQ(back->role, model::Role::kEditor);
  EXPECT_EQ(back->password_hash, "$argon2id$fake");
  auto again = store->insert_user(user("jane", model::Role::kAuthor));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store->user_by_name("nobody").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store->insert_user(user("", model::Role::kAuthor)));
}

TEST_P(StoreAccounts, UpdateChangesRoleAndPassword) {
  auto store = open_memory();
  auto id = store->insert_user(user("jane", model::Role::kAuthor));
  ASSERT_TRUE(id);
  model::User changed = *store->user_by_id(*id);
  changed.role = model::Role::kAdmin;
  changed.password_hash = "$argon2id$other";
  ASSERT_TRUE(store->update_user(changed));
  EXPECT_EQ(*store->user_by_id(*id), changed);
  changed.id = 999;
  EXPECT_EQ(store->update_user(changed).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreAccounts, DeletingAUserEndsSessionsAndTokensButKeepsItems) {
  auto store = open_memory();
  const std::int64_t jane = *store->insert_user(user("jane", model::Role::kEditor));
  model::ApiToken token;
  token.user_id = jane;
  token.digest = "d1";
  token.created_at = 5;
  ASSERT_TRUE(store->insert_api_token(token));
  Session session{"s1", jane, "csrf", 5, 500};
  ASSERT_TRUE(store->insert_session(session));
  model::Item item;
  item.guid = "urn:uuid:x";
  item.slug = "x";
  item.author_id = jane;
  const std::int64_t item_id = *store->insert_item(item);
  ASSERT_TRUE(store->insert_revision(Revision{0, item_id, jane, 6, "{}"}));

  ASSERT_TRUE(store->delete_user(jane));
  EXPECT_EQ(store->api_token_by_digest("d1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->session_by_digest("s1").error().code, ErrorCode::kNotFound);
  auto kept = store->item_by_id(item_id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->author_id, 0);
  auto revisions = store->revisions(item_id);
  ASSERT_TRUE(revisions);
  ASSERT_EQ(revisions->size(), 1u);
  EXPECT_EQ(revisions->front().user_id, 0);
  EXPECT_EQ(store->delete_user(jane).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreAccounts, TokensByDigestListAndRevoke) {
  auto store = open_memory();
  const std::int64_t jane = *store->insert_user(user("jane", model::Role::kEditor));
  const std::int64_t joe = *store->insert_user(user("joe", model::Role::kAuthor));
  model::ApiToken a;
  a.user_id = jane;
  a.label = "cms";
  a.digest = "da";
  a.created_at = 1;
  model::ApiToken b = a;
  b.user_id = joe;
  b.digest = "db";
  const std::int64_t a_id = *store->insert_api_token(a);
  ASSERT_TRUE(store->insert_api_token(b));
  EXPECT_EQ(store->api_token_by_digest("da")->label, "cms");
  EXPECT_EQ(store->api_tokens(jane)->size(), 1u);
  EXPECT_EQ(store->api_tokens(0)->size(), 2u);
  ASSERT_TRUE(store->touch_api_token(a_id, 77));
  EXPECT_EQ(store->api_token_by_digest("da")->last_used_at, 77);
  ASSERT_TRUE(store->delete_api_token(a_id));
  EXPECT_FALSE(store->api_token_by_digest("da"));
  EXPECT_EQ(store->delete_api_token(a_id).error().code, ErrorCode::kNotFound);
  model::ApiToken orphan = a;
  orphan.user_id = 12345;
  orphan.digest = "dc";
  EXPECT_EQ(store->insert_api_token(orphan).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreAccounts, ExpiredSessionsGo) {
  auto store = open_memory();
  const std::int64_t jane = *store->insert_user(user("jane", model::Role::kEditor));
  ASSERT_TRUE(store->insert_session(Session{"old", jane, "c", 1, 100}));
  ASSERT_TRUE(store->insert_session(Session{"new", jane, "c", 1, 300}));
  EXPECT_EQ(*store->delete_expired_sessions(200), 1);
  EXPECT_FALSE(store->session_by_digest("old"));
  EXPECT_TRUE(store->session_by_digest("new"));
  ASSERT_TRUE(store->delete_session("new"));
  EXPECT_FALSE(store->session_by_digest("new"));
}

TEST_P(StoreAccounts, LoginFailuresCountInTheirWindow) {
  auto store = open_memory();
  for (std::int64_t t : {100, 200, 300}) ASSERT_TRUE(store->record_login_failure("user:jane", t));
  ASSERT_TRUE(store->record_login_failure("addr:1.2.3.4", 300));
  EXPECT_EQ(*store->count_login_failures("user:jane", 150), 2);
  EXPECT_EQ(*store->count_login_failures("user:jane", 0), 3);
  ASSERT_TRUE(store->clear_login_failures("user:jane"));
  EXPECT_EQ(*store->count_login_failures("user:jane", 0), 0);
  EXPECT_EQ(*store->count_login_failures("addr:1.2.3.4", 0), 1);
}

TEST_P(StoreAccounts, RevisionsNewestFirst) {
  auto store = open_memory();
  model::Item item;
  item.guid = "urn:uuid:r";
  item.slug = "r";
  const std::int64_t id = *store->insert_item(item);
  const std::int64_t first = *store->insert_revision(Revision{0, id, 0, 10, "{\"v\":1}"});
  const std::int64_t second = *store->insert_revision(Revision{0, id, 0, 20, "{\"v\":2}"});
  auto all = store->revisions(id);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).id, second);
  EXPECT_EQ(all->at(1).id, first);
  EXPECT_EQ(store->revision(first)->snapshot, "{\"v\":1}");
  EXPECT_EQ(store->insert_revision(Revision{0, 999, 0, 1, "{}"}).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreAccounts, SettingsUpsert) {
  auto store = open_memory();
  EXPECT_EQ(store->setting("boilerplate").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store->save_setting("boilerplate", "About us"));
  ASSERT_TRUE(store->save_setting("boilerplate", "About us, again"));
  EXPECT_EQ(*store->setting("boilerplate"), "About us, again");
}

TEST_P(StoreEditorialFields, RoundTripAndExpiryFilter) {
  auto store = open_memory();
  const std::int64_t jane = *store->insert_user(user("jane", model::Role::kAuthor));
  model::Item item;
  item.guid = "urn:uuid:e";
  item.slug = "e";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{100, 0};
  item.author_id = jane;
  item.review_requested = true;
  item.embargoed = true;
  item.preview_token = "secret";
  item.expires_at = 500;
  item.contact = model::MediaContact{"Press Office", "press@example.org", "+43 1 234"};
  const std::int64_t id = *store->insert_item(item);
  item.id = id;
  auto back = store->item_by_id(id);
  ASSERT_TRUE(back);
  item.updated_at = back->updated_at;
  EXPECT_EQ(*back, item);

  ItemQuery live;
  live.live_at = 499;
  EXPECT_EQ(*store->count_items(live), 1);
  live.live_at = 500;
  EXPECT_EQ(*store->count_items(live), 0);
  live.keep_archived = true;
  EXPECT_EQ(*store->count_items(live), 0) << "taken down, not archived";
  item.archive_on_expiry = true;
  ASSERT_TRUE(store->update_item(item));
  EXPECT_TRUE(store->item_by_id(id)->archive_on_expiry);
  EXPECT_EQ(*store->count_items(live), 1) << "moved to the archive";
  live.keep_archived = false;
  EXPECT_EQ(*store->count_items(live), 0) << "off the lists all the same";
  // The site changes by itself when the item is taken down.
  EXPECT_EQ(*store->next_publication(200), std::optional<std::int64_t>(500));
  EXPECT_EQ(*store->next_publication(50), std::optional<std::int64_t>(100));
}

}  // namespace
}  // namespace newsdesk::store
