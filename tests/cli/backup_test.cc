// `newsdesk backup FILE` against a database a running server reads and
// writes, and the restore the README describes: stop, copy back, serve.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/process.h"

namespace newsdesk {
namespace {

namespace fs = std::filesystem;
using testing::http_get;
using testing::http_request;
using testing::run_command;

// One integer from a query on a database file, through SQLite directly.
long long query_int(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  long long out = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

std::string integrity(const std::string& path) {
  sqlite3* db = nullptr;
  std::string out = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

constexpr const char* kImportedItem =
    "/news-centre/news-detail/"
    "project-news-9th-phase-of-the-bomca-programme-extended-for-18-months/";

class Backup : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/news.db";
    db_ = "sqlite:" + path_;
    config_ = testing::source_dir() + "/examples/icmpd/newsdesk.toml";
    const auto imported =
        run_command({testing::newsdesk_binary(), "import", "--config", config_, "--db", db_,
                     testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  testing::RunResult backup(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {testing::newsdesk_binary(), "backup", "--db", db_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv);
  }

  testing::TempDir dir_;
  std::string path_;
  std::string db_;
  std::string config_;
};

TEST_F(Backup, CopiesWhileServingAndWritingAndTheCopyServesAndRestores) {
  ASSERT_EQ(run_command(
                {testing::newsdesk_binary(), "user", "add", "ed", "--role", "editor", "--db", db_})
                .exit_code,
            0);
  const auto created =
      run_command({testing::newsdesk_binary(), "token", "create", "ed", "--db", db_});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token = testing::last_word(created.out);
  auto server = std::make_unique<testing::ServerProcess>(
      std::vector<std::string>{"--config", config_, "--db", db_});
  ASSERT_TRUE(server->started());
  const unsigned short port = server->port();

  // A writer publishing through the API all along.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::atomic<int> failed{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      const nlohmann::json body = {{"title", "Written during backup " + std::to_string(i)},
                                   {"body_markdown", "Body " + std::to_string(i)},
                                   {"status", "published"},
                                   {"slug", "during-backup-" + std::to_string(i)}};
      const auto reply =
          http_request(port, "POST", "/api/v1/news",
                       {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                       body.dump());
      if (reply.status == 201) {
        ++written;
      } else {
        ++failed;
      }
    }
  });
  while (written < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const int written_before = written;
  const std::string copy = dir_.path() + "/copy.db";
  const auto made = backup({copy});
  const int written_after = written;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  writer.join();
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("integrity check ok"), std::string::npos) << made.out;
  EXPECT_EQ(failed, 0) << "the backup must not make writes fail";

  // The copy is one consistent, self-contained file.
  EXPECT_EQ(integrity(copy), "ok");
  EXPECT_FALSE(fs::exists(copy + "-wal"));
  const long long items = query_int(copy, "SELECT count(*) FROM items");
  EXPECT_GE(items, 10 + written_before);
  // + 1: the writer's request in flight may be committed (and so in the
  // copy) before its 201 reaches the writer and is counted.
  EXPECT_LE(items, 10 + written_after + 1);
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << "temporary file left: " << entry.path();
  }

  // Served from the backup file: the same imported items.
  {
    testing::ServerProcess from_copy({"--config", config_, "--db", "sqlite:" + copy});
    ASSERT_TRUE(from_copy.started());
    // (Not through the feed: the items written meanwhile may fill it.)
    const auto imported = http_get(from_copy.port(), kImportedItem);
    ASSERT_EQ(imported.status, 200);
    EXPECT_NE(imported.body.find("9th phase of the BOMCA programme"), std::string::npos);
    EXPECT_EQ(http_get(from_copy.port(), "/news-centre/news-detail/during-backup-0/").status, 200);
  }

  // Restore: stop the server, put the copy in place of the database, serve.
  EXPECT_EQ(server->terminate(), 0);
  server.reset();
  const int lost = written - static_cast<int>(items - 10);  // written after the copy was taken
  fs::remove(path_ + "-wal");
  fs::remove(path_ + "-shm");
  fs::copy_file(copy, path_, fs::copy_options::overwrite_existing);
  testing::ServerProcess restored({"--config", config_, "--db", db_});
  ASSERT_TRUE(restored.started());
  EXPECT_EQ(http_get(restored.port(), "/healthz").status, 200);
  EXPECT_EQ(http_get(restored.port(), kImportedItem).status, 200);
  EXPECT_EQ(http_get(restored.port(),
                     "/news-centre/news-detail/during-backup-" + std::to_string(items - 11) + "/")
                .status,
            200);
  if (lost > 0) {
    // What came after the backup is not in the restored database.
    EXPECT_EQ(http_get(restored.port(),
                       "/news-centre/news-detail/during-backup-" + std::to_string(items - 10) + "/")
                  .status,
              404);
  }
  EXPECT_EQ(query_int(path_, "SELECT count(*) FROM items"), items);
}

TEST_F(Backup, RefusesToOverwriteWithoutForce) {
  const std::string file = dir_.path() + "/existing.db";
  { std::ofstream(file) << "precious"; }
  const auto refused = backup({file});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  std::ifstream in(file);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "precious");

  const auto forced = backup({"--force", file});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(integrity(file), "ok");
  EXPECT_EQ(query_int(file, "SELECT count(*) FROM items"), 10);
}

TEST_F(Backup, PostgresqlIsSentToPgDump) {
  const auto r = run_command({testing::newsdesk_binary(), "backup", "--db",
                              "postgresql://user:secret@db.example/news", dir_.path() + "/x.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pg_dump"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret"), std::string::npos) << "never print the password";
  EXPECT_FALSE(fs::exists(dir_.path() + "/x.db"));
}

TEST_F(Backup, UnwritablePlacesAndMissingDatabasesAreClearErrors) {
  const auto no_folder = backup({dir_.path() + "/no/such/folder/x.db"});
  EXPECT_EQ(no_folder.exit_code, 1);
  EXPECT_NE(no_folder.err.find("no/such/folder"), std::string::npos) << no_folder.err;

  const auto onto_itself = backup({"--force", path_});
  EXPECT_EQ(onto_itself.exit_code, 1);
  EXPECT_NE(onto_itself.err.find("database itself"), std::string::npos) << onto_itself.err;
  EXPECT_EQ(integrity(path_), "ok");

  const auto missing = run_command({testing::newsdesk_binary(), "backup", "--db",
                                    dir_.path() + "/absent.db", dir_.path() + "/x.db"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("absent.db"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir_.path() + "/absent.db")) << "backup must not create the source";
  EXPECT_FALSE(fs::exists(dir_.path() + "/x.db"));
}

}  // namespace
}  // namespace newsdesk
