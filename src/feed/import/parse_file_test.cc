// parse_feed_file against parse_feed: the same feeds, the same items, the
// same errors, whether the input is read whole or streamed in chunks.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "feed/import/parsed_feed.h"
#include "feed/import/parser.h"
#include "feed/import/xml_util.h"

namespace newsdesk::feed {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path write_temp(const std::string& name, std::string_view bytes) {
  const fs::path p = fs::path(testing::TempDir()) / name;
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return p;
}

// parse_feed_file with every item collected, as parse_feed returns them.
Result<ParsedFeed> parse_file_collecting(const fs::path& path, std::string_view base,
                                         const ParseLimits& limits = {}) {
  std::vector<ParsedItem> items;
  Result<ParsedFeed> feed = parse_feed_file(
      path.string(), base,
      [&](ParsedItem item) -> Result<void> {
        items.push_back(std::move(item));
        return {};
      },
      limits);
  if (feed) feed->items = std::move(items);
  return feed;
}

void expect_same(const Result<ParsedFeed>& whole, const Result<ParsedFeed>& streamed,
                 const std::string& what) {
  ASSERT_EQ(whole.has_value(), streamed.has_value())
      << what << ": " << (whole ? streamed.error().message : whole.error().message);
  if (whole) {
    EXPECT_EQ(to_json(*whole), to_json(*streamed)) << what;
  } else {
    EXPECT_EQ(whole.error().code, streamed.error().code) << what;
    EXPECT_EQ(whole.error().message, streamed.error().message) << what;
  }
}

TEST(ParseFeedFile, MatchesParseFeedOnTheWholeCorpus) {
  const fs::path dir = fs::path(NEWSDESK_SOURCE_DIR) / "tests" / "feed" / "corpus";
  int inputs = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const fs::path p = e.path();
    const std::string ext = p.extension().string();
    if (ext != ".xml" && ext != ".json" && ext != ".rss" && ext != ".atom") continue;
    if (p.stem().extension() == ".expected") continue;
    const fs::path base_file = dir / (p.stem().string() + ".base.txt");
    std::string base = fs::exists(base_file) ? read_all(base_file) : "";
    while (!base.empty() && std::isspace(static_cast<unsigned char>(base.back()))) base.pop_back();
    ++inputs;
    expect_same(parse_feed(read_all(p), base), parse_file_collecting(p, base),
                p.filename().string());
  }
  EXPECT_GE(inputs, 80);
}

// A feed larger than the file reader's 64 KiB chunks, with what the chunk-wise
// repair must get right wherever a chunk ends: bare '&', HTML entities, CDATA.
std::string big_feed(int items) {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
      "<title>Q&A &eacute;t&eacute;</title><link>https://example.org/</link>\n";
  for (int i = 0; i < items; ++i) {
    const std::string n = std::to_string(i);
    s += "<item><title>Item " + n + " &amp; Q&A &hellip; &#233;</title>";
    s += "<link>/news/" + n + "/?a=1&b=2</link>";
    s += "<description>&lt;p&gt;Teaser " + n + " &amp;amp; more&lt;/p&gt;</description>";
    s += "<content:encoded><![CDATA[<p>Body " + n +
         " &amp; <a href=\"/x?a=1&amp;b=2\">link</a> & bare</p><ul><li>one</li></ul>";
    s += std::string(static_cast<std::size_t>(i % 97), 'x');
    s += "]]></content:encoded><guid>g-" + n + "</guid></item>\n";
  }
  s += "</channel></rss>\n";
  return s;
}

TEST(ParseFeedFile, MatchesParseFeedAcrossChunks) {
  const std::string bytes = big_feed(1500);
  ASSERT_GT(bytes.size(), 3u * 65536u);
  const fs::path p = write_temp("big_feed.xml", bytes);
  const Result<ParsedFeed> whole = parse_feed(bytes, "https://example.org/");
  ASSERT_TRUE(whole) << whole.error().message;
  ASSERT_EQ(whole->items.size(), 1500u);
  expect_same(whole, parse_file_collecting(p, "https://example.org/"), "big_feed.xml");
}

TEST(ParseFeedFile, HandsItemsToTheSinkOneByOne) {
  const fs::path p = write_temp("three.xml", big_feed(3));
  std::vector<std::string> guids;
  auto feed = parse_feed_file(p.string(), "", [&](ParsedItem item) -> Result<void> {
    guids.push_back(item.guid);
    return {};
  });
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_TRUE(feed->items.empty());
  EXPECT_EQ(feed->title, "Q&A été");
  EXPECT_EQ(guids, (std::vector<std::string>{"g-0", "g-1", "g-2"}));
}

TEST(ParseFeedFile, StopsAtTheSinksError) {
  const fs::path p = write_temp("stop.xml", big_feed(10));
  int calls = 0;
  auto feed = parse_feed_file(p.string(), "", [&](ParsedItem) -> Result<void> {
    if (++calls == 2) return make_error(ErrorCode::kConflict, "store: full");
    return {};
  });
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kConflict);
  EXPECT_EQ(calls, 2);
}

TEST(ParseFeedFile, ReportsAMissingFileAsNotFound) {
  auto feed =
      parse_feed_file("/nonexistent/feed.xml", "", [](ParsedItem) -> Result<void> { return {}; });
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kNotFound);
}

TEST(ParseFeedFile, AppliesTheItemLimitWhileStreaming) {
  const fs::path p = write_temp("limit.xml", big_feed(20));
  ParseLimits limits;
  limits.max_items = 5;
  int calls = 0;
  auto feed = parse_feed_file(
      p.string(), "",
      [&](ParsedItem) -> Result<void> {
        ++calls;
        return {};
      },
      limits);
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().message, "feed: more than 5 items");
  EXPECT_EQ(calls, 5);
}

TEST(ParseFeedFile, StreamsXmlLargerThanTheMemoryLimit) {
  const std::string bytes = big_feed(300);
  const fs::path p = write_temp("over_limit.xml", bytes);
  ParseLimits limits;
  limits.max_bytes = bytes.size() / 4;
  auto feed = parse_file_collecting(p, "", limits);
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->items.size(), 300u);
}

TEST(ParseFeedFile, RefusesJsonLargerThanTheMemoryLimit) {
  const fs::path p = write_temp(
      "big.json", R"({"version":"https://jsonfeed.org/version/1.1","title":"T","items":[]})");
  ParseLimits limits;
  limits.max_bytes = 16;
  auto feed = parse_file_collecting(p, "", limits);
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
  EXPECT_NE(feed.error().message.find("read whole"), std::string::npos) << feed.error().message;
}

TEST(ParseFeedFile, RefusesAFileOverTheFileLimit) {
  const fs::path p = write_temp("file_limit.xml", big_feed(50));
  ParseLimits limits;
  limits.max_file_bytes = 1000;
  auto feed = parse_file_collecting(p, "", limits);
  ASSERT_FALSE(feed);
  EXPECT_NE(feed.error().message.find("larger than the limit"), std::string::npos);
}

TEST(ParseFeedFile, RejectsAnEmptyFile) {
  const fs::path p = write_temp("empty.xml", " \n\t");
  auto feed = parse_file_collecting(p, "");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().message, "feed: empty input");
}

// The chunk-wise repair must give what the whole-input repair gives,
// wherever the input is cut.
TEST(ReferenceRepairer, GivesTheSameBytesForEverySplit) {
  const std::string inputs[] = {
      "<t>Q&A &eacute; &amp; &#233; &#xE9; &#x; &unknown; &nbsp;</t>",
      "<![CDATA[a & b]]> & <!-- c & d --> & <?pi e & f?> &copy;",
      "<t a=\"?a=1&b=2\">&hellip&hellip;</t><![CDATA[ ]] ]]> &",
      "&",
      "<!-->&<!-- -->&",
  };
  for (const std::string& in : inputs) {
    const std::optional<std::string> whole = internal::repair_references(in);
    const std::string expected = whole ? *whole : in;
    for (std::size_t cut = 0; cut <= in.size(); ++cut) {
      for (std::size_t cut2 = cut; cut2 <= in.size(); ++cut2) {
        internal::ReferenceRepairer r;
        std::string out;
        r.push(std::string_view(in).substr(0, cut), false, out);
        r.push(std::string_view(in).substr(cut, cut2 - cut), false, out);
        r.push(std::string_view(in).substr(cut2), true, out);
        ASSERT_EQ(out, expected) << in << " cut at " << cut << " and " << cut2;
      }
    }
  }
}

}  // namespace
}  // namespace newsdesk::feed
