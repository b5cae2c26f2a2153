#include "store/sqlite/statement.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

namespace newsdesk::store::sqlite {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// A private in-memory database with a table of the numbers 1..5, and its
// statement cache (destroyed first, as in SqliteStore).
class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(":memory:", &raw,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE,
                              nullptr),
              SQLITE_OK);
    db_.reset(raw);
    ASSERT_TRUE(exec(db_.get(),
                     "CREATE TABLE t (n INTEGER PRIMARY KEY, name TEXT UNIQUE);"
                     "INSERT INTO t (n, name) VALUES (1, 'one'), (2, 'two'), (3, 'three'),"
                     " (4, 'four'), (5, 'five')"));
    cache_ = std::make_unique<StatementCache>();
  }
  void TearDown() override { cache_.reset(); }

  Db db() { return Db(db_.get(), cache_.get()); }

  // The numbers `sql` returns, stepping to the end.
  std::vector<std::int64_t> numbers(std::string_view sql, std::int64_t bound) {
    std::vector<std::int64_t> out;
    Result<Statement> stmt = Statement::prepare(db(), sql);
    EXPECT_TRUE(stmt) << stmt.error().message;
    if (!stmt) return out;
    stmt->bind(1, bound);
    for (;;) {
      Result<bool> row = stmt->step();
      EXPECT_TRUE(row) << row.error().message;
      if (!row || !*row) break;
      out.push_back(stmt->column_int64(0));
    }
    return out;
  }

  std::unique_ptr<sqlite3, Closer> db_;
  std::unique_ptr<StatementCache> cache_;
};

constexpr std::string_view kAbove = "SELECT n FROM t WHERE n > ? ORDER BY n";

TEST_F(StatementCacheTest, ReusesAStatementOnceItIsDone) {
  EXPECT_EQ(numbers(kAbove, 3), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(cache_->size(), 1u);
  EXPECT_EQ(cache_->reused(), 0u);
  // The same SQL again: the kept statement, with the new binding.
  EXPECT_EQ(numbers(kAbove, 1), (std::vector<std::int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(cache_->reused(), 1u);
  EXPECT_EQ(cache_->size(), 1u);
  // Other SQL is prepared on its own.
  EXPECT_EQ(numbers("SELECT n FROM t WHERE n < ? ORDER BY n", 3),
            (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(cache_->reused(), 1u);
  EXPECT_EQ(cache_->size(), 2u);
}

TEST_F(StatementCacheTest, ComesBackWithoutItsBindings) {
  {
    Result<Statement> stmt = Statement::prepare(db(), "SELECT ? IS NULL");
    ASSERT_TRUE(stmt);
    stmt->bind(1, std::int64_t{7});
    ASSERT_TRUE(*stmt->step());
    EXPECT_EQ(stmt->column_int64(0), 0);
  }
  Result<Statement> again = Statement::prepare(db(), "SELECT ? IS NULL");
  ASSERT_TRUE(again);
  EXPECT_EQ(cache_->reused(), 1u);
  ASSERT_TRUE(*again->step());
  EXPECT_EQ(again->column_int64(0), 1);  // the 7 is gone
}

// A statement left mid-rows comes back reset: it holds no read of the
// database and starts from its first row.
TEST_F(StatementCacheTest, AStatementLeftMidRowsStartsAgain) {
  {
    Result<Statement> stmt = Statement::prepare(db(), kAbove);
    ASSERT_TRUE(stmt);
    stmt->bind(1, std::int64_t{0});
    ASSERT_TRUE(*stmt->step());
    EXPECT_EQ(stmt->column_int64(0), 1);
  }
  ASSERT_NE(sqlite3_next_stmt(db_.get(), nullptr), nullptr);
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_.get(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_.get(), s)) {
    EXPECT_EQ(sqlite3_stmt_busy(s), 0);
  }
  // A write needs no reader to finish first.
  EXPECT_TRUE(exec(db_.get(), "INSERT INTO t (n, name) VALUES (6, 'six')"));
  EXPECT_EQ(numbers(kAbove, 0), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(cache_->reused(), 1u);
}

// The same SQL run inside the loop of another use of it on the same
// connection (a nested query): each gets a statement of its own, so the
// outer one's rows go on where they were.
TEST_F(StatementCacheTest, NestedUseOfTheSameSqlGetsItsOwnStatement) {
  std::vector<std::int64_t> seen;
  std::vector<std::size_t> inner_counts;
  {
    Result<Statement> outer = Statement::prepare(db(), kAbove);
    ASSERT_TRUE(outer);
    outer->bind(1, std::int64_t{0});
    for (;;) {
      Result<bool> row = outer->step();
      ASSERT_TRUE(row) << row.error().message;
      if (!*row) break;
      const std::int64_t n = outer->column_int64(0);
      seen.push_back(n);
      inner_counts.push_back(numbers(kAbove, n).size());
    }
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(inner_counts, (std::vector<std::size_t>{4, 3, 2, 1, 0}));
  // The first inner use prepared a second statement; later ones reused it.
  EXPECT_EQ(cache_->reused(), 4u);
  EXPECT_EQ(cache_->size(), 2u);
  // Two uses at once, two statements: both were kept and both are reused.
  Result<Statement> a = Statement::prepare(db(), kAbove);
  Result<Statement> b = Statement::prepare(db(), kAbove);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(cache_->reused(), 6u);
  EXPECT_EQ(cache_->size(), 0u);
}

TEST_F(StatementCacheTest, AStatementThatFailedWorksWhenReused) {
  constexpr std::string_view kInsert = "INSERT INTO t (n, name) VALUES (?, ?)";
  {
    Result<Statement> stmt = Statement::prepare(db(), kInsert);
    ASSERT_TRUE(stmt);
    stmt->bind(1, std::int64_t{10}).bind(2, std::string_view("one"));  // name taken
    Result<void> r = stmt->run();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  }
  {
    Result<Statement> stmt = Statement::prepare(db(), kInsert);
    ASSERT_TRUE(stmt);
    EXPECT_EQ(cache_->reused(), 1u);
    stmt->bind(1, std::int64_t{10}).bind(2, std::string_view("ten"));
    Result<void> r = stmt->run();
    ASSERT_TRUE(r) << r.error().message;
  }
  // A failed bind is the failing Statement's own, not the next user's.
  {
    Result<Statement> stmt = Statement::prepare(db(), kInsert);
    ASSERT_TRUE(stmt);
    stmt->bind(3, std::int64_t{1});  // no such parameter
    Result<void> r = stmt->run();
    EXPECT_FALSE(r);
  }
  {
    Result<Statement> stmt = Statement::prepare(db(), kInsert);
    ASSERT_TRUE(stmt);
    stmt->bind(1, std::int64_t{11}).bind(2, std::string_view("eleven"));
    Result<void> r = stmt->run();
    ASSERT_TRUE(r) << r.error().message;
  }
  EXPECT_EQ(numbers(kAbove, 9), (std::vector<std::int64_t>{10, 11}));
}

TEST_F(StatementCacheTest, BadSqlIsAnErrorAndNotKept) {
  Result<Statement> stmt = Statement::prepare(db(), "SELECT n FROM no_such_table");
  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().message.find("no_such_table"), std::string::npos);
  EXPECT_EQ(cache_->size(), 0u);
}

// After the schema changes, a kept statement is prepared again by SQLite
// and sees the new columns.
TEST_F(StatementCacheTest, AKeptStatementFollowsTheSchema) {
  constexpr std::string_view kAll = "SELECT * FROM t WHERE n = ?";
  {
    Result<Statement> stmt = Statement::prepare(db(), kAll);
    ASSERT_TRUE(stmt);
    stmt->bind(1, std::int64_t{1});
    ASSERT_TRUE(*stmt->step());
  }
  ASSERT_TRUE(exec(db_.get(), "ALTER TABLE t ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'"));
  Result<Statement> stmt = Statement::prepare(db(), kAll);
  ASSERT_TRUE(stmt);
  EXPECT_EQ(cache_->reused(), 1u);
  stmt->bind(1, std::int64_t{1});
  ASSERT_TRUE(*stmt->step());
  EXPECT_EQ(stmt->column_text(2), "x");
}

TEST_F(StatementCacheTest, KeepsAtMostItsCapacity) {
  cache_ = std::make_unique<StatementCache>(3);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(
        numbers("SELECT n FROM t WHERE n = ? AND " + std::to_string(i) + " = " + std::to_string(i),
                2),
        (std::vector<std::int64_t>{2}));
  }
  EXPECT_EQ(cache_->size(), 3u);
  // The most recent ones stay.
  EXPECT_EQ(numbers("SELECT n FROM t WHERE n = ? AND 9 = 9", 2), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(cache_->reused(), 1u);
  EXPECT_EQ(numbers("SELECT n FROM t WHERE n = ? AND 0 = 0", 2), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(cache_->reused(), 1u);
  // And the connection holds no more than those.
  int open = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_.get(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_.get(), s)) {
    ++open;
  }
  EXPECT_EQ(open, 3);
}

TEST_F(StatementCacheTest, WithoutACacheEveryStatementIsFinalized) {
  {
    Result<Statement> stmt = Statement::prepare(db_.get(), kAbove);
    ASSERT_TRUE(stmt);
  }
  EXPECT_EQ(sqlite3_next_stmt(db_.get(), nullptr), nullptr);
  EXPECT_EQ(cache_->size(), 0u);
}

}  // namespace
}  // namespace newsdesk::store::sqlite
