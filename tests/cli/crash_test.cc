// Crash safety (kill -9), against the real binary and a real database file:
// SIGKILL during a 1000-item `newsdesk import` and during a burst of API
// writes to `newsdesk serve`. Afterwards the database must pass SQLite's
// integrity check, hold every item whose write was acknowledged, and a new
// `newsdesk serve` must start on it and serve.
//
// The importer writes all its items in one transaction (service/import.h),
// so a killed import leaves none or all of them, never a part.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/process.h"

namespace newsdesk {
namespace {

using Clock = std::chrono::steady_clock;
using testing::run_command;

// A read-only look at the database through SQLite's own C API, not through
// newsdesk: what is on disk, whatever newsdesk thinks.
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // The first column of every row, as text ("" for NULL); an SQL error fails the test.
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }

  std::string integrity() {
    auto rows = column("PRAGMA integrity_check");
    std::string all;
    for (const auto& r : rows) all += (all.empty() ? "" : "; ") + r;
    return all;
  }

  long count(const std::string& where = "1") {
    auto rows = column("SELECT COUNT(*) FROM items WHERE " + where);
    return rows.empty() ? -1 : std::stol(rows[0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

// An RSS 2.0 feed of `n` items with guids "{prefix}-{i}" (stored as the
// items' source_id), each with a body of a few hundred bytes so that the
// import takes a measurable time.
std::string write_feed(const std::string& path, const std::string& prefix, int n) {
  std::ofstream out(path);
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
         "<title>Crash feed</title><link>https://example.org/</link>"
         "<description>Generated</description>\n";
  for (int i = 0; i < n; ++i) {
    const int day = 1 + i % 28, hour = i % 24, minute = (i / 24) % 60;
    char date[64];
    std::snprintf(date, sizeof date, "%02d Oct 2025 %02d:%02d:00 +0000", day, hour, minute);
    out << "<item><title>" << prefix << " item " << i << "</title>"
        << "<link>https://example.org/" << prefix << "/" << i << "</link>"
        << "<guid isPermaLink=\"false\">" << prefix << "-" << i << "</guid>"
        << "<pubDate>Wed, " << date << "</pubDate>"
        << "<description><![CDATA[<p>Paragraph one of " << prefix << " item " << i
        << ", with <strong>markup</strong> and a <a href=\"https://example.org/\">link</a>.</p>"
        << "<p>Paragraph two: border management, migration dialogue, capacity building, "
        << "and a sentence long enough to give the search index some words.</p>]]>"
        << "</description></item>\n";
  }
  out << "</channel></rss>\n";
  return path;
}

// A child process we can SIGKILL at a chosen moment (run_command waits).
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    pid_ = fork();
    if (pid_ == 0) {
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // SIGKILL; true when the process was still running (it did not finish first).
  bool kill9() {
    int status = 0;
    const bool running = waitpid(pid_, &status, WNOHANG) == 0;
    if (running) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    } else {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    reaped_ = true;
    return running;
  }
  int exit_code() const { return exit_code_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
};

std::string db_path(const testing::TempDir& dir, const std::string& name) {
  return dir.path() + "/" + name + ".db";
}

void expect_serves(const std::string& path, const std::vector<std::string>& pages) {
  testing::ServerProcess server({"--db", "sqlite:" + path});
  ASSERT_TRUE(server.started()) << "serve does not start on " << path;
  EXPECT_EQ(testing::http_get(server.port(), "/healthz").status, 200) << path;
  EXPECT_EQ(testing::http_get(server.port(), "/").status, 200) << path;
  for (const std::string& page : pages) {
    EXPECT_EQ(testing::http_get(server.port(), page).status, 200) << path << " " << page;
  }
}

TEST(CrashSafety, KillDuringA1000ItemImportLeavesAllOrNothing) {
  testing::TempDir dir;
  const std::string bin = testing::newsdesk_binary();
  const std::string base_feed = write_feed(dir.path() + "/base.xml", "base", 20);
  const std::string feed = write_feed(dir.path() + "/big.xml", "big", 1000);

  // How long a whole import takes here, to kill at fractions of it.
  const std::string reference = db_path(dir, "reference");
  ASSERT_EQ(run_command({bin, "init", "--db", "sqlite:" + reference}).exit_code, 0);
  const auto start = Clock::now();
  auto full = run_command({bin, "import", "--db", "sqlite:" + reference, feed});
  const auto took = Clock::now() - start;
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(Db(reference).count(), 1000);

  // Fixed early moments (opening, reading) and fractions of the measured
  // time (writing). Each on its own database that already holds 20 items.
  std::vector<Clock::duration> moments = {std::chrono::milliseconds(50)};
  for (int percent : {25, 50, 75, 95}) moments.push_back(took * percent / 100);
  int killed_mid_import = 0;
  for (std::size_t i = 0; i < moments.size(); ++i) {
    const std::string path = db_path(dir, "import-" + std::to_string(i));
    ASSERT_EQ(run_command({bin, "import", "--db", "sqlite:" + path, base_feed}).exit_code, 0);
    Child import({bin, "import", "--db", "sqlite:" + path, feed});
    std::this_thread::sleep_for(moments[i]);
    const bool killed = import.kill9();
    const long ms = std::chrono::duration_cast<std::chrono::milliseconds>(moments[i]).count();
    SCOPED_TRACE("killed after " + std::to_string(ms) + " ms" + (killed ? "" : " (had finished)"));

    Db db(path);
    EXPECT_EQ(db.integrity(), "ok");
    EXPECT_EQ(db.count("source_id LIKE 'base-%'"), 20) << "items committed before were lost";
    const long imported = db.count("source_id LIKE 'big-%'");
    EXPECT_TRUE(imported == 0 || imported == 1000)
        << imported << " of 1000 items: the import is not all-or-nothing";
    if (killed && imported == 0) ++killed_mid_import;
    if (!killed) {
      EXPECT_EQ(import.exit_code(), 0);
    }
    expect_serves(path, {"/news/base-item-0/"});

    if (i + 1 < moments.size()) continue;
    // Importing again completes what the kill interrupted.
    auto again = run_command({bin, "import", "--db", "sqlite:" + path, feed});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(Db(path).count("source_id LIKE 'big-%'"), 1000);
  }
  // The test is only worth something if some kills hit a running import.
  EXPECT_GE(killed_mid_import, 2)
      << "the import finished before most kills (took "
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms)";
}

struct Acknowledged {
  std::int64_t id = 0;
  std::string title;
  std::string slug;
};

TEST(CrashSafety, KillDuringApiWritesKeepsEveryAcknowledgedItem) {
  testing::TempDir dir;
  const std::string bin = testing::newsdesk_binary();
  const std::string path = db_path(dir, "api");
  const std::string db = "sqlite:" + path;
  ASSERT_EQ(run_command({bin, "user", "add", "edna", "--role", "editor", "--db", db}).exit_code, 0);
  auto created = run_command({bin, "token", "create", "edna", "--db", db});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token = testing::last_word(created.out);

  std::vector<Acknowledged> acknowledged;
  int rounds_killed_mid_burst = 0;
  // Three rounds on the same database: each kills a server mid-burst, and the
  // next round's server starts on what the last one left.
  for (int round = 0; round < 3; ++round) {
    auto server = std::make_unique<testing::ServerProcess>(std::vector<std::string>{"--db", db});
    ASSERT_TRUE(server->started());
    const unsigned short port = server->port();
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::atomic<int> failures_after_kill{0};
    auto writer = [&](int thread) {
      for (int i = 0; !stop; ++i) {
        const std::string title = "Round " + std::to_string(round) + " writer " +
                                  std::to_string(thread) + " item " + std::to_string(i);
        const nlohmann::json body = {{"title", title},
                                     {"body_markdown", "Written before the **kill**."},
                                     {"categories", {"Crash"}},
                                     {"status", "published"}};
        auto reply = testing::http_request(
            port, "POST", "/api/v1/news",
            {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}},
            body.dump());
        if (reply.status == 201) {
          auto item = nlohmann::json::parse(reply.body, nullptr, false);
          std::lock_guard lock(mutex);
          acknowledged.push_back(
              {item.value("id", std::int64_t{0}), title, item.value("slug", std::string())});
        } else if (reply.status == 0) {
          ++failures_after_kill;  // the server is gone
          if (failures_after_kill > 20) return;
        } else {
          ADD_FAILURE() << "unexpected status " << reply.status << ": " << reply.body;
          return;
        }
      }
    };
    const std::size_t before = acknowledged.size();
    std::thread a(writer, 0), b(writer, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 250 * round));
    server.reset();  // SIGKILL, mid-burst
    const std::size_t at_kill = acknowledged.size();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop = true;
    a.join();
    b.join();
    EXPECT_GT(at_kill, before) << "no write was acknowledged before the kill in round " << round;
    if (failures_after_kill > 0) ++rounds_killed_mid_burst;
  }
  EXPECT_EQ(rounds_killed_mid_burst, 3) << "the kill did not interrupt the writers";

  Db check(path);
  EXPECT_EQ(check.integrity(), "ok");
  for (const Acknowledged& a : acknowledged) {
    auto title = check.column("SELECT title FROM items WHERE id = " + std::to_string(a.id));
    ASSERT_EQ(title.size(), 1u) << "acknowledged item " << a.id << " (" << a.title << ") is lost";
    EXPECT_EQ(title[0], a.title);
  }
  // At most the one in-flight write per writer per round may be stored without a 201.
  EXPECT_LE(check.count(), static_cast<long>(acknowledged.size()) + 6);
  ASSERT_FALSE(acknowledged.empty());
  expect_serves(path, {"/news/" + acknowledged.front().slug + "/",
                       "/news/" + acknowledged.back().slug + "/", "/rss.xml"});
}

}  // namespace
}  // namespace newsdesk
