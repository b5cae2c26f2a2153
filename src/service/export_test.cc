// Incremental export: after each kind of change, an export into the folder
// of the earlier one must leave exactly the files a fresh full export writes,
// byte for byte, while rendering only what the change can reach.

#include "service/export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "core/file.h"
#include "service/site_settings.h"
#include "store/store.h"
#include "support/process.h"

namespace newsdesk::service {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kJune2018 = 1528000000;

class IncrementalExport : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite:" + dir_.path() + "/news.db";
    store_ = open();
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->migrate());
    // Small pages, so that 30 items make list pages, month archives and
    // feed archive pages of several pages each.
    base_.title = "Export test";
    base_.base_url = "https://news.example.org/";
    base_.time_zone = "Europe/Vienna";
    base_.news_permalink = "/news-centre/news-detail/{slug}/";
    base_.page_items = 4;
    base_.feed_items = 5;
    for (int i = 1; i <= 30; ++i) {
      // Two months, an item every 2 days; three categories.
      model::Item item = make_item(i, kJune2018 + std::int64_t{i} * 2 * 86400);
      auto id = store_->insert_item(item);
      ASSERT_TRUE(id) << id.error().message;
      if (i == 7) {
        auto stored = store_->item_by_id(*id);
        ASSERT_TRUE(stored && stored->attachments.size() == 1u);
        ASSERT_TRUE(store_->save_attachment_file(stored->attachments[0].id, "application/pdf",
                                                 "%PDF-1.4\n%%EOF\n"));
      }
    }
    now_ = kJune2018 + 100 * 86400;
  }

  static model::Item make_item(int i, std::int64_t published) {
    static const char* const kCategories[] = {"press-release", "project-news", "expert-voice"};
    model::Item item;
    item.guid = "urn:uuid:incremental-" + std::to_string(i);
    item.slug = "news-" + std::to_string(i);
    item.title = "Project News: News number " + std::to_string(i);
    item.teaser = "Teaser " + std::to_string(i);
    item.body_html = "<p>Body of news " + std::to_string(i) + ".</p>";
    item.status = model::Status::kPublished;
    item.published_at = model::DateTime{published, 120};
    item.updated_at = *item.published_at;
    item.categories.push_back(model::Category{.id = 0, .slug = kCategories[i % 3], .name = ""});
    if (i == 7) {
      model::Attachment a;
      a.url = "https://origin.example.org/report.pdf";
      a.name = "report.pdf";
      a.media_type = "application/pdf";
      item.attachments.push_back(a);
    }
    return item;
  }

  std::unique_ptr<store::Store> open() const {
    auto store = store::open_store(url_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  // An export of the site as it is now into `out`, at the test's instant.
  ExportReport export_to(const std::string& out, bool full = false) {
    auto site = effective_site(*store_, base_);
    EXPECT_TRUE(site) << site.error().message;
    const render::Theme theme = render::Theme::builtin();
    ExportOptions options;
    options.threads = 2;
    options.full = full;
    const std::int64_t now = now_;
    options.clock = [now] { return now; };
    auto report = export_site(
        *site, theme, [this] { return store::open_store(url_); }, out, options);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : ExportReport{};
  }

  // Every file of the export in `root` with its bytes, the manifest left out.
  static std::map<std::string, std::string> files_of(const std::string& root) {
    std::map<std::string, std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      const std::string rel = entry.path().lexically_relative(root).generic_string();
      if (rel == kManifestName) continue;
      auto bytes = read_file(entry.path().string(), 1u << 26);
      EXPECT_TRUE(bytes) << rel;
      out.emplace(rel, bytes ? *bytes : "");
    }
    return out;
  }

  // Exports into the incremental folder, then fully into a fresh one, and
  // expects the same files with the same bytes. Returns the incremental
  // export's report.
  ExportReport expect_same_as_full() {
    const ExportReport report = export_to(incremental());
    const std::string fresh = dir_.path() + "/full-" + std::to_string(++fresh_count_);
    const ExportReport full = export_to(fresh);
    EXPECT_EQ(full.rendered, full.files);
    const auto want = files_of(fresh);
    const auto got = files_of(incremental());
    EXPECT_EQ(got.size(), want.size());
    for (const auto& [path, bytes] : want) {
      const auto it = got.find(path);
      if (it == got.end()) {
        ADD_FAILURE() << "missing from the incremental export: " << path;
      } else if (it->second != bytes) {
        ADD_FAILURE() << "other bytes in the incremental export: " << path;
      }
    }
    for (const auto& [path, bytes] : got) {
      if (!want.contains(path)) ADD_FAILURE() << "left in the incremental export: " << path;
    }
    return report;
  }

  std::string incremental() const { return dir_.path() + "/site"; }

  model::Item item(const std::string& slug) {
    auto found = store_->item_by_slug(slug);
    EXPECT_TRUE(found) << slug;
    return found ? *found : model::Item{};
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<store::Store> store_;
  model::Site base_;
  std::int64_t now_ = 0;
  int fresh_count_ = 0;
};

TEST_F(IncrementalExport, NothingChangedRendersOnlyTheUnstampedFiles) {
  const ExportReport first = export_to(incremental());
  EXPECT_EQ(first.rendered, first.files);
  const ExportReport again = expect_same_as_full();
  EXPECT_EQ(again.written, 0u);
  // The sitemaps, robots.txt, the feed stylesheet, the 404 page and the
  // theme's assets: a handful.
  EXPECT_LT(again.rendered, 15u);
}

// An import keeps the feed's updated date when the text changes: the item's
// content is what counts, not its updated_at.
TEST_F(IncrementalExport, TitleChangedWithoutNewUpdatedAt) {
  export_to(incremental());
  model::Item edited = item("news-15");
  edited.title = "Project News: A corrected title";
  ASSERT_TRUE(store_->update_item(edited));
  const ExportReport report = expect_same_as_full();
  EXPECT_GT(report.written, 0u);
  EXPECT_LT(report.rendered, report.files / 4);
  auto page = read_file(incremental() + "/news-centre/news-detail/news-15/index.html");
  ASSERT_TRUE(page);
  EXPECT_NE(page->find("A corrected title"), std::string::npos);
}

// A new updated_at changes the feeds' lastBuildDate: every page of the
// item's feeds is rendered again.
TEST_F(IncrementalExport, TitleChangedWithNewUpdatedAt) {
  export_to(incremental());
  model::Item edited = item("news-3");
  edited.title = "Project News: Edited";
  edited.updated_at = model::DateTime{now_ - 60, 60};
  ASSERT_TRUE(store_->update_item(edited));
  const ExportReport report = expect_same_as_full();
  EXPECT_LT(report.rendered, report.files);
}

TEST_F(IncrementalExport, NewItem) {
  export_to(incremental());
  ASSERT_TRUE(store_->insert_item(make_item(31, kJune2018 + 15 * 86400 + 3600)));
  const ExportReport report = expect_same_as_full();
  EXPECT_GT(report.written, 0u);
}

TEST_F(IncrementalExport, DeletedItem) {
  export_to(incremental());
  ASSERT_TRUE(store_->delete_item(item("news-7").id));  // the one with a stored file
  const ExportReport report = expect_same_as_full();
  EXPECT_GT(report.removed, 0u);
  EXPECT_FALSE(fs::exists(incremental() + "/news-centre/news-detail/news-7"));
}

TEST_F(IncrementalExport, ItemMovedToAnotherCategory) {
  export_to(incremental());
  model::Item moved = item("news-10");
  moved.categories = {model::Category{.id = 0, .slug = "expert-voice", .name = ""}};
  ASSERT_TRUE(store_->update_item(moved));
  const ExportReport report = expect_same_as_full();
  EXPECT_LT(report.rendered, report.files);
}

TEST_F(IncrementalExport, ScheduledItemWhoseTimeComes) {
  model::Item scheduled = make_item(40, now_ + 3600);
  ASSERT_TRUE(store_->insert_item(scheduled));
  export_to(incremental());
  EXPECT_FALSE(fs::exists(incremental() + "/news-centre/news-detail/news-40/index.html"));
  now_ += 7200;  // nothing written to the database: only time passed
  const ExportReport report = expect_same_as_full();
  EXPECT_GT(report.written, 0u);
  EXPECT_TRUE(fs::exists(incremental() + "/news-centre/news-detail/news-40/index.html"));
}

TEST_F(IncrementalExport, ExpiredItemLeaves) {
  model::Item expiring = item("news-30");
  expiring.expires_at = now_ + 3600;
  ASSERT_TRUE(store_->update_item(expiring));
  export_to(incremental());
  EXPECT_TRUE(fs::exists(incremental() + "/news-centre/news-detail/news-30/index.html"));
  now_ += 7200;
  const ExportReport report = expect_same_as_full();
  EXPECT_GT(report.removed, 0u);
}

TEST_F(IncrementalExport, SiteSettingRendersEverything) {
  export_to(incremental());
  SiteSettings settings = settings_of(base_);
  settings.title = "Renamed news centre";
  ASSERT_TRUE(save_site_settings(*store_, settings));
  const ExportReport report = expect_same_as_full();
  EXPECT_EQ(report.rendered, report.files);
}

TEST_F(IncrementalExport, CategoryRenamedRendersEverything) {
  export_to(incremental());
  auto categories = store_->categories();
  ASSERT_TRUE(categories && !categories->empty());
  ASSERT_TRUE(store_->rename_category(categories->front().id, "A new name"));
  const ExportReport report = expect_same_as_full();
  EXPECT_EQ(report.rendered, report.files);
}

TEST_F(IncrementalExport, FullOptionAndOldManifestRenderEverything) {
  export_to(incremental());
  const ExportReport full = export_to(incremental(), /*full=*/true);
  EXPECT_EQ(full.rendered, full.files);
  EXPECT_EQ(full.written, 0u);

  // A manifest as an older newsdesk wrote it: no stamps.
  const std::string manifest = incremental() + "/" + std::string(kManifestName);
  auto text = read_file(manifest);
  ASSERT_TRUE(text);
  std::string v1 = "newsdesk-export 1\n";
  std::size_t lines = 0;
  for (std::size_t at = text->find('\n') + 1; at < text->size();) {
    const std::size_t end = text->find('\n', at);
    const std::string line = text->substr(at, end - at);
    const auto s1 = line.find(' ');
    const auto s2 = line.find(' ', s1 + 1);
    const auto s3 = line.find(' ', s2 + 1);
    ASSERT_NE(s3, std::string::npos) << line;
    v1 += line.substr(0, s2) + line.substr(s3) + "\n";
    ++lines;
    at = end + 1;
  }
  ASSERT_GT(lines, 100u);
  std::ofstream(manifest, std::ios::trunc) << v1;
  const ExportReport after_old = expect_same_as_full();
  EXPECT_EQ(after_old.rendered, after_old.files);
  EXPECT_EQ(after_old.written, 0u);  // the hashes of version 1 still count
}

TEST_F(IncrementalExport, MissingFileIsRenderedAgain) {
  export_to(incremental());
  const std::string page = incremental() + "/news-centre/news-detail/news-12/index.html";
  ASSERT_TRUE(fs::remove(page));
  const ExportReport report = expect_same_as_full();
  EXPECT_EQ(report.written, 1u);
  EXPECT_TRUE(fs::exists(page));
}

}  // namespace
}  // namespace newsdesk::service
