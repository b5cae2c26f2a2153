#include "support/store_backends.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace newsdesk::testing {

std::string postgres_url() {
  if (const char* env = std::getenv("NEWSDESK_TEST_POSTGRES"); env != nullptr && *env != '\0') {
    return env;
  }
  std::ifstream in(NEWSDESK_PG_URL_FILE);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    ADD_FAILURE() << "no PostgreSQL test cluster: run the tests through ctest (fixture pg), or "
                     "`tests/support/pg-cluster start DIR` and set NEWSDESK_TEST_POSTGRES to "
                     "the URL it prints";
  }
  return url;
}

std::string fresh_store_url(Backend backend) {
  if (backend == Backend::kSqlite) return "sqlite::memory:";
  const std::string base = postgres_url();
  if (base.empty()) return "postgresql://no-test-cluster.invalid/none";
  static std::atomic<int> counter{0};
  const std::string schema =
      "t_" + std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(base.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    ADD_FAILURE() << "test cluster " << base << ": " << PQerrorMessage(conn.get());
    return base;
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexec(conn.get(), ("CREATE SCHEMA " + schema).c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    ADD_FAILURE() << "create schema " << schema << ": " << PQerrorMessage(conn.get());
  }
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

namespace {
Backend g_backend = Backend::kSqlite;
}  // namespace

Backend current_backend() { return g_backend; }

std::string fresh_url() { return fresh_store_url(g_backend); }

void StoreBackendTest::SetUp() { g_backend = GetParam(); }

void StoreBackendTest::TearDown() { g_backend = Backend::kSqlite; }

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

}  // namespace newsdesk::testing
