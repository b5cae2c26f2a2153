// [server] max_cache_bytes against a real `newsdesk serve`: the response
// cache keeps no more than its byte bound of distinct pages (issue 7: a
// 100k-item site's cache must not outgrow 200 MB), and the default keeps
// what fits in it.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/process.h"

namespace newsdesk {
namespace {

using testing::http_get;
using testing::run_command;

std::string example(const std::string& name) {
  return testing::source_dir() + "/examples/icmpd/" + name;
}

// The example site's configuration with `server` as its [server] section.
std::string write_config(const std::string& dir, const std::string& server) {
  std::ifstream in(example("newsdesk.toml"), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string toml = text.str();
  const std::string listen = "[server]\nlisten = \"127.0.0.1:8080\"\n";
  const auto at = toml.find(listen);
  EXPECT_NE(at, std::string::npos) << "the example's [server] section changed";
  if (at != std::string::npos) toml.replace(at, listen.size(), "[server]\n" + server);
  const std::string path = dir + "/newsdesk.toml";
  std::ofstream(path, std::ios::binary) << toml;
  return path;
}

// newsdesk_cache_entries from /metrics; -1 when missing.
long cache_entries(unsigned short port) {
  const auto reply = http_get(port, "/metrics");
  EXPECT_EQ(reply.status, 200);
  std::smatch m;
  static const std::regex entries(R"(\nnewsdesk_cache_entries (\d+)\n)");
  return std::regex_search(reply.body, m, entries) ? std::stol(m[1]) : -1;
}

// Serves the example site with `server` as [server], asks for `searches`
// distinct searches (pages of about 3 KB: nothing found), and returns the cache's entries
// and the total identity bytes received.
std::pair<long, std::size_t> fill(const std::string& server, int searches) {
  testing::TempDir dir;
  const std::string config = write_config(dir.path(), server);
  const std::string db = "sqlite:" + dir.path() + "/news.db";
  const auto imported = run_command({testing::newsdesk_binary(), "import", "--config", config,
                                     "--db", db, example("news-centre.rss.xml")});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  testing::ServerProcess server_process({"--config", config, "--db", db});
  EXPECT_TRUE(server_process.started());
  if (!server_process.started()) return {-1, 0};
  const long before = cache_entries(server_process.port());
  std::size_t bytes = 0;
  for (int i = 0; i < searches; ++i) {
    const auto reply = http_get(server_process.port(), "/search?q=migration+" + std::to_string(i));
    EXPECT_EQ(reply.status, 200) << i;
    bytes += reply.body.size();
  }
  const long after = cache_entries(server_process.port());
  EXPECT_EQ(server_process.terminate(), 0);
  return {after - before, bytes};
}

TEST(CacheBudget, MaxCacheBytesBoundsTheEntriesKept) {
  // 1 MiB, the least allowed: 600 pages of about 3 KB (and their gzip and
  // brotli copies) do not fit; the most recent ones do.
  const auto [entries, bytes] = fill("max_cache_bytes = 1048576\n", 600);
  ASSERT_GT(bytes, 600u * 2048) << "search pages smaller than expected: the test proves nothing";
  EXPECT_GT(entries, 10);
  EXPECT_LT(static_cast<std::size_t>(entries), (1u << 20) / (bytes / 600));
}

TEST(CacheBudget, DefaultKeepsWhatFits) {
  const auto [entries, bytes] = fill("", 600);
  ASSERT_GT(bytes, 600u * 2048);
  EXPECT_EQ(entries, 600);
}

TEST(CacheBudget, BadValueIsAClearError) {
  testing::TempDir dir;
  const std::string config = write_config(dir.path(), "max_cache_bytes = 1000\n");
  const auto served = run_command({testing::newsdesk_binary(), "serve", "--config", config, "--db",
                                   "sqlite:" + dir.path() + "/news.db"});
  EXPECT_NE(served.exit_code, 0);
  EXPECT_NE(served.err.find("max_cache_bytes must be an integer from 1048576 to 1073741824"),
            std::string::npos)
      << served.err;
}

}  // namespace
}  // namespace newsdesk
