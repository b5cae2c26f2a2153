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

}  // namespace
}  // namespace newsdesk
