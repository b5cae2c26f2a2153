// Incremental export: after each kind of change, an export into the folder
// of the earlier one must leave exactly the files a fresh full export writes,
// byte for byte, while rendering only what the change can reach.

#include "service/export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/file.h"
#include "service/languages.h"
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
    options.read_part = read_part_;
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
  int read_part_ = 0;
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

// The workers read the public items in parts of publication times: cut
// every 4 items, and where several items share a second, the export holds
// the same files with the same bytes as one read in one part.
TEST_F(IncrementalExport, ItemsReadInPartsAreEachReadOnce) {
  const auto at = [this](const std::string& slug) { return *item(slug).published_at; };
  for (int i = 31; i <= 35; ++i) {
    model::Item extra = make_item(i, at("news-10").epoch_seconds);
    ASSERT_TRUE(store_->insert_item(extra));
  }
  for (int i = 36; i <= 38; ++i) {
    model::Item extra = make_item(i, at("news-21").epoch_seconds);
    ASSERT_TRUE(store_->insert_item(extra));
  }
  const std::string whole = dir_.path() + "/whole";
  const ExportReport one = export_to(whole);
  read_part_ = 4;
  const std::string parts = dir_.path() + "/parts";
  const ExportReport many = export_to(parts);
  EXPECT_EQ(many.files, one.files);
  const auto want = files_of(whole);
  const auto got = files_of(parts);
  EXPECT_EQ(got, want);
  for (int i = 1; i <= 38; ++i) {
    const std::string page = "news-centre/news-detail/news-" + std::to_string(i) + "/index.html";
    EXPECT_TRUE(got.contains(page)) << page;
  }
}

// A site with more URLs than one sitemap holds (10 here): the export writes
// the index and every part, with the bytes the server's PageService
// renders, and removes the parts the site no longer has.
TEST_F(IncrementalExport, SitemapIndexAndEveryPartWithTheServersBytes) {
  base_.sitemap_urls = 10;
  // 2 + 3 categories + 30 items = 35 URLs: four parts.
  const ExportReport first = export_to(incremental());
  EXPECT_EQ(first.rendered, first.files);
  const auto files = files_of(incremental());
  auto site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  const render::Theme theme = render::Theme::builtin();
  const std::int64_t now = now_;
  LanguageSites sites(*site, *store_, theme, [now] { return now; });
  auto index = sites.whole_site().sitemap();
  ASSERT_TRUE(index);
  ASSERT_TRUE(files.contains("sitemap.xml"));
  EXPECT_EQ(files.at("sitemap.xml"), index->body);
  EXPECT_NE(index->body.find("<sitemapindex"), std::string::npos);
  for (int part = 1; part <= 4; ++part) {
    const std::string name = "sitemap-" + std::to_string(part) + ".xml";
    auto served = sites.whole_site().sitemap_part(static_cast<std::size_t>(part));
    ASSERT_TRUE(served) << name;
    ASSERT_TRUE(files.contains(name)) << name;
    EXPECT_EQ(files.at(name), served->body) << name;
    EXPECT_NE(index->body.find("https://news.example.org/" + name), std::string::npos);
  }
  EXPECT_FALSE(files.contains("sitemap-5.xml"));
  EXPECT_FALSE(sites.whole_site().sitemap_part(5));
  // Nothing changed: the same files again.
  expect_same_as_full();
}

TEST_F(IncrementalExport, SitemapPartsThatVanishAreRemoved) {
  base_.sitemap_urls = 10;
  export_to(incremental());
  ASSERT_TRUE(fs::exists(incremental() + "/sitemap-4.xml"));
  // 35 - 6 = 29 URLs: three parts.
  for (int i = 1; i <= 6; ++i)
    ASSERT_TRUE(store_->delete_item(item("news-" + std::to_string(i)).id));
  expect_same_as_full();
  EXPECT_TRUE(fs::exists(incremental() + "/sitemap-3.xml"));
  EXPECT_FALSE(fs::exists(incremental() + "/sitemap-4.xml"));
  // 9 URLs (home, news, 3 categories, 4 items): one sitemap, no parts.
  for (int i = 7; i <= 26; ++i) {
    ASSERT_TRUE(store_->delete_item(item("news-" + std::to_string(i)).id));
  }
  expect_same_as_full();
  EXPECT_FALSE(fs::exists(incremental() + "/sitemap-1.xml"));
  auto sitemap = read_file(incremental() + "/sitemap.xml", 1u << 20);
  ASSERT_TRUE(sitemap);
  EXPECT_NE(sitemap->find("<urlset"), std::string::npos);
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

// An item its end time moved to the archive keeps its page, its place in
// its month and among its neighbours' links, but leaves lists and feeds.
TEST_F(IncrementalExport, ArchivedItemKeepsItsPageAndNeighbours) {
  model::Item archived = item("news-10");
  archived.expires_at = now_ - 86400;
  archived.archive_on_expiry = true;
  ASSERT_TRUE(store_->update_item(archived));
  export_to(incremental());
  const std::string page = incremental() + "/news-centre/news-detail/news-10/index.html";
  EXPECT_TRUE(fs::exists(page));
  auto newer = read_file(incremental() + "/news-centre/news-detail/news-11/index.html");
  ASSERT_TRUE(newer);
  EXPECT_NE(newer->find("/news-centre/news-detail/news-10/"), std::string::npos);

  archived = item("news-10");
  archived.title = "Project News: Archived and renamed";
  ASSERT_TRUE(store_->update_item(archived));
  expect_same_as_full();
  newer = read_file(incremental() + "/news-centre/news-detail/news-11/index.html");
  ASSERT_TRUE(newer);
  EXPECT_NE(newer->find("Archived and renamed"), std::string::npos);
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

// A site in three languages: the fixture's 30 items in the default
// language (English), French translations of news-1 to news-9 and a French
// item of its own, Arabic translations of news-2 and news-25 and three
// Arabic items of their own.
class MultilingualExport : public IncrementalExport {
 protected:
  void SetUp() override {
    IncrementalExport::SetUp();
    base_.languages = {"fr", "ar"};
    for (int i = 1; i <= 9; ++i) add_translation("fr", "news-" + std::to_string(i));
    add_own("fr", 1, kJune2018 + 5 * 86400);
    add_translation("ar", "news-2");
    add_translation("ar", "news-25");
    for (int i = 1; i <= 3; ++i) add_own("ar", i, kJune2018 + std::int64_t{i} * 7 * 86400);
  }

  // `language`'s translation of the item with `slug`, an hour after it.
  std::int64_t add_translation(const std::string& language, const std::string& slug,
                               model::Status status = model::Status::kPublished) {
    const model::Item original = item(slug);
    model::Item t = make_item(1, original.published_at->epoch_seconds + 3600);
    t.guid = "urn:uuid:" + language + "-" + slug;
    t.slug = language + "-" + slug;
    t.title = "[" + language + "] " + original.title;
    t.language = language;
    t.translation_of = original.id;
    t.categories = original.categories;
    t.status = status;
    auto id = store_->insert_item(t);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  void add_own(const std::string& language, int i, std::int64_t published) {
    model::Item own = make_item(i, published);
    own.guid = "urn:uuid:own-" + language + "-" + std::to_string(i);
    own.slug = "own-" + language + "-" + std::to_string(i);
    own.title = "[" + language + "] Own news " + std::to_string(i);
    own.language = language;
    ASSERT_TRUE(store_->insert_item(own));
  }

  // The manifest's stamp of every file of the incremental export: a file
  // whose stamp stayed was kept as it was, not rendered.
  std::map<std::string, std::string> stamps() const {
    std::map<std::string, std::string> out;
    auto text = read_file(incremental() + "/" + std::string(kManifestName));
    EXPECT_TRUE(text);
    if (!text) return out;
    std::size_t at = text->find('\n') + 1;
    while (at < text->size()) {
      const std::size_t end = text->find('\n', at);
      const std::string line = text->substr(at, end - at);
      const auto s1 = line.find(' ');
      const auto s2 = line.find(' ', s1 + 1);
      const auto s3 = line.find(' ', s2 + 1);
      out.emplace(line.substr(s3 + 1), line.substr(s2 + 1, s3 - s2 - 1));
      at = end + 1;
    }
    return out;
  }

  std::string page(const std::string& file) const {
    auto bytes = read_file(incremental() + "/" + file);
    EXPECT_TRUE(bytes) << file;
    return bytes ? *bytes : "";
  }

  static bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
  }
};

TEST_F(MultilingualExport, EachLanguageUnderItsPrefixTheRootOnlyFilesOnce) {
  const ExportReport first = export_to(incremental());
  EXPECT_EQ(first.rendered, first.files);
  const auto files = files_of(incremental());
  for (const std::string must : {
           "index.html",
           "fr/index.html",
           "ar/index.html",
           "fr/news/page/3/index.html",  // 10 French items, 4 a page
           "fr/category/press-release/index.html",
           "fr/rss.xml",
           "fr/feed-archive/1/atom.xml",
           "ar/category/project-news/feed.json",
           "fr/archive/index.html",
           "fr/archive/2018/06/index.html",
           "fr/news-centre/news-detail/fr-news-1/index.html",
           "ar/news-centre/news-detail/own-ar-2/index.html",
           "news-centre/news-detail/news-1/index.html",
       }) {
    EXPECT_TRUE(files.contains(must)) << must;
  }
  EXPECT_FALSE(files.contains("fr/news/page/4/index.html"));
  // An item lives under its own language's prefix only.
  EXPECT_FALSE(files.contains("news-centre/news-detail/fr-news-1/index.html"));
  EXPECT_FALSE(files.contains("ar/news-centre/news-detail/fr-news-1/index.html"));
  for (const auto& [path, bytes] : files) {
    for (const char* root_only : {"sitemap.xml", "news-sitemap.xml", "robots.txt", "feed.xsl",
                                  "404.html", "static/", "files/"}) {
      EXPECT_FALSE((path.starts_with("fr/") || path.starts_with("ar/")) &&
                   path.substr(3).starts_with(root_only))
          << path;
    }
  }
  // Lists hold their language's items; item pages name their translations.
  EXPECT_TRUE(has(page("fr/news/index.html"), "fr-news-9"));
  EXPECT_FALSE(has(page("fr/news/index.html"), "/news-centre/news-detail/news-9/"));
  EXPECT_FALSE(has(page("news/index.html"), "own-ar-"));
  const std::string original = page("news-centre/news-detail/news-2/index.html");
  EXPECT_TRUE(has(original, "<link rel=\"alternate\" hreflang=\"fr\"")) << original;
  EXPECT_TRUE(has(original, "/ar/news-centre/news-detail/ar-news-2/"));

  const ExportReport again = expect_same_as_full();
  EXPECT_EQ(again.written, 0u);
  EXPECT_LT(again.rendered, 15u);
}

TEST_F(MultilingualExport, NewFrenchTranslationRendersItsGroupAndFrenchListsOnly) {
  export_to(incremental());
  const auto before = stamps();
  const std::string original_file = "news-centre/news-detail/news-20/index.html";
  const std::string link = "/fr/news-centre/news-detail/fr-news-20/";
  EXPECT_FALSE(has(page(original_file), link));
  add_translation("fr", "news-20");
  const ExportReport report = expect_same_as_full();
  EXPECT_LT(report.rendered, report.files / 4);
  const auto after = stamps();
  // The original's page (its alternates and switcher) and the French
  // lists and feeds.
  for (const char* changed : {"news-centre/news-detail/news-20/index.html", "fr/index.html",
                              "fr/news/index.html", "fr/rss.xml", "fr/atom.xml"}) {
    ASSERT_TRUE(before.contains(changed) && after.contains(changed)) << changed;
    EXPECT_NE(before.at(changed), after.at(changed)) << changed;
  }
  EXPECT_TRUE(has(page(original_file), "<link rel=\"alternate\" hreflang=\"fr\"")) << link;
  EXPECT_TRUE(has(page(original_file), link));
  EXPECT_TRUE(after.contains("fr/news-centre/news-detail/fr-news-20/index.html"));
  // Nothing in Arabic, nor the English lists and feeds.
  std::size_t arabic = 0;
  for (const auto& [path, stamp] : before) {
    if (!path.starts_with("ar/") && path != "index.html" && path != "news/index.html" &&
        path != "rss.xml") {
      continue;
    }
    arabic += path.starts_with("ar/");
    ASSERT_TRUE(after.contains(path)) << path;
    EXPECT_EQ(after.at(path), stamp) << path << " was rendered again";
  }
  EXPECT_GT(arabic, 20u);
}

TEST_F(MultilingualExport, TranslationUnpublishedLeavesTheOriginalsAlternates) {
  export_to(incremental());
  const std::string original_file = "news-centre/news-detail/news-4/index.html";
  ASSERT_TRUE(has(page(original_file), "/fr/news-centre/news-detail/fr-news-4/"));
  const auto before = stamps();
  model::Item translation = item("fr-news-4");
  translation.status = model::Status::kDraft;
  ASSERT_TRUE(store_->update_item(translation));
  const ExportReport report = expect_same_as_full();
  EXPECT_GT(report.removed, 0u);
  EXPECT_NE(stamps().at(original_file), before.at(original_file));
  EXPECT_FALSE(has(page(original_file), "/fr/news-centre/news-detail/fr-news-4/"));
  EXPECT_FALSE(fs::exists(incremental() + "/fr/news-centre/news-detail/fr-news-4"));

  // Published again: back in the original's alternates.
  translation.status = model::Status::kPublished;
  ASSERT_TRUE(store_->update_item(translation));
  expect_same_as_full();
  EXPECT_TRUE(has(page(original_file), "/fr/news-centre/news-detail/fr-news-4/"));
}

// Parts of a site in three languages: joined, their <url>s (hreflang
// alternates included, also of groups split between two parts) are the one
// sitemap's, byte for byte.
TEST_F(MultilingualExport, SitemapPartsJoinedAreTheOneSitemap) {
  auto site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  const render::Theme theme = render::Theme::builtin();
  const std::int64_t now = now_;
  LanguageSites whole(*site, *store_, theme, [now] { return now; });
  auto one = whole.whole_site().sitemap();
  ASSERT_TRUE(one);
  auto url_blocks = [](const std::string& xml) {
    std::vector<std::string> out;
    for (std::size_t at = xml.find("  <url>"); at != std::string::npos;
         at = xml.find("  <url>", at + 1)) {
      out.push_back(xml.substr(at, xml.find("  </url>", at) - at));
    }
    return out;
  };
  const std::vector<std::string> want = url_blocks(one->body);
  // 3 languages x (home, news, 3 categories) + 30 + 9 + 1 + 2 + 3 items.
  ASSERT_EQ(want.size(), 60u);
  for (int per_part : {7, 25}) {
    model::Site small = *site;
    small.sitemap_urls = per_part;
    LanguageSites parted(small, *store_, theme, [now] { return now; });
    auto parts = parted.whole_site().sitemap_parts();
    ASSERT_TRUE(parts);
    ASSERT_EQ(*parts, static_cast<std::size_t>((60 + per_part - 1) / per_part));
    std::vector<std::string> got;
    for (std::size_t p = 1; p <= *parts; ++p) {
      auto part = parted.whole_site().sitemap_part(p);
      ASSERT_TRUE(part) << p;
      const std::vector<std::string> blocks = url_blocks(part->body);
      EXPECT_LE(blocks.size(), static_cast<std::size_t>(per_part));
      got.insert(got.end(), blocks.begin(), blocks.end());
    }
    EXPECT_EQ(got, want) << per_part;
  }
  // And the export writes them.
  base_.sitemap_urls = 25;
  export_to(incremental());
  EXPECT_TRUE(fs::exists(incremental() + "/sitemap-3.xml"));
  EXPECT_FALSE(fs::exists(incremental() + "/sitemap-4.xml"));
  EXPECT_FALSE(fs::exists(incremental() + "/fr/sitemap-1.xml"));
}

TEST_F(MultilingualExport, LanguageAddedOrMovedRendersEverything) {
  base_.languages = {"fr"};  // the Arabic items are the default language's
  export_to(incremental());
  EXPECT_TRUE(fs::exists(incremental() + "/news-centre/news-detail/own-ar-1/index.html"));
  EXPECT_FALSE(fs::exists(incremental() + "/ar"));

  base_.languages = {"fr", "ar"};
  const ExportReport added = expect_same_as_full();
  EXPECT_EQ(added.rendered, added.files);
  EXPECT_GT(added.removed, 0u);
  EXPECT_FALSE(fs::exists(incremental() + "/news-centre/news-detail/own-ar-1"));
  EXPECT_TRUE(fs::exists(incremental() + "/ar/news-centre/news-detail/own-ar-1/index.html"));

  base_.language_prefixes = {{"fr", "/francais/"}};
  const ExportReport moved = expect_same_as_full();
  EXPECT_EQ(moved.rendered, moved.files);
  EXPECT_FALSE(fs::exists(incremental() + "/fr"));
  EXPECT_TRUE(fs::exists(incremental() + "/francais/news/index.html"));
  EXPECT_TRUE(has(page("news-centre/news-detail/news-1/index.html"),
                  "/francais/news-centre/news-detail/fr-news-1/"));
}

}  // namespace
}  // namespace newsdesk::service
