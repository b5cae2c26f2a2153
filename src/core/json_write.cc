#include "core/json_write.h"

#include <array>

namespace newsdesk {

namespace {

enum ByteClass : std::uint8_t { kCopied, kEscaped, kNonAscii };

// Most bytes are copied as they are, a run at a time: item bodies are most
// of a JSON feed's bytes.
constexpr std::array<std::uint8_t, 256> byte_classes(bool script) {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kEscaped;
  t['"'] = kEscaped;
  t['\\'] = kEscaped;
  if (script) {
    t['<'] = kEscaped;
    t['>'] = kEscaped;
    t['&'] = kEscaped;
  }
  for (int c = 0x80; c < 0x100; ++c) t[c] = kNonAscii;
  return t;
}
constexpr std::array<std::uint8_t, 256> kPlainClasses = byte_classes(false);
constexpr std::array<std::uint8_t, 256> kScriptClasses = byte_classes(true);

// A byte that starts a well-formed sequence (RFC 3629, section 4): its
// length and the range of its second byte (later ones are 80..BF). Length 0
// for a byte that starts none. nlohmann's decoder (Hoehrmann's DFA) rejects
// exactly what falls outside these ranges, at the first byte that does.
struct Lead {
  std::size_t length;
  unsigned char low;
  unsigned char high;
};

Lead lead_of(unsigned char b) {
  if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};  // no overlong forms
  if (b == 0xED) return {3, 0x80, 0x9F};  // no surrogates
  if (b >= 0xE1 && b <= 0xEF) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};  // no overlong forms
  if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};  // nothing past U+10FFFF
  return {0, 0, 0};
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default: {
      // Other controls, and '<' '>' '&' for kScript: all below U+0100.
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s, JsonEscape escape) {
  const bool script = escape == JsonEscape::kScript;
  const std::array<std::uint8_t, 256>& classes = script ? kScriptClasses : kPlainClasses;
  out += '"';
  std::size_t run = 0;  // the bytes from here to i are copied as they are
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::uint8_t byte_class = classes[c];
    if (byte_class == kCopied) {
      ++i;
      continue;
    }
    if (byte_class == kEscaped) {
      out.append(s.data() + run, i - run);
      append_escape(out, c);
      run = ++i;
      continue;
    }
    const Lead lead = lead_of(c);
    std::size_t k = 1;
    if (lead.length != 0) {
      for (; k < lead.length && i + k < s.size(); ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        const bool fits = k == 1 ? b >= lead.low && b <= lead.high : b >= 0x80 && b <= 0xBF;
        if (!fits) break;
      }
    }
    if (lead.length == 0 || k < lead.length) {
      // One U+FFFD for the bytes read so far; the byte that did not fit
      // (if any) is read again as a start.
      out.append(s.data() + run, i - run);
      out += "\xEF\xBF\xBD";
      run = i += k;
      continue;
    }
    // U+2028 and U+2029 (E2 80 A8/A9) end a line in older JavaScript.
    if (script && c == 0xE2 && s[i + 1] == '\x80' && (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      out.append(s.data() + run, i - run);
      out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      run = i += 3;
      continue;
    }
    i += lead.length;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace newsdesk
