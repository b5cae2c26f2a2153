#include "text/markdown.h"

#include <gtest/gtest.h>

namespace newsdesk::text {
namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(Markdown, ParagraphsEmphasisAndLists) {
  const std::string html = markdown_to_html("A **bold** and *soft* word.\n\n- one\n- two\n");
  EXPECT_TRUE(contains(html, "<p>A <strong>bold</strong> and <em>soft</em> word.</p>")) << html;
  EXPECT_TRUE(contains(html, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>")) << html;
}

TEST(Markdown, GithubTablesAndStrikethrough) {
  const std::string html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new\n");
  EXPECT_TRUE(contains(html, "<table>")) << html;
  EXPECT_TRUE(contains(html, "<td>2</td>")) << html;
  // cmark-gfm marks it up as <del>, which the allow-list unwraps (text kept).
  EXPECT_FALSE(contains(html, "~~")) << html;
  EXPECT_TRUE(contains(html, "old new")) << html;
}

TEST(Markdown, LinksAreKeptAndAutolinked) {
  const std::string html =
      markdown_to_html("[report](https://example.org/r.pdf) and https://example.org/x");
  EXPECT_TRUE(contains(html, "<a href=\"https://example.org/r.pdf\"")) << html;
  EXPECT_TRUE(contains(html, "<a href=\"https://example.org/x\"")) << html;
}

TEST(Markdown, RawHtmlGoesThroughTheSanitizer) {
  const std::string html = markdown_to_html(
      "Hello<script>alert(1)</script> <sup>2</sup>\n\n<iframe src=\"https://evil\"></iframe>\n\n"
      "[x](javascript:alert(1)) <img src=x onerror=alert(1)>");
  EXPECT_FALSE(contains(html, "<script")) << html;
  EXPECT_FALSE(contains(html, "alert(1)</")) << html;
  EXPECT_FALSE(contains(html, "<iframe")) << html;
  EXPECT_FALSE(contains(html, "javascript:")) << html;
  EXPECT_FALSE(contains(html, "onerror")) << html;
  EXPECT_TRUE(contains(html, "<sup>2</sup>")) << html;
}

TEST(Markdown, RelativeLinksResolveAgainstTheBase) {
  EXPECT_TRUE(contains(markdown_to_html("[a](/files/1/a.pdf)", "https://news.example.org/"),
                       "href=\"https://news.example.org/files/1/a.pdf\""));
}

TEST(Markdown, InvalidUtf8AndHugeInputDoNotBreakIt) {
  EXPECT_FALSE(markdown_to_html("bad \xff\xfe bytes").empty());
  const std::string big(3u << 20, '*');
  EXPECT_LE(markdown_to_html(big, "", 1u << 16).size(), 1u << 18);
  EXPECT_TRUE(markdown_to_html("").empty());
}

}  // namespace
}  // namespace newsdesk::text
