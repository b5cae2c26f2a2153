#include "core/json_write.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace newsdesk {
namespace {

using namespace std::string_literals;

// What the writer stands in for: nlohmann's compact dump with the replace
// handler, and (kScript) render::json_for_script's escapes on top of it,
// written out again here so that this test needs nothing but nlohmann.
std::string nlohmann_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string script_safe(const std::string& json) {
  std::string out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string written(std::string_view s, JsonEscape escape = JsonEscape::kPlain) {
  std::string out;
  append_json_string(out, s, escape);
  return out;
}

TEST(JsonWrite, EscapesAsNlohmannDoes) {
  EXPECT_EQ(written("plain"), "\"plain\"");
  EXPECT_EQ(written("q\" b\\ /"), R"("q\" b\\ /")");
  EXPECT_EQ(written("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(written("\x01\x1f\x7f nul \0"s), "\"\\u0001\\u001f\x7f nul \\u0000\"");
  EXPECT_EQ(written("<a&b>"), "\"<a&b>\"");
}

TEST(JsonWrite, ScriptEscapesMarkupAndLineSeparators) {
  EXPECT_EQ(written("</script><!-- & -->", JsonEscape::kScript),
            R"("\u003c/script\u003e\u003c!-- \u0026 --\u003e")");
  EXPECT_EQ(written("a\xE2\x80\xA8"
                    "b\xE2\x80\xA9"
                    "c\xE2\x80\xAA",
                    JsonEscape::kScript),
            "\"a\\u2028b\\u2029c\xE2\x80\xAA\"");
  EXPECT_EQ(written("a\xE2\x80\xA8", JsonEscape::kPlain), "\"a\xE2\x80\xA8\"");
}

TEST(JsonWrite, InvalidUtf8BecomesReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(written("\xFF"), "\"" + r + "\"");
  EXPECT_EQ(written("cut \xE2\x80"), "\"cut " + r + "\"");
  // The byte that breaks a sequence is read again: here it starts one.
  EXPECT_EQ(written("\xC3\xC3\xA9"), "\"" + r + "\xC3\xA9\"");
  // Overlong forms and surrogates: one U+FFFD per byte that cannot follow.
  EXPECT_EQ(written("\xC0\xAF"), "\"" + r + r + "\"");
  EXPECT_EQ(written("\xED\xA0\x80"), "\"" + r + r + r + "\"");
  EXPECT_EQ(written("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\"");
}

// Every short string over the bytes that matter (controls, the escaped
// ASCII, every kind of lead and continuation byte), in both modes.
TEST(JsonWrite, WritesWhatNlohmannWritesForRandomBytes) {
  static constexpr unsigned char kPool[] = {0x00, 0x01, 0x1f, '"',  '\\', '<',  '>',  '&',  'a',
                                            0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xa8, 0xa9, 0xbf,
                                            0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xe2, 0xec, 0xed,
                                            0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  std::mt19937 rng(7);
  int mismatches = 0;
  for (int n = 0; n < 200000 && mismatches < 5; ++n) {
    std::string s;
    const auto length = rng() % 12;
    for (std::uint32_t k = 0; k < length; ++k) s += static_cast<char>(kPool[rng() % sizeof kPool]);
    const std::string expected = nlohmann_string(s);
    std::string hex;
    for (unsigned char c : s) hex += std::to_string(c) + " ";
    const std::string plain = written(s);
    const std::string script = written(s, JsonEscape::kScript);
    EXPECT_EQ(plain, expected) << "bytes " << hex;
    EXPECT_EQ(script, script_safe(expected)) << "bytes " << hex;
    if (plain != expected || script != script_safe(expected)) ++mismatches;
  }
}

TEST(JsonWrite, MembersWriteCompactObjectsAndArrays) {
  std::string out;
  {
    JsonMembers j(out, '{');
    j.string("a", "b");
    j.number("n", -12);
    j.key("list");
    JsonMembers list(out, '[');
    list.element("x");
    list.next() += "1";
    {
      list.next();
      JsonMembers empty(out, '{');
    }
  }
  EXPECT_EQ(out, R"({"a":"b","n":-12,"list":["x",1,{}]})");
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(doc.dump(), out);
}

}  // namespace
}  // namespace newsdesk
