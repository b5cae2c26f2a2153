#include "text/sanitize.h"

#include <gtest/gtest.h>

#include <string>

namespace newsdesk::text {
namespace {

constexpr const char* kBase = "https://www.icmpd.org/";

// From the BOMCA item's content:encoded in fixtures/icmpd-news-centre.rss.xml,
// shortened: already clean, so sanitizing must not change a byte.
constexpr const char* kSampleBody =
    "<p>ICMPD has a long-standing experience of work in Central Asia and has been involved in the "
    "BOMCA programme from its early phases.</p>\n"
    "<p>During the its 36 months the programme implemented over 170 activities in the framework "
    "of its three components \u2013 institutional development of border management agencies:</p>\n"
    "<ul><li>Resumed work of the Regional Platform of CA Border Guards and Customs Training "
    "Centres</li><li>Launched and operationalised distance learning system for border guards "
    "training institutions in Kyrgyzstan (Osh &amp; Bishkek)</li><li>Provided expert "
    "recommendations to  CA Customs services in order to advance electronic E-Customs "
    "environment</li></ul>\n"
    "<p>More information on the ICMPD Border Management Programme can be found here.</p>";

// ---------------------------------------------------------------- sanitize_html

TEST(SanitizeHtml, PreservesCleanSampleBodyExactly) {
  EXPECT_EQ(sanitize_html(kSampleBody, kBase), kSampleBody);
}

TEST(SanitizeHtml, SecondPassChangesNothing) {
  const std::string once = sanitize_html(
      "<p onclick=x>a <a href=/x title='t\"'>b</a><font>c</font><img src=y.png alt=z><br>", kBase);
  EXPECT_EQ(sanitize_html(once, kBase), once);
}

TEST(SanitizeHtml, RemovesScriptWithContent) {
  EXPECT_EQ(sanitize_html("<p>a<script>alert(1)</script>b</p>"), "<p>ab</p>");
}

TEST(SanitizeHtml, RemovesOnclick) {
  EXPECT_EQ(sanitize_html("<p onclick=\"alert(1)\" ONMOUSEOVER=x>a</p>"), "<p>a</p>");
}

TEST(SanitizeHtml, RemovesJavascriptHref) {
  EXPECT_EQ(sanitize_html("<a href=\"javascript:alert(1)\">x</a>", kBase), "<a>x</a>");
}

TEST(SanitizeHtml, RemovesJavascriptHrefInMixedCaseWithSpaces) {
  EXPECT_EQ(sanitize_html("<a href=\"  JaVaScRiPt:alert(1)\">x</a>", kBase), "<a>x</a>");
}

TEST(SanitizeHtml, RemovesJavascriptHrefHiddenByEntities) {
  EXPECT_EQ(sanitize_html("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", kBase), "<a>x</a>");
  EXPECT_EQ(sanitize_html("<a href=\"&#106;avascript:alert(1)\">x</a>", kBase), "<a>x</a>");
  EXPECT_EQ(sanitize_html("<a href=\"java&#10;script:alert(1)\">x</a>", kBase), "<a>x</a>");
  EXPECT_EQ(sanitize_html("<a href=\"&#x01;javascript:alert(1)\">x</a>", kBase), "<a>x</a>");
}

TEST(SanitizeHtml, RemovesDataAndVbscriptUrls) {
  EXPECT_EQ(sanitize_html("<a href=\"data:text/html,<script>\">x</a>", kBase), "<a>x</a>");
  EXPECT_EQ(sanitize_html("<a href=\"vbscript:msgbox\">x</a>", kBase), "<a>x</a>");
  EXPECT_EQ(sanitize_html("<img src=\"data:image/png;base64,AAAA\">", kBase), "<img>");
}

TEST(SanitizeHtml, ResolvesRelativeHrefAgainstBase) {
  EXPECT_EQ(sanitize_html("<a href=\"/x\">x</a>", kBase),
            "<a href=\"https://www.icmpd.org/x\" rel=\"noopener\">x</a>");
}

TEST(SanitizeHtml, ResolvesRelativeImageSourceAgainstBase) {
  EXPECT_EQ(sanitize_html("<img src=\"fileadmin/a.jpg\" alt=\"A\">", kBase),
            "<img src=\"https://www.icmpd.org/fileadmin/a.jpg\" alt=\"A\">");
}

TEST(SanitizeHtml, DropsRelativeHrefWithoutBase) {
  EXPECT_EQ(sanitize_html("<p><a href=\"/x\">text kept</a></p>"), "<p><a>text kept</a></p>");
}

TEST(SanitizeHtml, KeepsAbsoluteHttpAndMailtoLinksAsWritten) {
  EXPECT_EQ(sanitize_html("<a href=\"https://example.org/a?b=1&amp;c=2#d\">x</a>"),
            "<a href=\"https://example.org/a?b=1&amp;c=2#d\" rel=\"noopener\">x</a>");
  EXPECT_EQ(sanitize_html("<a href=\"mailto:press@icmpd.org\">press</a>"),
            "<a href=\"mailto:press@icmpd.org\" rel=\"noopener\">press</a>");
}

TEST(SanitizeHtml, RejectsMailtoImageSource) {
  EXPECT_EQ(sanitize_html("<img src=\"mailto:a@b\">"), "<img>");
}

TEST(SanitizeHtml, ReplacesExistingRelWithNoopener) {
  EXPECT_EQ(sanitize_html("<a href=\"https://a.example/\" rel=\"opener\" target=\"_blank\">x</a>"),
            "<a href=\"https://a.example/\" rel=\"noopener\">x</a>");
}

TEST(SanitizeHtml, KeepsHrefOnlyOnLinks) {
  EXPECT_EQ(sanitize_html("<div href=\"https://a.example/\" src=\"https://a.example/\">x</div>"),
            "<div>x</div>");
}

TEST(SanitizeHtml, DropsIframeStyleAndForm) {
  EXPECT_EQ(sanitize_html("<p>a</p><iframe src=\"https://evil.example/\">f</iframe>"
                          "<style>p{color:red}</style><form action=\"/x\"><input name=q>"
                          "<p>in form</p></form><p>b</p>"),
            "<p>a</p><p>b</p>");
}

TEST(SanitizeHtml, DropsEmbeddedContentAndMetadata) {
  EXPECT_EQ(sanitize_html("<object data=x>o</object><embed src=x><noscript>n</noscript>"
                          "<template><p>t</p></template><meta charset=utf-8>"
                          "<link rel=stylesheet href=x><base href=\"https://evil.example/\">ok"),
            "ok");
}

TEST(SanitizeHtml, DropsSvgAndMathWithContent) {
  EXPECT_EQ(sanitize_html("<svg><a xlink:href=\"javascript:x\">s</a><script>x</script></svg>"
                          "<math><mi>m</mi></math>ok"),
            "ok");
}

TEST(SanitizeHtml, UnwrapsUnknownElements) {
  EXPECT_EQ(sanitize_html("<p><font color=red>red</font> and <x-custom>custom</x-custom></p>"),
            "<p>red and custom</p>");
}

TEST(SanitizeHtml, UnwrapsH1) {
  // The page's own title is the only <h1>; an article's headings start at h2.
  EXPECT_EQ(sanitize_html("<h1>Title</h1><h2>Sub</h2>"), "Title<h2>Sub</h2>");
}

TEST(SanitizeHtml, DropsComments) {
  EXPECT_EQ(sanitize_html("a<!--[if IE]><script>x</script><![endif]-->b"), "ab");
}

TEST(SanitizeHtml, EscapesTextEntities) {
  EXPECT_EQ(sanitize_html("<p>Osh &amp; Bishkek &lt;b&gt; 1 < 2 & 3 > 2</p>"),
            "<p>Osh &amp; Bishkek &lt;b&gt; 1 &lt; 2 &amp; 3 &gt; 2</p>");
}

TEST(SanitizeHtml, DecodesNamedEntitiesToCharacters) {
  EXPECT_EQ(sanitize_html("<p>&eacute;&ndash;&quot;</p>"), "<p>\u00e9\u2013\"</p>");
}

TEST(SanitizeHtml, EscapesAttributeValues) {
  EXPECT_EQ(sanitize_html("<abbr title='a \"b\" &amp; <c>'>x</abbr>"),
            "<abbr title=\"a &quot;b&quot; &amp; &lt;c&gt;\">x</abbr>");
}

TEST(SanitizeHtml, KeepsAllowedAttributes) {
  EXPECT_EQ(
      sanitize_html("<table><tbody><tr><td colspan=\"2\" rowspan=\"1\" lang=\"ar\" "
                    "dir=\"rtl\" style=\"x\" class=\"y\" id=\"z\">c</td></tr></tbody></table>"),
      "<table><tbody><tr><td colspan=\"2\" rowspan=\"1\" lang=\"ar\" "
      "dir=\"rtl\">c</td></tr></tbody></table>");
}

TEST(SanitizeHtml, WritesVoidElementsWithoutEndTag) {
  EXPECT_EQ(sanitize_html("a<br/>b<hr><img src=\"https://a.example/i.png\" width=\"18\" "
                          "height=\"16\" alt=\"\">"),
            "a<br>b<hr><img src=\"https://a.example/i.png\" width=\"18\" height=\"16\" alt=\"\">");
}

TEST(SanitizeHtml, ClosesUnclosedElements) {
  EXPECT_EQ(sanitize_html("<p>a<p>b<ul><li>c<li>d"),
            "<p>a</p><p>b</p><ul><li>c</li><li>d</li></ul>");
}

TEST(SanitizeHtml, IgnoresDocumentWrapper) {
  EXPECT_EQ(sanitize_html("<html><head><title>t</title></head><body><p>x</p></body></html>"),
            "t<p>x</p>");
}

TEST(SanitizeHtml, KeepsLeadingNewlineOfPre) {
  // The parser eats one newline after <pre>; the second one is content.
  EXPECT_EQ(sanitize_html("<pre>\n\ncode</pre>"), "<pre>\n\ncode</pre>");
  EXPECT_EQ(sanitize_html(sanitize_html("<pre>\n\ncode</pre>")), "<pre>\n\ncode</pre>");
}

TEST(SanitizeHtml, DropsControlCharacters) {
  EXPECT_EQ(sanitize_html("<p title=\"t&#x1;\">a&#x1;b&#x7f;c&#xFDD0;d</p>"),
            "<p title=\"t\">abcd</p>");
}

TEST(SanitizeHtml, WritesCarriageReturnReferenceAsNewline) {
  EXPECT_EQ(sanitize_html("<p>a&#13;b</p>"), "<p>a\nb</p>");
}

TEST(SanitizeHtml, UnwrapsLinkNestedInLink) {
  // Foster parenting out of the table puts the second <a> inside the first.
  EXPECT_EQ(sanitize_html("<a href=\"https://a.example/\">x<table><a href=\"https://b.example/\">y"
                          "</a></table></a>"),
            "<a href=\"https://a.example/\" rel=\"noopener\">xy<table></table></a>");
}

TEST(SanitizeHtml, ReplacesMalformedUtf8) {
  EXPECT_EQ(sanitize_html("<p>a\xFF"
                          "b</p>"),
            "<p>a\uFFFDb</p>");
}

TEST(SanitizeHtml, ReturnsEmptyForEmptyInput) { EXPECT_EQ(sanitize_html(""), ""); }

TEST(SanitizeHtml, SurvivesDeepNesting) {
  std::string html;
  for (int i = 0; i < 5000; ++i) html += "<div><span>";
  html += "deep";
  const std::string out = sanitize_html(html);
  EXPECT_NE(out.find("deep"), std::string::npos);
  EXPECT_TRUE(out.ends_with("</span></div>"));
}

TEST(SanitizeHtml, CutsInputWithTooManyTags) {
  std::string html;
  for (int i = 0; i < 30000; ++i) html += "<b>x</b>";
  const std::string out = sanitize_html(html);
  EXPECT_LT(out.size(), html.size());
  EXPECT_TRUE(out.starts_with("<b>x</b><b>x</b>"));
}

// ---------------------------------------------------------------- html_to_text

TEST(HtmlToText, DecodesEntitiesAndSeparatesBlocks) {
  EXPECT_EQ(html_to_text("<p>A &amp; B</p><p>C</p>"), "A & B C");
}

TEST(HtmlToText, CollapsesWhitespace) {
  EXPECT_EQ(html_to_text("  <p>a \n\t b</p>\n\n<p> c&nbsp;&nbsp;d </p> "), "a b c d");
}

TEST(HtmlToText, KeepsInlineElementsInTheWord) {
  EXPECT_EQ(html_to_text("<p>ICMPD<strong>\u2019s</strong> <a href=x>Director</a></p>"),
            "ICMPD\u2019s Director");
}

TEST(HtmlToText, SeparatesLineBreaksAndListItems) {
  EXPECT_EQ(html_to_text("a<br>b<ul><li>c</li><li>d</li></ul>e"), "a b c d e");
}

TEST(HtmlToText, SkipsScriptAndStyle) {
  EXPECT_EQ(html_to_text("<style>p{}</style><p>a</p><script>var x;</script><template>t</template>"),
            "a");
}

TEST(HtmlToText, LeavesTextWithoutMarkupAlone) {
  EXPECT_EQ(html_to_text("Afghanistan is second only to Syria"),
            "Afghanistan is second only to Syria");
}

TEST(HtmlToText, ReturnsEmptyForEmptyInput) { EXPECT_EQ(html_to_text(""), ""); }

// ---------------------------------------------------------------- resolve_url

// RFC 3986 §5.4 examples, base "http://a/b/c/d;p?q".
constexpr const char* kRfcBase = "http://a/b/c/d;p?q";

TEST(ResolveUrl, ResolvesRfc3986NormalExamples) {
  const std::pair<const char*, const char*> kCases[] = {
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
  };
  for (const auto& [ref, expected] : kCases) {
    EXPECT_EQ(resolve_url(kRfcBase, ref), expected) << "ref: " << ref;
  }
}

TEST(ResolveUrl, ResolvesRfc3986AbnormalExamples) {
  const std::pair<const char*, const char*> kCases[] = {
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
  };
  for (const auto& [ref, expected] : kCases) {
    EXPECT_EQ(resolve_url(kRfcBase, ref), expected) << "ref: " << ref;
  }
}

TEST(ResolveUrl, ResolvesAgainstSiteRoot) {
  EXPECT_EQ(resolve_url(kBase, "/x"), "https://www.icmpd.org/x");
  EXPECT_EQ(resolve_url(kBase, "news-centre/news-detail/a/"),
            "https://www.icmpd.org/news-centre/news-detail/a/");
  EXPECT_EQ(resolve_url("https://www.icmpd.org", "x"), "https://www.icmpd.org/x");
}

TEST(ResolveUrl, ResolvesSchemeRelative) {
  EXPECT_EQ(resolve_url(kBase, "//cdn.example/x.png"), "https://cdn.example/x.png");
}

TEST(ResolveUrl, KeepsAbsoluteReference) {
  EXPECT_EQ(resolve_url(kBase, "http://example.org/a/../b"), "http://example.org/b");
  EXPECT_EQ(resolve_url(kBase, "mailto:press@icmpd.org"), "mailto:press@icmpd.org");
  EXPECT_EQ(resolve_url("", "HTTPS://Example.org/"), "https://Example.org/");
}

TEST(ResolveUrl, RejectsOtherSchemes) {
  EXPECT_EQ(resolve_url(kBase, "javascript:alert(1)"), "");
  EXPECT_EQ(resolve_url(kBase, "ftp://example.org/"), "");
  EXPECT_EQ(resolve_url("ftp://example.org/", "x"), "");
  EXPECT_EQ(resolve_url("javascript:x", "y"), "");
}

TEST(ResolveUrl, RejectsHttpWithoutHost) {
  EXPECT_EQ(resolve_url("", "http:/x"), "");
  EXPECT_EQ(resolve_url("", "https:///x"), "");
}

TEST(ResolveUrl, RejectsRelativeBase) {
  EXPECT_EQ(resolve_url("/news/", "x"), "");
  EXPECT_EQ(resolve_url("", "x"), "");
}

TEST(ResolveUrl, IgnoresWhitespaceBrowsersIgnore) {
  EXPECT_EQ(resolve_url(kBase, " \t/x\n"), "https://www.icmpd.org/x");
  EXPECT_EQ(resolve_url(kBase, "java\tscript:alert(1)"), "");
}

}  // namespace
}  // namespace newsdesk::text
