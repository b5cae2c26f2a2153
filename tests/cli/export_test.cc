// `newsdesk export DIR`: the sample news centre (examples/icmpd/) plus enough
// items for second pages and feed archives, exported and compared, file by
// file, with what a real `newsdesk serve` on the same database sends; then
// incremental exports after an edit and a deletion, --gzip, and bad folders.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/file.h"
#include "store/store.h"
#include "support/process.h"

namespace newsdesk {
namespace {

namespace fs = std::filesystem;
using testing::run_command;

const std::string kPdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A site: the sample feed imported with the sample's configuration, 25
// more items (two of them with a stored attachment, one under a name that
// needs percent-encoding), so /news/page/3/ and feed archive pages exist.
class ExportSite {
 public:
  ExportSite() {
    config_ = testing::source_dir() + "/examples/icmpd/newsdesk.toml";
    db_ = "sqlite:" + dir_.path() + "/news.db";
    const auto imported =
        run_command({testing::newsdesk_binary(), "import", "--config", config_, "--db", db_,
                     testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"});
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
    auto store = open();
    for (int i = 1; i <= 25; ++i) {
      model::Item item;
      item.guid = "urn:uuid:export-test-" + std::to_string(i);
      item.slug = "extra-news-" + std::to_string(i);
      item.title = "Project News: Extra news number " + std::to_string(i);
      item.teaser = "Teaser of extra news " + std::to_string(i);
      item.body_html = "<p>Body of extra news " + std::to_string(i) + ".</p>";
      item.status = model::Status::kPublished;
      // June 2018, before the sample's July items, an hour apart.
      item.published_at = model::DateTime{1528000000 + i * 3600, 120};
      item.updated_at = *item.published_at;
      item.categories.push_back(model::Category{.id = 0, .slug = "project-news", .name = ""});
      if (i <= 2) {
        model::Attachment a;
        a.url = "https://origin.example.org/files/" + std::to_string(i) + ".pdf";
        a.name = i == 1 ? "report.pdf" : "r\xC3\xA9sum\xC3\xA9 2018 (final).pdf";
        a.media_type = "application/pdf";
        item.attachments.push_back(a);
      }
      auto id = store->insert_item(item);
      EXPECT_TRUE(id) << id.error().message;
      if (i <= 2 && id) {
        auto stored = store->item_by_id(*id);
        EXPECT_TRUE(stored && stored->attachments.size() == 1u);
        if (stored && !stored->attachments.empty()) {
          EXPECT_TRUE(
              store->save_attachment_file(stored->attachments[0].id, "application/pdf", kPdf));
        }
      }
    }
  }

  std::unique_ptr<store::Store> open() const {
    auto store = store::open_store(db_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  testing::RunResult export_to(const std::string& out, std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv = {
        testing::newsdesk_binary(), "export", "--config", config_, "--db", db_, out};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv);
  }

  std::vector<std::string> serve_args() const { return {"--config", config_, "--db", db_}; }
  std::string out() const { return dir_.path() + "/site"; }

 private:
  testing::TempDir dir_;
  std::string config_;
  std::string db_;
};

// Every file under root (relative paths), the manifest left out.
std::set<std::string> files_under(const std::string& root) {
  std::set<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string rel = entry.path().lexically_relative(root).generic_string();
    if (rel != ".newsdesk-export") out.insert(rel);
  }
  return out;
}

// The address a web server gives a file: ".../index.html" is ".../", each
// segment percent-encoded (RFC 3986 unreserved characters stay).
std::string url_of(const std::string& file) {
  std::string path = file;
  if (path == "index.html") {
    path.clear();
  } else if (path.ends_with("/index.html")) {
    path.resize(path.size() - std::string_view("index.html").size());
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "/";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

std::string slurp(const std::string& path) {
  auto bytes = read_file(path);
  EXPECT_TRUE(bytes) << path;
  return bytes ? *bytes : "";
}

struct FileId {
  ino_t inode = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileId&) const = default;
};

FileId id_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return {st.st_ino,
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

TEST(Export, EveryFileIsWhatTheServerSends) {
  ExportSite site;
  const auto r = site.export_to(site.out());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // not a terminal: no progress bar
  EXPECT_TRUE(contains(r.out, " written, 0 unchanged, 0 removed in ")) << r.out;

  const std::set<std::string> files = files_under(site.out());
  for (const std::string must : {"index.html",
                                 "news/index.html",
                                 "news/page/2/index.html",
                                 "news/page/4/index.html",
                                 "news-centre/news-detail/extra-news-7/index.html",
                                 "category/project-news/index.html",
                                 "category/project-news/page/2/index.html",
                                 "category/project-news/rss.xml",
                                 "category/project-news/atom.xml",
                                 "category/project-news/feed.json",
                                 "archive/index.html",
                                 "archive/2018/index.html",
                                 "archive/2018/07/index.html",
                                 "archive/2018/06/page/3/index.html",
                                 "rss.xml",
                                 "atom.xml",
                                 "feed.json",
                                 "feed-archive/1/rss.xml",
                                 "feed-archive/1/atom.xml",
                                 "feed-archive/1/feed.json",
                                 "feed.xsl",
                                 "sitemap.xml",
                                 "news-sitemap.xml",
                                 "robots.txt",
                                 "404.html"}) {
    EXPECT_TRUE(files.contains(must)) << must;
  }
  EXPECT_FALSE(files.contains("news/page/5/index.html"));  // 35 items, 10 a page
  int items = 0, statics = 0, attachments = 0;
  for (const std::string& f : files) {
    items += f.starts_with("news-centre/news-detail/");
    statics += f.starts_with("static/");
    attachments += f.starts_with("files/");
  }
  EXPECT_EQ(items, 35);
  EXPECT_GE(statics, 1);
  EXPECT_EQ(attachments, 2);
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](const std::string& f) {
    return f.ends_with("/r\xC3\xA9sum\xC3\xA9 2018 (final).pdf");
  }));

  testing::ServerProcess server(site.serve_args());
  ASSERT_TRUE(server.started());
  for (const std::string& file : files) {
    const std::string body = slurp(site.out() + "/" + file);
    if (file == "404.html") {
      const auto reply = testing::http_get(server.port(), "/no/such/page/");
      EXPECT_EQ(reply.status, 404);
      EXPECT_TRUE(reply.body == body) << "404.html differs from the server's 404 page";
      continue;
    }
    const std::string url = url_of(file);
    const auto reply = testing::http_get(server.port(), url);
    EXPECT_EQ(reply.status, 200) << url;
    EXPECT_TRUE(reply.body == body)
        << url << " differs from the server's response (" << reply.body.size() << " bytes served, "
        << body.size() << " exported)";
  }
}

// A site in three languages (Arabic under a prefix of its own): items in
// English, French (one in fr-CA) and Arabic, some of them translations of
// one another, some in categories, enough French ones for a second page.
TEST(Export, EveryLanguageIsWhatTheServerSends) {
  testing::TempDir dir;
  const std::string config = dir.path() + "/newsdesk.toml";
  std::ofstream(config) << R"([site]
title = "Newsroom"
base_url = "https://news.example.org/"
language = "en"
languages = ["fr", "ar"]
language_prefixes = { ar = "/arabic/" }
time_zone = "Europe/Vienna"
[feeds]
items = 5
)";
  const std::string db = "sqlite:" + dir.path() + "/news.db";
  {
    auto opened = store::open_store(db);
    ASSERT_TRUE(opened) << opened.error().message;
    store::Store& store = **opened;
    ASSERT_TRUE(store.migrate());
    auto add = [&](const std::string& slug, const std::string& language, std::int64_t of,
                   int hours) {
      model::Item item;
      item.guid = "urn:uuid:" + slug;
      item.slug = slug;
      item.title = "Title of " + slug;
      item.teaser = "Teaser of " + slug;
      item.body_html = "<p>Body of " + slug + ".</p>";
      item.language = language;
      item.translation_of = of;
      item.status = model::Status::kPublished;
      item.published_at = model::DateTime{1528000000 + std::int64_t{hours} * 3600, 120};
      item.updated_at = *item.published_at;
      if (hours % 2 == 0) {
        item.categories.push_back(model::Category{.id = 0, .slug = "press-release", .name = ""});
      }
      auto id = store.insert_item(item);
      EXPECT_TRUE(id) << id.error().message;
      return id ? *id : 0;
    };
    for (int i = 1; i <= 4; ++i) {
      const std::string n = std::to_string(i);
      const std::int64_t original = add("report-" + n, "en", 0, i * 10);
      add("rapport-" + n, i == 4 ? "fr-CA" : "fr", original, i * 10 + 1);
      if (i % 2 == 1) add("taqrir-" + n, "ar", original, i * 10 + 2);
    }
    for (int i = 1; i <= 9; ++i) add("nouvelle-" + std::to_string(i), "fr", 0, 100 + i);
    add("khabar", "ar", 0, 200);
    add("english-only", "", 0, 300);
    // Moved to the archive by its end time: its page, month and neighbours
    // keep it, the lists and feeds do not.
    const std::int64_t archived = add("archived-report", "en", 0, 15);
    auto item = store.item_by_id(archived);
    ASSERT_TRUE(item);
    item->expires_at = 1528000000 + 50 * 3600;
    item->archive_on_expiry = true;
    ASSERT_TRUE(store.update_item(*item));
  }

  const std::string out = dir.path() + "/site";
  const auto r =
      run_command({testing::newsdesk_binary(), "export", "--config", config, "--db", db, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::set<std::string> files = files_under(out);
  for (const std::string must : {"index.html",
                                 "fr/index.html",
                                 "arabic/index.html",
                                 "fr/news/page/2/index.html",
                                 "fr/category/press-release/index.html",
                                 "arabic/category/press-release/rss.xml",
                                 "fr/rss.xml",
                                 "fr/feed-archive/1/rss.xml",
                                 "arabic/feed.json",
                                 "fr/archive/2018/06/index.html",
                                 "news/report-1/index.html",
                                 "news/english-only/index.html",
                                 "news/archived-report/index.html",
                                 "fr/news/rapport-1/index.html",
                                 "fr/news/rapport-4/index.html",  // fr-CA
                                 "arabic/news/taqrir-1/index.html",
                                 "sitemap.xml",
                                 "news-sitemap.xml",
                                 "robots.txt",
                                 "feed.xsl",
                                 "404.html"}) {
    EXPECT_TRUE(files.contains(must)) << must;
  }
  for (const std::string& f : files) {
    for (const char* root_only : {"sitemap.xml", "robots.txt", "feed.xsl", "404.html", "static/"}) {
      EXPECT_FALSE((f.starts_with("fr/") || f.starts_with("arabic/")) &&
                   f.substr(f.find('/') + 1).starts_with(root_only))
          << f;
    }
    EXPECT_FALSE(f.starts_with("ar/")) << f;
  }
  EXPECT_FALSE(files.contains("news/rapport-1/index.html"));
  EXPECT_FALSE(files.contains("fr/news/page/3/index.html"));  // 13 French items, 10 a page

  testing::ServerProcess server({"--config", config, "--db", db});
  ASSERT_TRUE(server.started());
  for (const std::string& file : files) {
    const std::string body = slurp(out + "/" + file);
    if (file == "404.html") {
      const auto reply = testing::http_get(server.port(), "/no/such/page/");
      EXPECT_EQ(reply.status, 404);
      EXPECT_TRUE(reply.body == body) << "404.html differs from the server's 404 page";
      continue;
    }
    const std::string url = url_of(file);
    const auto reply = testing::http_get(server.port(), url);
    EXPECT_EQ(reply.status, 200) << url;
    EXPECT_TRUE(reply.body == body)
        << url << " differs from the server's response (" << reply.body.size() << " bytes served, "
        << body.size() << " exported)";
  }
  // What the server serves under each prefix, the export has.
  for (const std::string url :
       {"/fr/news/rapport-2/", "/arabic/", "/arabic/news/khabar/", "/fr/category/press-release/",
        "/fr/archive/", "/arabic/atom.xml", "/news/report-3/"}) {
    EXPECT_EQ(testing::http_get(server.port(), url).status, 200) << url;
    EXPECT_TRUE(files.contains(url.substr(1) + (url.ends_with("/") ? "index.html" : ""))) << url;
  }
  const std::string original = slurp(out + "/news/report-1/index.html");
  EXPECT_TRUE(
      contains(original, "hreflang=\"ar\" href=\"https://news.example.org/arabic/news/taqrir-1/\""))
      << original;
}

TEST(Export, GzipFilesHoldTheServersGzipBytes) {
  ExportSite site;
  const auto r = site.export_to(site.out(), {"--gzip"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::set<std::string> files = files_under(site.out());
  int gz = 0;
  testing::ServerProcess server(site.serve_args());
  ASSERT_TRUE(server.started());
  for (const std::string& file : files) {
    if (!file.ends_with(".gz")) continue;
    const std::string plain = file.substr(0, file.size() - 3);
    ASSERT_TRUE(files.contains(plain)) << file;
    EXPECT_FALSE(file.starts_with("files/")) << "attachments are sent uncompressed";
    ++gz;
    if (plain == "404.html") continue;
    const auto reply =
        testing::http_request(server.port(), "GET", url_of(plain), {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(reply.status, 200) << plain;
    EXPECT_EQ(reply.headers.count("content-encoding") ? reply.headers.at("content-encoding") : "",
              "gzip")
        << plain;
    EXPECT_TRUE(reply.body == slurp(site.out() + "/" + file)) << file;
  }
  EXPECT_TRUE(files.contains("index.html.gz"));
  EXPECT_TRUE(files.contains("rss.xml.gz"));
  EXPECT_GT(gz, 50);

  // Without --gzip the next export takes its .gz files away again.
  const auto plain = site.export_to(site.out());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(contains(plain.out, " 0 written, ")) << plain.out;
  EXPECT_TRUE(contains(plain.out, " " + std::to_string(gz) + " removed")) << plain.out;
  for (const std::string& file : files_under(site.out())) EXPECT_FALSE(file.ends_with(".gz"));
}

TEST(Export, AgainRewritesOnlyWhatChanged) {
  ExportSite site;
  const std::string out = site.out();
  ASSERT_EQ(site.export_to(out).exit_code, 0);
  // Files the export did not write stay, wherever they are.
  fs::create_directories(out + "/news-centre/news-detail/extra-news-3");
  std::ofstream(out + "/keep-me.txt") << "mine";
  std::ofstream(out + "/news-centre/news-detail/extra-news-3/notes.txt") << "mine too";

  const std::string edited = out + "/news-centre/news-detail/extra-news-20/index.html";
  const std::string far = out + "/news-centre/news-detail/extra-news-1/index.html";
  const FileId edited_before = id_of(edited);
  const FileId far_before = id_of(far);
  const FileId robots_before = id_of(out + "/robots.txt");

  // Nothing changed: nothing written.
  const auto same = site.export_to(out);
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_TRUE(contains(same.out, " 0 written, ")) << same.out;
  EXPECT_TRUE(contains(same.out, " 0 removed")) << same.out;
  EXPECT_EQ(id_of(edited), edited_before);

  {
    auto store = site.open();
    auto item = store->item_by_slug("extra-news-20");
    ASSERT_TRUE(item);
    item->title = "Project News: A corrected title";
    item->updated_at = model::DateTime{item->updated_at.epoch_seconds + 60, 120};
    ASSERT_TRUE(store->update_item(*item));
  }
  const auto again = site.export_to(out);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, " 0 removed")) << again.out;
  EXPECT_FALSE(contains(again.out, " 0 written")) << again.out;
  EXPECT_FALSE(contains(again.out, " 0 unchanged")) << again.out;
  EXPECT_NE(id_of(edited), edited_before);
  EXPECT_TRUE(contains(slurp(edited), "A corrected title"));
  EXPECT_EQ(id_of(far), far_before);  // neither a neighbour nor on the same pages
  EXPECT_EQ(id_of(out + "/robots.txt"), robots_before);

  // A deleted item's files go; its folder too, unless something else is in it.
  {
    auto store = site.open();
    for (const char* slug :
         {"extra-news-3", "extra-news-4", "extra-news-5", "extra-news-6", "extra-news-7"}) {
      auto item = store->item_by_slug(slug);
      ASSERT_TRUE(item);
      ASSERT_TRUE(store->delete_item(item->id));
    }
  }
  const auto deleted = site.export_to(out);
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_FALSE(contains(deleted.out, " 0 removed")) << deleted.out;
  EXPECT_FALSE(fs::exists(out + "/news-centre/news-detail/extra-news-3/index.html"));
  EXPECT_FALSE(fs::exists(out + "/news-centre/news-detail/extra-news-4"));
  EXPECT_TRUE(fs::exists(out + "/news-centre/news-detail/extra-news-3/notes.txt"));
  EXPECT_TRUE(fs::exists(out + "/keep-me.txt"));
  // 30 items, 10 a page: page 4 is gone.
  EXPECT_FALSE(fs::exists(out + "/news/page/4/index.html"));
  EXPECT_TRUE(fs::exists(out + "/news/page/3/index.html"));
}

TEST(Export, ANonFolderIsAClearError) {
  ExportSite site;
  const std::string file = site.out() + ".txt";
  std::ofstream(file) << "not a folder";
  const auto r = site.export_to(file);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "is not a folder")) << r.err;
  EXPECT_EQ(slurp(file), "not a folder");

  const auto under = site.export_to(file + "/sub");
  EXPECT_NE(under.exit_code, 0);
  EXPECT_TRUE(contains(under.err, "newsdesk: export: ")) << under.err;

  // A file where the export needs a folder (the workers make folders as
  // they write into them): a clear error, and the file stays as it was.
  const std::string blocked = site.out() + "-blocked";
  fs::create_directories(blocked);
  std::ofstream(blocked + "/news-centre") << "in the way";
  const auto in_the_way = site.export_to(blocked);
  EXPECT_NE(in_the_way.exit_code, 0);
  EXPECT_TRUE(contains(in_the_way.err, "cannot make folder " + blocked + "/news-centre"))
      << in_the_way.err;
  EXPECT_EQ(slurp(blocked + "/news-centre"), "in the way");

  const auto missing = run_command({testing::newsdesk_binary(), "export"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_TRUE(contains(missing.err, "DIR")) << missing.err;
}

}  // namespace
}  // namespace newsdesk
