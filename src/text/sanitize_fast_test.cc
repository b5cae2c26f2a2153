#include "text/sanitize_fast.h"

#include <gtest/gtest.h>

#include <string>

namespace newsdesk::text::internal {
namespace {

constexpr std::string_view kBase = "https://www.icmpd.org/news-centre/news-detail/x/";

// Inputs the fast path reads: each must give the gumbo path's bytes.
constexpr std::string_view kAccepted[] = {
    "",
    "plain text",
    "Q & A: 1 < 2 > 0 \"quoted\" 'single' \xC3\xA9t\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D",
    "<p>One</p>\n<p>Two &amp; three &hellip; &#8220;x&#x201D; &nbsp;&lt;b&gt;</p>",
    "<ul><li>a</li><li><em>b</em><ol><li>c</li></ol></li></ul>",
    "<p>A <a href=\"https://example.org/?a=1&amp;b=2\" rel=\"nofollow\" "
    "title=\"t&quot;\">l</a></p>",
    "<p><a href=\"/relative/\">rel</a> <a href=\"javascript:alert(1)\">js</a></p>",
    "<p><img src=\"/x.png\" alt=\"a'b\" width=\"10\" onerror=\"x()\"><br/><br></p>",
    "<P CLASS=\"x\">Upper <STRONG>case</STRONG></P>",
    "<pre><code>\nint x;\n</code></pre><pre>a\n\n</pre>",
    "<h2>T<span lang='en'>x</span></h2><dl><dt>a</dt><dd>b</dd></dl><hr>",
    "<blockquote><p>q</p></blockquote><figure><img src=\"https://e.org/i.jpg\">"
    "<figcaption>c</figcaption></figure>",
    "<div><p>unclosed <b>bold",
    "<!-- a comment -->text<!---->",
    "<p>x<sub>2</sub>y<sup>3</sup> <abbr title=\"a\">b</abbr> <q>q</q> <cite>c</cite> <s>s</s></p>",
    "<a href=\"mailto:x@example.org\">mail</a>",
};

// Inputs outside the subset: the fast path must decline them.
constexpr std::string_view kDeclined[] = {
    "<script>alert(1)</script>",
    "<table><tr><td>x</td></tr></table>",
    "<p>a<p>b",                               // implied </p>
    "<p><div>x</div></p>",                    // a block closes the <p>
    "<b><i>x</b></i>",                        // mis-nested
    "<a href=\"x\"><a href=\"y\">z</a></a>",  // <a> in <a>
    "<li>outside a list</li>",
    "<h2><span><h3>x</h3></span></h2>",
    "<pre>\nleading newline</pre>",
    "<p class=unquoted>x</p>",
    "<p title=\"a\" title=\"b\">x</p>",
    "&copy2 &unknown; &#0; &#x80;",
    "ctrl \x01 char",
    "cr \r lf",
    "bad utf-8 \xC3(",
    "<h1>unwrapped</h1>",
    "<!--> abrupt -->",
    "<p/>",
    "</p>",
};

TEST(SanitizeFast, GivesTheGumboPathsBytes) {
  for (const std::string_view html : kAccepted) {
    for (const std::string_view base : {std::string_view(), kBase}) {
      const std::optional<std::string> fast = sanitize_html_fast(html, base);
      ASSERT_TRUE(fast.has_value()) << html;
      EXPECT_EQ(*fast, sanitize_html_gumbo(html, base)) << html;
    }
  }
}

TEST(SanitizeFast, DeclinesWhatIsOutsideTheSubset) {
  for (const std::string_view html : kDeclined) {
    EXPECT_FALSE(sanitize_html_fast(html, kBase).has_value()) << html;
  }
}

TEST(SanitizeFast, DeclinesInputPastTheTagLimit) {
  std::string html;
  for (std::size_t i = 0; i <= kMaxTags; ++i) html += "<br>";
  EXPECT_FALSE(sanitize_html_fast(html, "").has_value());
}

TEST(SanitizeFast, ReadsTheSampleBody) {
  const std::string_view body =
      "<p>The Deputy Minister of Interior underlined that \xE2\x80\x9Clabour migration is an "
      "undeniable need.\xE2\x80\x9D</p>\n<ul><li>one</li><li>two</li></ul>\n<p>End.</p>";
  const std::optional<std::string> fast = sanitize_html_fast(body, kBase);
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(*fast, body);
}

TEST(HtmlToTextFast, GivesTheGumboPathsText) {
  for (const std::string_view text :
       {std::string_view("A &amp; B"), std::string_view("  x\n\ty &nbsp; z &#233; "),
        std::string_view("Q & A &lt;p&gt;"), std::string_view("")}) {
    const std::optional<std::string> fast = html_to_text_fast(text);
    ASSERT_TRUE(fast.has_value()) << text;
    EXPECT_EQ(*fast, html_to_text_gumbo(text)) << text;
  }
  EXPECT_FALSE(html_to_text_fast("<b>x</b>").has_value());
  EXPECT_FALSE(html_to_text_fast("&copy2").has_value());
}

}  // namespace
}  // namespace newsdesk::text::internal
