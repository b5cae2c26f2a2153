// The PostgreSQL implementation of Store (libpq): a pool of connections to
// one database, for several `newsdesk serve` instances behind a load
// balancer (docs/postgresql.md).
//
// Thread-safety: any number of threads; each call leases a connection from
// the pool for its duration (waiting up to 10 s when all are busy, then
// kUnavailable). transaction() binds its connection to the calling thread
// until the callback returns, and this store's calls from that thread run
// on it.
//
// Transactions have the SQLite store's semantics: insert_item, update_item
// and delete_item each commit on their own, or, inside transaction(), run in
// a savepoint, so a failed call changes nothing even if the callback goes on
// and commits. Reads that take several queries run in one REPEATABLE READ
// READ ONLY transaction, so an item's categories and attachments match the
// item.
//
// Changes by other instances: a trigger on every content table sends a
// NOTIFY on commit; a listening connection turns them into change_token().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/copy.h"
#include "store/postgres/statement.h"
#include "store/store.h"

namespace newsdesk::store::postgres {

class PostgresStore final : public Store, public TableAccess {
 public:
  // conninfo: a libpq URI or connection string; pool_size connections at
  // most (opened when needed).
  PostgresStore(std::string conninfo, std::unique_ptr<Connection> first, int pool_size);
  ~PostgresStore() override;

  Result<void> migrate() override;
  Result<int> schema_version() override;

  Result<std::int64_t> insert_item(const model::Item& item) override;
  Result<void> update_item(const model::Item& item) override;

  Result<model::Item> item_by_id(std::int64_t id) override;
  Result<model::Item> item_by_slug(std::string_view slug) override;
  Result<model::Item> item_by_source_id(std::string_view source_id) override;

  Result<std::vector<model::Item>> list_items(const ItemQuery& query) override;
  Result<std::vector<ItemStamp>> list_stamps(const ItemQuery& query) override;
  Result<std::int64_t> count_items(const ItemQuery& query) override;
  Result<std::map<std::int64_t, std::int64_t>> count_by_category(const ItemQuery& query) override;

  Result<Neighbours> neighbours(std::int64_t id, const ItemQuery& query) override;
  Result<std::vector<std::int64_t>> published_times(const ItemQuery& query) override;
  // tsvector and a GIN index (store/postgres/search_queries.cc); runs in one read transaction.
  Result<SearchResults> search(const model::SearchQuery& query, const ItemQuery& filter) override;

  // In its own transaction or savepoint, like update_item.
  Result<void> delete_item(std::int64_t id) override;
  Result<bool> slug_gone(std::string_view slug) override;

  Result<std::vector<model::Category>> categories() override;

  Result<std::optional<model::DateTime>> last_change(const ItemQuery& query) override;

  Result<void> add_redirect(std::string_view path, std::int64_t item_id) override;
  Result<std::int64_t> redirect_target(std::string_view path) override;

  Result<SourceState> source_state(std::string_view url) override;
  Result<void> save_source_state(std::string_view url, const SourceState& state) override;

  // Attachment files (store/postgres/attachment_file_queries.cc).
  Result<std::vector<AttachmentRef>> attachment_refs() override;
  // In its own transaction or savepoint, like update_item.
  Result<void> save_attachment_file(std::int64_t attachment_id, std::string_view media_type,
                                    std::string_view bytes) override;
  Result<AttachmentFile> attachment_file(std::int64_t attachment_id) override;

  // Accounts, tokens, sessions, login failures, revisions, settings
  // (store/postgres/account_queries.cc).
  Result<std::int64_t> insert_user(const model::User& user) override;
  Result<void> update_user(const model::User& user) override;
  Result<void> delete_user(std::int64_t id) override;
  Result<model::User> user_by_id(std::int64_t id) override;
  Result<model::User> user_by_name(std::string_view name) override;
  Result<std::vector<model::User>> users() override;
  Result<std::int64_t> insert_api_token(const model::ApiToken& token) override;
  Result<model::ApiToken> api_token_by_digest(std::string_view digest) override;
  Result<std::vector<model::ApiToken>> api_tokens(std::int64_t user_id) override;
  Result<void> delete_api_token(std::int64_t id) override;
  Result<void> touch_api_token(std::int64_t id, std::int64_t when) override;
  Result<void> insert_session(const Session& session) override;
  Result<Session> session_by_digest(std::string_view digest) override;
  Result<void> delete_session(std::string_view digest) override;
  Result<std::int64_t> delete_expired_sessions(std::int64_t now) override;
  Result<void> record_login_failure(std::string_view key, std::int64_t at) override;
  Result<std::int64_t> count_login_failures(std::string_view key, std::int64_t since) override;
  Result<void> clear_login_failures(std::string_view key) override;
  Result<std::int64_t> insert_revision(const Revision& revision) override;
  Result<std::vector<Revision>> revisions(std::int64_t item_id) override;
  Result<Revision> revision(std::int64_t id) override;
  Result<void> rename_category(std::int64_t id, std::string_view name) override;
  Result<void> delete_category(std::int64_t id) override;
  Result<std::int64_t> insert_press_feed(const PressFeed& feed) override;
  Result<PressFeed> press_feed_by_digest(std::string_view digest) override;
  Result<std::vector<PressFeed>> press_feeds() override;
  Result<void> delete_press_feed(std::int64_t id) override;
  Result<std::string> setting(std::string_view key) override;
  Result<void> save_setting(std::string_view key, std::string_view value) override;

  // This store's own commits plus the notifications (LISTEN) of every
  // commit to the content tables, by any process.
  Result<std::uint64_t> change_token() override;
  Result<std::optional<std::int64_t>> next_publication(std::int64_t after) override;
  // A session-level advisory lock on the LISTEN connection: held until that
  // connection ends (the process exits or dies), then free for another.
  Result<bool> leads() override;

  // fn runs on one connection of the pool, held by the calling thread until
  // fn returns; the store's calls from that thread use it. Nested calls fail
  // with kInvalid.
  Result<void> transaction(const std::function<Result<void>(Store&)>& fn) override;

  Result<std::int64_t> count_imported_items() override;
  // kInvalid: PostgreSQL is backed up with pg_dump (docs/postgresql.md).
  Result<void> backup_to(const std::string& path) override;
  // Timed around each call into libpq, on every connection of the pool.
  void observe_statements(StatementObserver observer) override;

  // `newsdesk copy` (store/copy.h; store/postgres/table_copy.cc).
  Result<void> read_snapshot(const std::function<Result<void>()>& fn) override;
  Result<void> read_rows(const CopyTable& table,
                         const std::function<Result<void>(std::vector<CopyValue>&)>& fn) override;
  Result<void> write_row(const CopyTable& table, const std::vector<CopyValue>& row) override;
  Result<void> finish_copy() override;

 private:
  // A connection leased from the pool, returned on destruction.
  class Lease;
  Result<Lease> lease(std::string_view what);
  void give_back(std::unique_ptr<Connection> conn);

  // The connection transaction() bound to this thread for this store, or
  // null.
  Connection* bound() const;

  // Runs body on a leased (or the bound) connection, without a transaction
  // of its own: one statement is atomic anyway.
  Result<void> on_connection(std::string_view what,
                             const std::function<Result<void>(Connection&)>& body);
  // Runs body all-or-nothing: in a transaction of its own, or in a savepoint
  // inside transaction(). Counts the commit for change_token().
  Result<void> write_scope(std::string_view what,
                           const std::function<Result<void>(Connection&)>& body);
  // Runs body in one REPEATABLE READ READ ONLY transaction, or as is inside
  // transaction().
  Result<void> read_scope(std::string_view what,
                          const std::function<Result<void>(Connection&)>& body);

  // The three scopes for a body that returns a value: fn(Connection&) gives
  // a Result<T>, and so does the call.
  template <typename Fn>
  auto single(std::string_view what, Fn fn) {
    return value_in(&PostgresStore::on_connection, what, fn);
  }
  template <typename Fn>
  auto read(std::string_view what, Fn fn) {
    return value_in(&PostgresStore::read_scope, what, fn);
  }
  template <typename Fn>
  auto write(std::string_view what, Fn fn) {
    return value_in(&PostgresStore::write_scope, what, fn);
  }
  template <typename Scope, typename Fn>
  auto value_in(Scope scope, std::string_view what, Fn& fn)
      -> decltype(fn(std::declval<Connection&>())) {
    std::optional<decltype(fn(std::declval<Connection&>()))> out;
    Result<void> r = (this->*scope)(what, [&](Connection& db) -> Result<void> {
      out.emplace(fn(db));
      if (!*out) return out->error();
      return {};
    });
    if (!r) return r.error();
    return std::move(*out);
  }

  const std::string conninfo_;
  const std::size_t pool_size_;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by pool_mu_
  std::size_t open_ = 0;                           // guarded by pool_mu_: leased + idle
  StatementObserver observer_;                     // guarded by pool_mu_

  // The LISTEN connection, polled by change_token().
  std::mutex listen_mu_;
  std::unique_ptr<Connection> listener_;  // guarded by listen_mu_
  std::uint64_t notified_ = 0;            // guarded by listen_mu_
  bool leader_ = false;                   // guarded by listen_mu_: holds the lock
  std::atomic<std::uint64_t> own_commits_{0};
};

// Opens a PostgreSQL store from a libpq URI ("postgresql://user@host/db").
// The query parameter pool_size (1-64, default 8) is newsdesk's own and is
// taken out before the URI reaches libpq. Connects once to check the
// server is there. Does not migrate.
// Errors: kInvalid for a bad pool_size; kUnavailable with libpq's reason
// when the server cannot be reached or refuses the login.
Result<std::unique_ptr<Store>> open_postgres_store(std::string_view url);

}  // namespace newsdesk::store::postgres
