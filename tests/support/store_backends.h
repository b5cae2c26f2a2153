// The store tests run against both backends: SQLite in memory, and
// PostgreSQL in the throwaway cluster ctest starts (fixture `pg`,
// tests/support/pg-cluster), each test in a schema of its own.
//
//   class StoreSearch : public testing::StoreBackendTest {};
//   NEWSDESK_STORE_BACKENDS(StoreSearch);
//   TEST_P(StoreSearch, FindsWords) {
//     auto store = store::open_store(testing::fresh_url());
//     ...
//   }
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace newsdesk::testing {

enum class Backend { kSqlite, kPostgres };

// The URL of the test cluster's database: $NEWSDESK_TEST_POSTGRES, else what
// `pg-cluster start` wrote into the build directory. Fails the test (and
// returns "") when there is none.
std::string postgres_url();

// A URL for a new, empty database of the backend: "sqlite::memory:", or the
// cluster's database with a new schema first on the search_path.
std::string fresh_store_url(Backend backend);

// The backend of the running StoreBackendTest; SQLite outside one.
Backend current_backend();
// fresh_store_url(current_backend()): helpers shared by parameterized and
// plain tests open their stores with it.
std::string fresh_url();

class StoreBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  Backend backend() const { return GetParam(); }
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace newsdesk::testing

#define NEWSDESK_STORE_BACKENDS(Suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                            \
                           ::testing::Values(::newsdesk::testing::Backend::kSqlite,    \
                                             ::newsdesk::testing::Backend::kPostgres), \
                           ::newsdesk::testing::backend_name)
