#include "core/strings.h"

#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace newsdesk {

namespace {

// The bytes escaping acts on: C0 controls XML forbids (all but tab, LF and
// CR: dropped), and with `markup` the five that are escaped. Every other
// byte is copied as it is, a run at a time: item bodies are most of a page's
// and a feed's bytes.
constexpr std::array<bool, 256> special_bytes(bool markup) {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n' && c != '\r';
  if (markup) {
    for (unsigned char c : {'&', '<', '>', '"', '\''}) t[c] = true;
  }
  return t;
}
constexpr std::array<bool, 256> kForbidden = special_bytes(false);
constexpr std::array<bool, 256> kEscaped = special_bytes(true);

}  // namespace

void append_escaped(std::string& out, std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!kEscaped[static_cast<unsigned char>(s[i])]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (s[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        break;  // a control XML forbids: dropped
    }
  }
  out.append(s.data() + run, s.size() - run);
}

std::string escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  append_escaped(out, s);
  return out;
}

void append_element(std::string& out, std::string_view indent, std::string_view name,
                    std::string_view value) {
  out.append(indent).append("<").append(name).append(">");
  append_escaped(out, value);
  out.append("</").append(name).append(">\n");
}

namespace {

void append_plain(std::string& out, std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!kForbidden[static_cast<unsigned char>(s[i])]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

void append_cdata(std::string& out, std::string_view s) {
  out += "<![CDATA[";
  for (;;) {
    const auto at = s.find("]]>");
    if (at == std::string_view::npos) break;
    // "]]" ends this section; ">" starts the next one.
    append_plain(out, s.substr(0, at + 2));
    out += "]]><![CDATA[";
    s.remove_prefix(at + 2);
  }
  append_plain(out, s);
  out += "]]>";
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool is_utf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto length = static_cast<std::int32_t>(s.size());
  for (std::int32_t i = 0; i < length;) {
    // Eight ASCII bytes at a time: slugs, paths and most text are all ASCII.
    if (length - i >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace newsdesk
