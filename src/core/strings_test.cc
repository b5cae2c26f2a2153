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
}

}  // namespace
}  // namespace newsdesk
