// A Store that hands every call to another one. A class that changes a few
// calls (the export's snapshot, a test's failing store) derives from it and
// overrides only those.
//
// transaction() hands fn the inner store, so calls made inside a
// transaction go to the inner store directly, not through the overrides.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace newsdesk::store {

class ForwardingStore : public Store {
 public:
  // `inner` must outlive this store.
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  Result<void> migrate() override { return inner_.migrate(); }
  Result<int> schema_version() override { return inner_.schema_version(); }
  Result<std::int64_t> insert_item(const model::Item& item) override {
    return inner_.insert_item(item);
  }
  Result<void> update_item(const model::Item& item) override { return inner_.update_item(item); }
  Result<model::Item> item_by_id(std::int64_t id) override { return inner_.item_by_id(id); }
  Result<model::Item> item_by_slug(std::string_view slug) override {
    return inner_.item_by_slug(slug);
  }
  Result<model::Item> item_by_source_id(std::string_view source_id) override {
    return inner_.item_by_source_id(source_id);
  }
  Result<std::vector<model::Item>> list_items(const ItemQuery& query) override {
    return inner_.list_items(query);
  }
  Result<std::vector<ItemStamp>> list_stamps(const ItemQuery& query) override {
    return inner_.list_stamps(query);
  }
  Result<std::int64_t> count_items(const ItemQuery& query) override {
    return inner_.count_items(query);
  }
  Result<std::map<std::int64_t, std::int64_t>> count_by_category(const ItemQuery& query) override {
    return inner_.count_by_category(query);
  }
  Result<Neighbours> neighbours(std::int64_t id, const ItemQuery& query) override {
    return inner_.neighbours(id, query);
  }
  Result<std::vector<std::int64_t>> published_times(const ItemQuery& query) override {
    return inner_.published_times(query);
  }
  Result<SearchResults> search(const model::SearchQuery& query, const ItemQuery& filter) override {
    return inner_.search(query, filter);
  }
  Result<void> delete_item(std::int64_t id) override { return inner_.delete_item(id); }
  Result<bool> slug_gone(std::string_view slug) override { return inner_.slug_gone(slug); }
  Result<void> rename_category(std::int64_t id, std::string_view name) override {
    return inner_.rename_category(id, name);
  }
  Result<void> delete_category(std::int64_t id) override { return inner_.delete_category(id); }
  Result<std::vector<model::Category>> categories() override { return inner_.categories(); }
  Result<std::optional<model::DateTime>> last_change(const ItemQuery& query) override {
    return inner_.last_change(query);
  }
  Result<void> add_redirect(std::string_view path, std::int64_t item_id) override {
    return inner_.add_redirect(path, item_id);
  }
  Result<std::int64_t> redirect_target(std::string_view path) override {
    return inner_.redirect_target(path);
  }
  Result<SourceState> source_state(std::string_view url) override {
    return inner_.source_state(url);
  }
  Result<void> save_source_state(std::string_view url, const SourceState& state) override {
    return inner_.save_source_state(url, state);
  }
  Result<std::vector<AttachmentRef>> attachment_refs() override { return inner_.attachment_refs(); }
  Result<void> save_attachment_file(std::int64_t attachment_id, std::string_view media_type,
                                    std::string_view bytes) override {
    return inner_.save_attachment_file(attachment_id, media_type, bytes);
  }
  Result<AttachmentFile> attachment_file(std::int64_t attachment_id) override {
    return inner_.attachment_file(attachment_id);
  }
  Result<std::uint64_t> change_token() override { return inner_.change_token(); }
  Result<std::optional<std::int64_t>> next_publication(std::int64_t after) override {
    return inner_.next_publication(after);
  }
  Result<bool> leads() override { return inner_.leads(); }
  Result<std::int64_t> insert_user(const model::User& user) override {
    return inner_.insert_user(user);
  }
  Result<void> update_user(const model::User& user) override { return inner_.update_user(user); }
  Result<void> delete_user(std::int64_t id) override { return inner_.delete_user(id); }
  Result<model::User> user_by_id(std::int64_t id) override { return inner_.user_by_id(id); }
  Result<model::User> user_by_name(std::string_view name) override {
    return inner_.user_by_name(name);
  }
  Result<std::vector<model::User>> users() override { return inner_.users(); }
  Result<std::int64_t> insert_api_token(const model::ApiToken& token) override {
    return inner_.insert_api_token(token);
  }
  Result<model::ApiToken> api_token_by_digest(std::string_view digest) override {
    return inner_.api_token_by_digest(digest);
  }
  Result<std::vector<model::ApiToken>> api_tokens(std::int64_t user_id) override {
    return inner_.api_tokens(user_id);
  }
  Result<void> delete_api_token(std::int64_t id) override { return inner_.delete_api_token(id); }
  Result<void> touch_api_token(std::int64_t id, std::int64_t when) override {
    return inner_.touch_api_token(id, when);
  }
  Result<void> insert_session(const Session& session) override {
    return inner_.insert_session(session);
  }
  Result<Session> session_by_digest(std::string_view digest) override {
    return inner_.session_by_digest(digest);
  }
  Result<void> delete_session(std::string_view digest) override {
    return inner_.delete_session(digest);
  }
  Result<std::int64_t> delete_expired_sessions(std::int64_t now) override {
    return inner_.delete_expired_sessions(now);
  }
  Result<void> record_login_failure(std::string_view key, std::int64_t at) override {
    return inner_.record_login_failure(key, at);
  }
  Result<std::int64_t> count_login_failures(std::string_view key, std::int64_t since) override {
    return inner_.count_login_failures(key, since);
  }
  Result<void> clear_login_failures(std::string_view key) override {
    return inner_.clear_login_failures(key);
  }
  Result<std::int64_t> insert_revision(const Revision& revision) override {
    return inner_.insert_revision(revision);
  }
  Result<std::vector<Revision>> revisions(std::int64_t item_id) override {
    return inner_.revisions(item_id);
  }
  Result<Revision> revision(std::int64_t id) override { return inner_.revision(id); }
  Result<std::int64_t> insert_press_feed(const PressFeed& feed) override {
    return inner_.insert_press_feed(feed);
  }
  Result<PressFeed> press_feed_by_digest(std::string_view digest) override {
    return inner_.press_feed_by_digest(digest);
  }
  Result<std::vector<PressFeed>> press_feeds() override { return inner_.press_feeds(); }
  Result<void> delete_press_feed(std::int64_t id) override { return inner_.delete_press_feed(id); }
  Result<std::string> setting(std::string_view key) override { return inner_.setting(key); }
  Result<void> save_setting(std::string_view key, std::string_view value) override {
    return inner_.save_setting(key, value);
  }
  Result<void> transaction(const std::function<Result<void>(Store&)>& fn) override {
    return inner_.transaction(fn);
  }
  Result<std::int64_t> count_imported_items() override { return inner_.count_imported_items(); }
  Result<void> backup_to(const std::string& path) override { return inner_.backup_to(path); }
  void observe_statements(StatementObserver observer) override {
    inner_.observe_statements(std::move(observer));
  }

 protected:
  Store& inner() { return inner_; }

 private:
  Store& inner_;
};

}  // namespace newsdesk::store
