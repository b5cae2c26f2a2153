#include "service/import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace newsdesk::service {
namespace {

const std::vector<std::string> kPrefixes = {"Press Release:", "Project News:"};

TEST(TitlePrefixCategory, ConfiguredPrefixNamesCategory) {
  EXPECT_EQ(title_prefix_category("Press Release: First centre opened", {}, kPrefixes),
            "Press Release");
}

TEST(TitlePrefixCategory, UnconfiguredLabelNeedsTwoUses) {
  const std::vector<std::string> titles = {"Expert Voice: One", "Expert Voice: Two",
                                           "Kabul: A city"};
  EXPECT_EQ(title_prefix_category("Expert Voice: One", titles, {}), "Expert Voice");
  EXPECT_EQ(title_prefix_category("Kabul: A city", titles, {}), "");
}

TEST(TitlePrefixCategory, SentencesAreNotLabels) {
  const std::vector<std::string> titles = {"Why we did it, and how: a story",
                                           "Why we did it, and how: a story"};
  EXPECT_EQ(title_prefix_category(titles[0], titles, {}), "");
  EXPECT_EQ(title_prefix_category("Statement on the occasion of World Day", titles, {}), "");
}

TEST(SlugForImport, TakesTheLinksLastSegment) {
  EXPECT_EQ(slug_for_import("https://www.icmpd.org//news-centre/news-detail/project-news-9th/",
                            "ignored"),
            "project-news-9th");
}

TEST(SlugForImport, FallsBackToTitle) {
  EXPECT_EQ(slug_for_import("https://example.org/index.php?id=123", "ICMPD's News"), "icmpds-news");
  EXPECT_EQ(slug_for_import("https://example.org/2018/07/04/", "Hello World"), "hello-world");
  EXPECT_EQ(slug_for_import("", "Hello World"), "hello-world");
  EXPECT_EQ(slug_for_import("", ""), "item");
}

TEST(SlugForImport, DropsPageExtensions) {
  EXPECT_EQ(slug_for_import("https://example.org/news/big-news.html", "x"), "big-news");
}

TEST(SourceId, GuidThenLinkThenHash) {
  feed::ParsedItem item;
  item.title = "T";
  const std::string hash = source_id_for(item);
  EXPECT_TRUE(hash.starts_with("hash:"));
  EXPECT_EQ(source_id_for(item), hash);  // stable
  item.link = "https://example.org/a/";
  EXPECT_EQ(source_id_for(item), "https://example.org/a/");
  item.guid = "g-1";
  EXPECT_EQ(source_id_for(item), "g-1");
}

// --- importing ----------------------------------------------------------------

std::unique_ptr<store::Store> memory_store() {
  auto store = store::open_store("sqlite::memory:");
  if (!store || !(*store)->migrate()) return nullptr;
  return std::move(*store);
}

feed::ParsedItem parsed(const std::string& n, const std::string& title = "") {
  feed::ParsedItem item;
  item.guid = "guid-" + n;
  item.title = title.empty() ? "Item " + n : title;
  item.link = "https://example.org/news/item-" + n + "/";
  item.summary = "<p>Summary " + n + "</p>";
  item.published = model::DateTime{1531210290 + std::stoll(n) * 60, 120};
  return item;
}

feed::ParsedFeed feed_of(std::vector<feed::ParsedItem> items) {
  feed::ParsedFeed f;
  f.format = "rss";
  f.title = "Feed";
  f.link = "https://example.org/";
  f.language = "en";
  f.items = std::move(items);
  return f;
}

ImportOptions options() {
  ImportOptions o;
  o.now_epoch_seconds = 1531210290;
  return o;
}

TEST(ImportFeeds, SkipsItemsWithoutTitleOrTextWithAReason) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  feed::ParsedItem empty;
  empty.link = "https://example.org/only-a-link/";
  auto report = import_feeds(*store, {feed_of({parsed("1"), empty, parsed("2")})}, options());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->added, 2);
  EXPECT_EQ(report->skipped_total(), 1);
  EXPECT_EQ(report->skipped.at(std::string(kSkippedEmpty)), 1);
}

TEST(ImportFeeds, SkipsALaterDuplicateAndKeepsTheFirstListed) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  feed::ParsedItem later = parsed("1", "Second version");
  auto report =
      import_feeds(*store, {feed_of({parsed("1", "First listed"), parsed("2"), later})}, options());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->added, 2);
  EXPECT_EQ(report->updated, 0);
  EXPECT_EQ(report->skipped.at(std::string(kSkippedDuplicate)), 1);
  auto stored = store->item_by_source_id("guid-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->title, "First listed");
}

TEST(ImportFeeds, DuplicateInALaterSourceIsSkipped) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  auto report = import_feeds(*store, {feed_of({parsed("1")}), feed_of({parsed("1"), parsed("2")})},
                             options());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->added, 2);
  EXPECT_EQ(report->skipped.at(std::string(kSkippedDuplicate)), 1);
}

TEST(ImportFeeds, SecondRunIsUnchangedAndSkipsNothing) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  const auto f = feed_of({parsed("1"), parsed("2")});
  ASSERT_TRUE(import_feeds(*store, {f}, options()));
  auto again = import_feeds(*store, {f}, options());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->skipped_total(), 0);
}

TEST(ImportFeeds, UpdateKeepsAttachmentIdsAndStoredBytes) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  feed::ParsedItem item = parsed("1");
  item.enclosures = {{"https://example.org/a.pdf", "application/pdf", 10}};
  ASSERT_TRUE(import_feeds(*store, {feed_of({item})}, options()));
  const std::int64_t file_id = store->item_by_source_id("guid-1")->attachments.at(0).id;
  ASSERT_TRUE(store->save_attachment_file(file_id, "application/pdf", "%PDF-1.4"));

  item.title = "Typo fixed";
  auto report = import_feeds(*store, {feed_of({item})}, options());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->updated, 1);
  EXPECT_EQ(store->item_by_source_id("guid-1")->attachments.at(0).id, file_id);
  EXPECT_TRUE(store->attachment_file(file_id));
}

// A feed file on disk, removed at the end.
class FeedFile {
 public:
  explicit FeedFile(const std::string& xml)
      : path_(std::filesystem::temp_directory_path() /
              ("newsdesk-import-test-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter_++) + ".xml")) {
    std::ofstream(path_) << xml;
  }
  ~FeedFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

// Newest first, as feeds list them; titles carry a repeated label.
std::string rss_with(int n) {
  std::string xml =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
      "<link>https://example.org/</link><description>D</description>";
  for (int i = n; i >= 1; --i) {
    const std::string k = std::to_string(i);
    xml += "<item><title>Expert Voice: item " + k + "</title><link>https://example.org/news/same/" +
           "</link><guid>g" + k + "</guid><description>Text " + k +
           "</description><pubDate>Tue, 10 Jul 2018 10:" + (i < 10 ? "0" + k : k) +
           ":00 +0200</pubDate></item>";
  }
  return xml + "</channel></rss>";
}

// id order and slug suffixes of what a store holds, oldest id first.
std::vector<std::string> slugs_by_id(store::Store& store) {
  store::ItemQuery q;
  q.limit = 0;
  auto items = store.list_items(q);
  std::vector<std::pair<std::int64_t, std::string>> pairs;
  for (const auto& i : *items) pairs.emplace_back(i.id, i.slug + " " + i.title);
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::string> out;
  for (auto& p : pairs) out.push_back(p.second);
  return out;
}

TEST(ImportSources, FileLargerThanTheWindowImportsLikeOneThatFits) {
  FeedFile file(rss_with(7));
  auto whole = memory_store();
  auto windowed = memory_store();
  ASSERT_NE(whole, nullptr);
  ASSERT_NE(windowed, nullptr);
  ImportOptions o = options();
  auto a = import_sources(*whole, {file_feed_reader(file.path())}, o);
  ASSERT_TRUE(a) << a.error().message;
  o.window_bytes = 300;  // two or three items per pass
  auto b = import_sources(*windowed, {file_feed_reader(file.path())}, o);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(a->added, 7);
  EXPECT_EQ(b->added, 7);
  // Oldest first either way: the oldest item has the smallest id and the
  // slug without a suffix.
  const auto order = slugs_by_id(*windowed);
  EXPECT_EQ(order, slugs_by_id(*whole));
  ASSERT_EQ(order.size(), 7u);
  EXPECT_EQ(order.front(), "same Expert Voice: item 1");
  EXPECT_EQ(order.back(), "same-7 Expert Voice: item 7");
  // The title label is counted over the whole feed, whatever the window.
  auto item = windowed->item_by_source_id("g3");
  ASSERT_TRUE(item);
  ASSERT_EQ(item->categories.size(), 1u);
  EXPECT_EQ(item->categories[0].name, "Expert Voice");
}

TEST(ImportSources, ReportsProgressReadingThenImporting) {
  FeedFile file(rss_with(3));
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  std::vector<ImportProgress> seen;
  ImportOptions o = options();
  o.on_progress = [&seen](const ImportProgress& p) { seen.push_back(p); };
  ASSERT_TRUE(import_sources(*store, {file_feed_reader(file.path())}, o));
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(seen[0].phase, ImportProgress::Phase::kReading);
  EXPECT_EQ(seen[2].items_done, 3u);
  EXPECT_GT(seen[2].source_bytes, 0u);
  EXPECT_EQ(seen[5].phase, ImportProgress::Phase::kImporting);
  EXPECT_EQ(seen[5].items_done, 3u);
  EXPECT_EQ(seen[5].items_total, 3u);
}

TEST(ImportSources, ABadSourceImportsNothing) {
  FeedFile good(rss_with(3));
  FeedFile bad("this is not a feed");
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  auto r = import_sources(*store, {file_feed_reader(good.path()), file_feed_reader(bad.path())},
                          options());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(bad.path()), std::string::npos) << r.error().message;
  EXPECT_TRUE(slugs_by_id(*store).empty());
}

TEST(ImportSources, MissingFileIsNamed) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  auto r = import_sources(*store, {file_feed_reader("/nonexistent/feed.xml")}, options());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("/nonexistent/feed.xml"), std::string::npos);
}

TEST(ImportSources, ASourceThatChangesBetweenPassesImportsNothing) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  int reads = 0;
  FeedReader reader;
  reader.name = "moving";
  reader.read = [&reads](const feed::ItemSink& sink) -> Result<feed::ParsedFeed> {
    ++reads;
    for (int i = 1; i <= 4; ++i) {
      if (auto r = sink(parsed(std::to_string(reads > 1 && i == 1 ? 9 : i))); !r) return r.error();
    }
    return feed_of({});
  };
  ImportOptions o = options();
  o.window_bytes = 1;  // one item per pass
  auto r = import_sources(*store, {reader}, o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("changed"), std::string::npos) << r.error().message;
  EXPECT_TRUE(slugs_by_id(*store).empty());
}

}  // namespace
}  // namespace newsdesk::service
