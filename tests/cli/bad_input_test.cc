// Bad input at the command line: one clear line on stderr, a non-zero exit,
// and nothing half-written.

#include <gtest/gtest.h>

#include <fstream>

#include "support/process.h"

namespace newsdesk {
namespace {

using testing::run_command;

std::string sample() { return testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"; }

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

int lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// How many items a database's feed holds, read back through the CLI.
int items_in(const std::string& db) {
  const auto feed = run_command({testing::newsdesk_binary(), "feed", "--db", db});
  int n = 0;
  for (auto at = feed.out.find("<item>"); at != std::string::npos;
       at = feed.out.find("<item>", at + 1)) {
    ++n;
  }
  return n;
}

TEST(CliBadInput, FileThatIsNoFeed) {
  testing::TempDir dir;
  write(dir.path() + "/page.html", "<html><body>hello</body></html>");
  const auto r = run_command({testing::newsdesk_binary(), "import", "--db",
                              "sqlite:" + dir.path() + "/n.db", dir.path() + "/page.html"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("not a feed"), std::string::npos) << r.err;
}

TEST(CliBadInput, MissingFile) {
  testing::TempDir dir;
  const auto r = run_command({testing::newsdesk_binary(), "import", "--db",
                              "sqlite:" + dir.path() + "/n.db", dir.path() + "/absent.xml"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("absent.xml"), std::string::npos) << r.err;
}

TEST(CliBadInput, UnwritableDatabasePath) {
  const auto r = run_command(
      {testing::newsdesk_binary(), "import", "--db", "sqlite:/proc/newsdesk/n.db", sample()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("/proc/newsdesk/n.db"), std::string::npos) << r.err;
}

TEST(CliBadInput, OneBadSourceImportsNothing) {
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  write(dir.path() + "/broken.xml", "this is not xml at all");
  const auto r = run_command(
      {testing::newsdesk_binary(), "import", "--db", db, sample(), dir.path() + "/broken.xml"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_EQ(items_in(db), 0);
}

TEST(CliBadInput, BadConfigNamesFileAndLine) {
  testing::TempDir dir;
  write(dir.path() + "/bad.toml", "[site]\ntitle = \"x\"\nbase_url = 42\n");
  const auto r = run_command({testing::newsdesk_binary(), "init", "--config",
                              dir.path() + "/bad.toml", "--db", "sqlite:" + dir.path() + "/n.db"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("base_url"), std::string::npos) << r.err;
}

TEST(CliGoodInput, ImportTwiceIsIdempotent) {
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  const auto first = run_command({testing::newsdesk_binary(), "import", "--db", db, sample()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("10 added"), std::string::npos) << first.out;
  const auto second = run_command({testing::newsdesk_binary(), "import", "--db", db, sample()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("0 added, 0 updated, 10 unchanged"), std::string::npos) << second.out;
  EXPECT_EQ(items_in(db), 10);
}

TEST(CliGoodInput, DryRunPrintsJsonAndTouchesNoDatabase) {
  testing::TempDir dir;
  const std::string db_path = dir.path() + "/n.db";
  const auto r = run_command({testing::newsdesk_binary(), "import", "--dry-run", "--json", "--db",
                              "sqlite:" + db_path, sample()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{\"feed\":{\"title\":\"www.icmpd.org\"")) << r.out.substr(0, 200);
  EXPECT_NE(r.out.find("\"published\":\"2018-07-04T10:11:30+02:00\""), std::string::npos);
  EXPECT_FALSE(std::ifstream(db_path).good());
}

TEST(CliGoodInput, InitReportsSchemaVersion) {
  testing::TempDir dir;
  const auto r =
      run_command({testing::newsdesk_binary(), "init", "--db", "sqlite:" + dir.path() + "/n.db"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("schema version 7"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace newsdesk

namespace newsdesk {
namespace {

TEST(CliServe, FlagsOverrideTheConfigFile) {
  testing::TempDir dir;
  // The example config listens on 8080; --listen must win (port 0: any).
  testing::ServerProcess server({"--config",
                                 testing::source_dir() + "/examples/icmpd/newsdesk.toml", "--db",
                                 "sqlite:" + dir.path() + "/n.db"});
  ASSERT_TRUE(server.started());
  EXPECT_NE(server.port(), 8080);
  EXPECT_EQ(testing::http_get(server.port(), "/healthz").status, 200);
}

}  // namespace
}  // namespace newsdesk
