// The SQLite implementation of Store: one connection to one database file
// (or to an in-memory database), WAL mode for files.
//
// Thread-safety: every call locks one recursive mutex for its whole duration,
// so calls from several threads are serialised on the single connection
// (and its cache of prepared statements, store/sqlite/statement.h).
// transaction() holds that lock while its callback runs: other threads wait,
// and the callback's own calls on the Store& it receives (the same object,
// same thread) re-enter the lock. A callback must therefore not wait for
// another thread that uses this store, or both wait forever.
//
// Transactions: insert_item, update_item and delete_item each run in a BEGIN IMMEDIATE
// transaction of their own, or, inside transaction(), in a SAVEPOINT, so a
// failed call changes nothing even if the callback goes on and commits.
// Reads that take several queries run in one read transaction so an item's
// categories and attachments match the item.
//
// Other processes may use the same file; a write waits up to 5 s for their
// locks, then fails with kUnavailable.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/copy.h"
#include "store/sqlite/statement.h"
#include "store/store.h"

struct sqlite3;

namespace newsdesk::store::sqlite {

class SqliteStore final : public Store, public TableAccess {
 public:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  using Connection = std::unique_ptr<sqlite3, Closer>;

  // Takes an open, configured connection; open_sqlite_store() makes one.
  explicit SqliteStore(Connection db);
  ~SqliteStore() override;

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
  // FTS5 (store/sqlite/search_queries.cc); runs in one read transaction.
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

  // Attachment files (store/sqlite/attachment_file_queries.cc).
  Result<std::vector<AttachmentRef>> attachment_refs() override;
  // In its own transaction or savepoint, like update_item.
  Result<void> save_attachment_file(std::int64_t attachment_id, std::string_view media_type,
                                    std::string_view bytes) override;
  Result<AttachmentFile> attachment_file(std::int64_t attachment_id) override;

  // Accounts, tokens, sessions, login failures, revisions, settings
  // (store/sqlite/account_queries.cc).
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

  // PRAGMA data_version (other connections' commits) combined with this
  // connection's total changes.
  Result<std::uint64_t> change_token() override;
  Result<std::optional<std::int64_t>> next_publication(std::int64_t after) override;
  // Always: a SQLite database is served by one instance.
  Result<bool> leads() override { return true; }

  // Nested calls (from inside fn) fail with kInvalid: the interface promises
  // no reentrancy, and PostgreSQL would not give it either.
  Result<void> transaction(const std::function<Result<void>(Store&)>& fn) override;

  Result<std::int64_t> count_imported_items() override;
  // SQLite's online backup API in one step: one read transaction, so the
  // copy is one consistent state while writers go on (WAL). The copy is left
  // in rollback-journal mode (one self-contained file); PRAGMA
  // integrity_check must answer "ok". Holds this store's lock meanwhile.
  Result<void> backup_to(const std::string& path) override;
  // Through sqlite3_trace_v2 (statement start and end), timed with
  // steady_clock: SQLite's own profile times are whole milliseconds.
  void observe_statements(StatementObserver observer) override;

  // `newsdesk copy` (store/copy.h; store/sqlite/table_copy.cc).
  Result<void> read_snapshot(const std::function<Result<void>()>& fn) override;
  Result<void> read_rows(const CopyTable& table,
                         const std::function<Result<void>(std::vector<CopyValue>&)>& fn) override;
  Result<void> write_row(const CopyTable& table, const std::vector<CopyValue>& row) override;
  Result<void> finish_copy() override;

 private:
  // Runs body all-or-nothing: in its own BEGIN IMMEDIATE transaction, or in a
  // savepoint when transaction() is running. `what` names the operation in
  // errors of BEGIN/COMMIT; body's errors pass unchanged.
  Result<void> write_scope(std::string_view what, const std::function<Result<void>()>& body);
  // Runs body in one read transaction, or as is inside transaction().
  Result<void> read_scope(std::string_view what, const std::function<Result<void>()>& body);

  // The connection with its statement cache. REQUIRES: mu_ is held.
  Db conn() { return Db(db_.get(), &statements_); }

  // The shapes the queries shared with the PostgreSQL store use
  // (store/account_queries.inc): the body gets the connection.
  Result<void> write_scope(std::string_view what, const std::function<Result<void>(Db)>& body) {
    return write_scope(what, std::function<Result<void>()>([&] { return body(conn()); }));
  }
  template <typename Fn>
  auto single(std::string_view /*what*/, Fn fn) {
    std::lock_guard lock(mu_);
    return fn(conn());
  }

  static int on_trace(unsigned type, void* self, void* p, void* x);

  std::recursive_mutex mu_;
  Connection db_;  // guarded by mu_
  // Guarded by mu_; declared after db_, so it finalizes its statements
  // before the connection closes.
  StatementCache statements_;
  bool in_transaction_ = false;  // guarded by mu_: transaction() is running fn
  StatementObserver observer_;   // guarded by mu_
  // Statements running now and when they started; guarded by mu_.
  std::vector<std::pair<const void*, std::chrono::steady_clock::time_point>> running_;
};

// Opens (creating if needed) the SQLite database at path; ":memory:" opens a
// private in-memory database. Sets busy_timeout 5 s, journal_mode=WAL (files),
// foreign_keys=ON, synchronous=NORMAL. Does not migrate.
// Errors: kInvalid for an empty path; kUnavailable, naming the path, when the
// file cannot be opened or created, is not a database, or refuses WAL.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

}  // namespace newsdesk::store::sqlite
