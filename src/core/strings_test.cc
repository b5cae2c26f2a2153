#include "core/strings.h"

#include <gtest/gtest.h>

namespace newsdesk {
namespace {

TEST(Strings, EscapesMarkupCharacters) {
  EXPECT_EQ(escaped("Osh & Bishkek <b> \"q\" 'a'"),
            "Osh &amp; Bishkek &lt;b&gt; &quot;q&quot; &#39;a&#39;");
}

TEST(Strings, CdataCannotBeClosedByContent) {
  std::string out;
  append_cdata(out, "a]]>b");
  EXPECT_EQ(out, "<![CDATA[a]]]]><![CDATA[>b]]>");
}

TEST(Strings, DropsControlCharactersXmlForbids) {
  EXPECT_EQ(escaped(std::string("a\x0b\x01"
                                "b\tc\n",
                                7)),
            "ab\tc\n");
  std::string out;
  append_cdata(out, std::string("x\x0cy", 3));
  EXPECT_EQ(out, "<![CDATA[xy]]>");
}

TEST(Strings, CollapsesWhitespace) {
  EXPECT_EQ(collapse_whitespace("  a \n\t b  "), "a b");
  EXPECT_EQ(collapse_whitespace(""), "");
}

TEST(Strings, Utf8IsWellFormedOnly) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("ascii only"));
  EXPECT_TRUE(is_utf8("caf\xC3\xA9 \xF0\x9F\x93\xB0 \xD9\x85"));
  EXPECT_FALSE(is_utf8("\xFF"));
  EXPECT_FALSE(is_utf8("cut \xC3"));
  EXPECT_FALSE(is_utf8("overlong \xC0\xAF"));
  EXPECT_FALSE(is_utf8("surrogate \xED\xA0\x80"));
  EXPECT_FALSE(is_utf8("past U+10FFFF \xF4\x90\x80\x80"));
  EXPECT_FALSE(is_utf8("lone continuation \x80 after ascii"));
  // A bad or good sequence at every offset, around the eight-byte steps.
  for (std::size_t at = 0; at < 24; ++at) {
    std::string text(24, 'a');
    text[at] = '\xFF';
    EXPECT_FALSE(is_utf8(text)) << at;
    text.replace(at, 1, "\xC3\xA9");
    EXPECT_TRUE(is_utf8(text)) << at;
    text.resize(at + 1);  // the sequence cut after its first byte
    EXPECT_FALSE(is_utf8(text)) << at;
  }
}

// Escaping copies runs of plain bytes at once; every byte must still get
// what the rules say, wherever it falls in a run.
TEST(Strings, EscapingMatchesTheRulesByteForByte) {
  std::uint64_t x = 7;
  for (int round = 0; round < 200; ++round) {
    std::string in;
    for (int i = 0; i < round; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      in += static_cast<char>(x >> 56);
    }
    std::string want_escaped;
    std::string want_plain;
    for (char c : in) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
      want_plain += c;
      switch (c) {
        case '&':
          want_escaped += "&amp;";
          break;
        case '<':
          want_escaped += "&lt;";
          break;
        case '>':
          want_escaped += "&gt;";
          break;
        case '"':
          want_escaped += "&quot;";
          break;
        case '\'':
          want_escaped += "&#39;";
          break;
        default:
          want_escaped += c;
      }
    }
    EXPECT_EQ(escaped(in), want_escaped);
    std::string cdata;
    append_cdata(cdata, in);
    if (in.find("]]>") == std::string::npos) {
      EXPECT_EQ(cdata, "<![CDATA[" + want_plain + "]]>");
    }
  }
}

}  // namespace
}  // namespace newsdesk
