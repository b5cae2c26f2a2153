// The fast path of the sanitizer (see sanitize_fast.h for the subset and the
// argument). Every rule below is a reason to decline: when in doubt, return
// nullopt and let gumbo decide. What is accepted must give the gumbo path's
// bytes; fuzz/sanitize_diff_fuzzer.cc checks that.

#include "text/sanitize_fast.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace newsdesk::text::internal {

namespace {

enum class Tag : std::uint8_t {
  kA,
  kAbbr,
  kB,
  kBlockquote,
  kBr,
  kCite,
  kCode,
  kDd,
  kDiv,
  kDl,
  kDt,
  kEm,
  kFigcaption,
  kFigure,
  kH2,
  kH3,
  kH4,
  kH5,
  kH6,
  kHr,
  kI,
  kImg,
  kLi,
  kOl,
  kP,
  kPre,
  kQ,
  kS,
  kSpan,
  kStrong,
  kSub,
  kSup,
  kU,
  kUl,
};

struct TagInfo {
  std::string_view name;
  Tag tag;
  bool is_void;
  // Phrasing: may sit inside <p> without making the HTML5 parser close it
  // (HTML5 §13.2.6.4.7: every other allowed element here closes an open <p>).
  bool phrasing;
};

// The allow-list of sanitize.cc without the table elements (tables get
// implied <tbody>s and foster parenting: gumbo's business).
constexpr std::array<TagInfo, 34> kTags = {{
    {"a", Tag::kA, false, true},
    {"abbr", Tag::kAbbr, false, true},
    {"b", Tag::kB, false, true},
    {"blockquote", Tag::kBlockquote, false, false},
    {"br", Tag::kBr, true, true},
    {"cite", Tag::kCite, false, true},
    {"code", Tag::kCode, false, true},
    {"dd", Tag::kDd, false, false},
    {"div", Tag::kDiv, false, false},
    {"dl", Tag::kDl, false, false},
    {"dt", Tag::kDt, false, false},
    {"em", Tag::kEm, false, true},
    {"figcaption", Tag::kFigcaption, false, false},
    {"figure", Tag::kFigure, false, false},
    {"h2", Tag::kH2, false, false},
    {"h3", Tag::kH3, false, false},
    {"h4", Tag::kH4, false, false},
    {"h5", Tag::kH5, false, false},
    {"h6", Tag::kH6, false, false},
    {"hr", Tag::kHr, true, false},
    {"i", Tag::kI, false, true},
    {"img", Tag::kImg, true, true},
    {"li", Tag::kLi, false, false},
    {"ol", Tag::kOl, false, false},
    {"p", Tag::kP, false, false},
    {"pre", Tag::kPre, false, false},
    {"q", Tag::kQ, false, true},
    {"s", Tag::kS, false, true},
    {"span", Tag::kSpan, false, true},
    {"strong", Tag::kStrong, false, true},
    {"sub", Tag::kSub, false, true},
    {"sup", Tag::kSup, false, true},
    {"u", Tag::kU, false, true},
    {"ul", Tag::kUl, false, false},
}};

const TagInfo* find_tag(std::string_view lower_name) {
  for (const TagInfo& t : kTags) {
    if (t.name == lower_name) return &t;
  }
  return nullptr;
}

bool is_heading(Tag t) { return t >= Tag::kH2 && t <= Tag::kH6; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Named references decoded here: XML's five, &nbsp; and common typography.
// Only with the ';': without it HTML5 decodes some names and not others.
struct Entity {
  std::string_view name;
  char32_t code_point;
};
constexpr std::array<Entity, 26> kEntities = {{
    {"amp", U'&'},     {"lt", U'<'},      {"gt", U'>'},      {"quot", U'"'},    {"apos", U'\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},   {"raquo", 0xBB},   {"euro", 0x20AC},  {"eacute", 0xE9},
    {"uuml", 0xFC},    {"ouml", 0xF6},    {"auml", 0xE4},    {"szlig", 0xDF},   {"middot", 0xB7},
    {"deg", 0xB0},
}};

// Code points a numeric reference may give here: what gumbo returns as is
// and append_html_escaped keeps (not NUL, the C0/C1 controls but tab and LF,
// the Windows-1252 remapped 0x80-0x9F, surrogates, noncharacters).
bool is_plain_code_point(char32_t c) {
  if (c == '\t' || c == '\n') return true;
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if (c >= 0xFDD0 && c <= 0xFDEF) return false;
  if ((c & 0xFFFE) == 0xFFFE) return false;
  return c <= 0x10FFFF;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Length of the valid UTF-8 sequence at s[i] (lead byte >= 0x80) when it is
// one that gumbo passes through and append_html_escaped keeps; 0 otherwise
// (invalid, C1 control, noncharacter).
std::size_t plain_utf8_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  auto cont = [&](std::size_t k) { return (at(k) & 0xC0) == 0x80; };
  const unsigned b0 = at(0);
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1)) return 0;
    if (b0 == 0xC2 && at(1) <= 0x9F) return 0;  // C1 controls
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && at(1) < 0xA0) return 0;                                     // overlong
    if (b0 == 0xED && at(1) > 0x9F) return 0;                                     // surrogates
    if (b0 == 0xEF && at(1) == 0xB7 && at(2) >= 0x90 && at(2) <= 0xAF) return 0;  // U+FDD0-FDEF
    if (b0 == 0xEF && at(1) == 0xBF && at(2) >= 0xBE) return 0;                   // U+FFFE/F
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && at(1) < 0x90) return 0;                                // overlong
    if (b0 == 0xF4 && at(1) > 0x8F) return 0;                                // past U+10FFFF
    if ((at(1) & 0x0F) == 0x0F && at(2) == 0xBF && at(3) >= 0xBE) return 0;  // U+xFFFE/F
    return 4;
  }
  return 0;
}

// Decodes the character reference at s[i] == '&' into `out`, escaped as
// append_html_escaped would; returns the bytes consumed, 0 to decline.
// A '&' followed by whitespace or the end is a literal '&' in HTML5.
std::size_t append_reference(std::string_view s, std::size_t i, std::string& out,
                             bool in_attribute) {
  char32_t c = 0;
  std::size_t n = 0;
  if (i + 1 == s.size() || is_space(s[i + 1])) {
    c = U'&';
    n = 1;
  } else if (s[i + 1] == '#') {
    std::size_t j = i + 2;
    const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    const std::size_t digits = j;
    std::uint32_t value = 0;
    while (j < s.size() && (hex ? is_hex(s[j]) : is_digit(s[j]))) {
      const char d = s[j];
      const std::uint32_t v = is_digit(d) ? d - '0' : (lower(d) - 'a' + 10);
      value = value * (hex ? 16 : 10) + v;
      if (value > 0x10FFFF) return 0;
      ++j;
    }
    if (j == digits || j >= s.size() || s[j] != ';') return 0;
    c = value;
    if (!is_plain_code_point(c)) return 0;
    n = j + 1 - i;
  } else {
    const std::size_t semicolon = s.find(';', i + 1);
    if (semicolon == std::string_view::npos || semicolon - i > 8) return 0;
    const std::string_view name = s.substr(i + 1, semicolon - i - 1);
    for (const Entity& e : kEntities) {
      if (e.name == name) {
        c = e.code_point;
        n = semicolon + 1 - i;
        break;
      }
    }
    if (n == 0) return 0;
  }
  switch (c) {
    case U'&':
      out += "&amp;";
      break;
    case U'<':
      out += "&lt;";
      break;
    case U'>':
      out += "&gt;";
      break;
    case U'"':
      out += in_attribute ? "&quot;" : "\"";
      break;
    default:
      append_utf8(out, c);
  }
  return n;
}

// Bytes copied as they are: printable ASCII but for & < > (text), and but
// for both quotes too (attribute values). Everything else takes the slow way.
struct PlainBytes {
  bool text[256] = {};
  bool attribute[256] = {};
  constexpr PlainBytes() {
    for (int c = 0x20; c < 0x7F; ++c) {
      const bool plain = c != '&' && c != '<' && c != '>';
      text[c] = plain;
      attribute[c] = plain && c != '"' && c != '\'';
    }
  }
};
constexpr PlainBytes kPlainBytes;

// Appends the text s[i, end) decoded and escaped; stops at '<' (text) or at
// `quote` (attribute value). Returns the index it stopped at, or npos to decline.
std::size_t append_text(std::string_view s, std::size_t i, std::string& out, char quote) {
  const bool in_attribute = quote != '\0';
  const bool* plain = in_attribute ? kPlainBytes.attribute : kPlainBytes.text;
  while (i < s.size()) {
    // The common case first: a run of plain ASCII.
    std::size_t j = i;
    while (j < s.size() && plain[static_cast<unsigned char>(s[j])]) ++j;
    out.append(s.data() + i, j - i);
    i = j;
    if (i == s.size()) return i;
    const char c = s[i];
    if (in_attribute ? c == quote : c == '<') return i;
    switch (c) {
      case '&': {
        const std::size_t n = append_reference(s, i, out, in_attribute);
        if (n == 0) return std::string_view::npos;
        i += n;
        continue;
      }
      case '<':  // in an attribute value: a plain character
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':  // in an attribute value quoted with '
        out += "&quot;";
        ++i;
        continue;
      case '\'':  // in an attribute value quoted with "
        out += c;
        ++i;
        continue;
      case '\t':
      case '\n':
        out += c;
        ++i;
        continue;
      default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x80) return std::string_view::npos;  // controls, DEL
    const std::size_t n = plain_utf8_length(s, i);
    if (n == 0) return std::string_view::npos;
    out.append(s.data() + i, n);
    i += n;
  }
  return i;
}

constexpr int kMaxDepth = 64;

class FastSanitizer {
 public:
  FastSanitizer(std::string_view in, std::string_view base) : in_(in), base_(base) {}

  std::optional<std::string> run() {
    // The gumbo path cuts the input past its kMaxTags-th '<' (wherever it
    // is: text, attribute value, comment); only long input can have that many.
    if (in_.size() > kMaxTags &&
        static_cast<std::size_t>(std::count(in_.begin(), in_.end(), '<')) > kMaxTags) {
      return std::nullopt;
    }
    out_.reserve(in_.size() + in_.size() / 8 + 16);
    std::size_t i = 0;
    while (i < in_.size()) {
      if (in_[i] != '<') {
        if (after_pre_ && (in_[i] == '\n' || in_[i] == '&')) return std::nullopt;
        after_pre_ = false;
        i = append_text(in_, i, out_, '\0');
        if (i == std::string_view::npos) return std::nullopt;
        continue;
      }
      i = markup(i);
      if (i == std::string_view::npos) return std::nullopt;
    }
    while (depth_ > 0) close_top();
    return std::move(out_);
  }

 private:
  // At in_[i] == '<': a tag, a comment, or a literal '<'. Returns where the
  // text goes on, npos to decline.
  std::size_t markup(std::size_t i) {
    constexpr std::size_t npos = std::string_view::npos;
    if (i + 1 >= in_.size()) return npos;
    const char c = in_[i + 1];
    if (is_space(c) || is_digit(c)) {  // HTML5: not a tag, a '<'
      after_pre_ = false;
      out_ += "&lt;";
      return i + 1;
    }
    if (after_pre_ && c != '/' && !is_alpha(c)) return npos;
    if (c == '!') return comment(i);
    if (c == '/') return end_tag(i);
    if (is_alpha(c)) return start_tag(i);
    return npos;
  }

  // <!--...-->: dropped, as the gumbo path does. Declines the forms whose
  // end HTML5 finds elsewhere (<!-->, <!--->, --!>) and unclosed ones.
  std::size_t comment(std::size_t i) {
    constexpr std::size_t npos = std::string_view::npos;
    if (in_.compare(i, 4, "<!--") != 0) return npos;
    const std::size_t body = i + 4;
    if (in_.compare(body, 1, ">") == 0 || in_.compare(body, 2, "->") == 0) return npos;
    const std::size_t end = in_.find("-->", body);
    if (end == npos) return npos;
    const std::size_t bang = in_.find("--!", body);
    if (bang != npos && bang < end) return npos;
    return end + 3;
  }

  // Reads [A-Za-z][A-Za-z0-9]* at i, lower-cased into name_; returns the end.
  std::size_t tag_name(std::size_t i) {
    name_len_ = 0;
    while (i < in_.size() && (is_alpha(in_[i]) || is_digit(in_[i]))) {
      if (name_len_ == sizeof(name_)) return std::string_view::npos;
      name_[name_len_++] = lower(in_[i]);
      ++i;
    }
    return i;
  }

  std::size_t end_tag(std::size_t i) {
    constexpr std::size_t npos = std::string_view::npos;
    if (i + 2 >= in_.size() || !is_alpha(in_[i + 2])) return npos;
    const std::size_t end = tag_name(i + 2);
    if (end == npos || end >= in_.size() || in_[end] != '>') return npos;
    // Only the current element may be closed: anything else makes HTML5
    // close several, ignore the tag, or run the adoption agency.
    if (depth_ == 0 || stack_[depth_ - 1]->name != std::string_view(name_, name_len_)) return npos;
    after_pre_ = false;
    close_top();
    return end + 1;
  }

  void close_top() {
    const TagInfo* t = stack_[--depth_];
    if (t->tag == Tag::kP) --open_p_;
    if (t->tag == Tag::kA) --open_a_;
    if (is_heading(t->tag)) --open_headings_;
    out_ += "</";
    out_ += t->name;
    out_ += '>';
  }

  std::size_t start_tag(std::size_t i) {
    constexpr std::size_t npos = std::string_view::npos;
    std::size_t k = tag_name(i + 1);
    if (k == npos || k >= in_.size()) return npos;
    const TagInfo* t = find_tag(std::string_view(name_, name_len_));
    if (t == nullptr) return npos;
    // Nesting that an HTML5 parser would rebuild (HTML5 §13.2.6.4.7).
    if (open_p_ > 0 && !t->phrasing) return npos;
    if (t->tag == Tag::kA && open_a_ > 0) return npos;
    if (is_heading(t->tag) && open_headings_ > 0) return npos;
    const Tag parent = depth_ > 0 ? stack_[depth_ - 1]->tag : Tag::kDiv;
    if (t->tag == Tag::kLi && parent != Tag::kUl && parent != Tag::kOl) return npos;
    if ((t->tag == Tag::kDd || t->tag == Tag::kDt) && parent != Tag::kDl) return npos;
    if (!t->is_void && depth_ == kMaxDepth) return npos;

    // Attributes, then the tag is written as append_start_tag writes it.
    out_ += '<';
    out_ += t->name;
    bool has_href = false;
    attr_count_ = 0;
    bool self_closing = false;
    for (;;) {
      const std::size_t before_space = k;
      while (k < in_.size() && is_space(in_[k])) ++k;
      if (k >= in_.size()) return npos;
      if (in_[k] == '>') break;
      if (in_[k] == '/') {
        if (k + 1 >= in_.size() || in_[k + 1] != '>') return npos;
        self_closing = true;
        ++k;
        break;
      }
      if (k == before_space || !is_alpha(in_[k])) return npos;  // attributes need a space before
      const std::size_t name_start = k;
      while (k < in_.size() && (is_alpha(in_[k]) || is_digit(in_[k]) || in_[k] == '-' ||
                                in_[k] == '_' || in_[k] == ':' || in_[k] == '.')) {
        ++k;
      }
      const std::size_t name_length = k - name_start;
      if (name_length > sizeof(attr_names_[0]) || k + 1 >= in_.size() || in_[k] != '=') {
        return npos;
      }
      const char quote = in_[k + 1];
      if (quote != '"' && quote != '\'') return npos;
      // A repeated attribute: HTML5 keeps the first, but decline.
      if (attr_count_ == kMaxAttributes) return npos;
      char* name = attr_names_[attr_count_];
      for (std::size_t n = 0; n < name_length; ++n) name[n] = lower(in_[name_start + n]);
      const std::string_view attr_name(name, name_length);
      for (std::size_t a = 0; a < attr_count_; ++a) {
        if (std::string_view(attr_names_[a], attr_lengths_[a]) == attr_name) return npos;
      }
      attr_lengths_[attr_count_++] = name_length;
      value_.clear();
      k = append_value(k + 2, quote);
      if (k == npos) return npos;
      ++k;  // the closing quote
      if (k >= in_.size() || !(is_space(in_[k]) || in_[k] == '>' || in_[k] == '/')) return npos;
      if (!write_attribute(*t, attr_name, has_href)) return npos;
    }
    if (self_closing && !t->is_void) return npos;
    if (has_href) out_ += " rel=\"noopener\"";
    out_ += '>';
    after_pre_ = false;
    if (!t->is_void) {
      stack_[depth_++] = t;
      if (t->tag == Tag::kP) ++open_p_;
      if (t->tag == Tag::kA) ++open_a_;
      if (is_heading(t->tag)) ++open_headings_;
      // HTML5 drops a newline right after <pre>: declined (see run()).
      after_pre_ = t->tag == Tag::kPre;
    }
    return k + 1;
  }

  // The attribute value from i up to `quote`, decoded (not escaped) into
  // value_; returns the index of the closing quote, npos to decline.
  std::size_t append_value(std::size_t i, char quote) {
    // Read as text is read, so the escaped form (what the output of an
    // allowed plain attribute needs) comes first; URLs need the value itself.
    escaped_value_.clear();
    const std::size_t end = append_text(in_, i, escaped_value_, quote);
    if (end == std::string_view::npos || end >= in_.size()) return std::string_view::npos;
    // escaped_value_ holds the value as append_html_escaped(value, true)
    // would write it; undo that to get the value for URL checks.
    const std::string_view e = escaped_value_;
    for (std::size_t k = 0; k < e.size(); ++k) {
      if (e[k] != '&') {
        value_ += e[k];
        continue;
      }
      if (e.compare(k, 5, "&amp;") == 0) {
        value_ += '&';
        k += 4;
      } else if (e.compare(k, 4, "&lt;") == 0) {
        value_ += '<';
        k += 3;
      } else if (e.compare(k, 4, "&gt;") == 0) {
        value_ += '>';
        k += 3;
      } else {  // "&quot;", the only other escape append_text writes
        value_ += '"';
        k += 5;
      }
    }
    return end;
  }

  bool write_attribute(const TagInfo& t, std::string_view name, bool& has_href) {
    if (name == "href" && t.tag == Tag::kA) {
      if (auto url = vet_url(value_, UrlUse::kLink, base_)) {
        write_pair(name, *url);
        has_href = true;
      }
    } else if (name == "src" && t.tag == Tag::kImg) {
      if (auto url = vet_url(value_, UrlUse::kImage, base_)) write_pair(name, *url);
    } else if (name == "alt" || name == "title" || name == "width" || name == "height" ||
               name == "colspan" || name == "rowspan" || name == "lang" || name == "dir") {
      out_ += ' ';
      out_ += name;
      out_ += "=\"";
      out_ += escaped_value_;  // already as append_html_escaped writes it
      out_ += '"';
    }
    return true;
  }

  void write_pair(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_html_escaped(out_, value, true);
    out_ += '"';
  }

  static constexpr std::size_t kMaxAttributes = 16;

  std::string_view in_;
  std::string_view base_;
  std::string out_;
  std::array<const TagInfo*, kMaxDepth> stack_{};
  int depth_ = 0;
  int open_p_ = 0;
  int open_a_ = 0;
  int open_headings_ = 0;
  bool after_pre_ = false;
  char name_[16] = {};
  std::size_t name_len_ = 0;
  char attr_names_[kMaxAttributes][32] = {};
  std::size_t attr_lengths_[kMaxAttributes] = {};
  std::size_t attr_count_ = 0;
  std::string value_;
  std::string escaped_value_;
};

}  // namespace

std::optional<std::string> sanitize_html_fast(std::string_view html, std::string_view base_url) {
  return FastSanitizer(html, base_url).run();
}

std::optional<std::string> html_to_text_fast(std::string_view html) {
  if (html.find('<') != std::string_view::npos) return std::nullopt;
  // Decoded and escaped by the same reader, then unescaped: the text itself.
  std::string escaped;
  escaped.reserve(html.size());
  if (append_text(html, 0, escaped, '\0') != html.size()) return std::nullopt;
  std::string text;
  text.reserve(escaped.size());
  for (std::size_t k = 0; k < escaped.size(); ++k) {
    if (escaped[k] != '&') {
      text += escaped[k];
    } else if (escaped.compare(k, 5, "&amp;") == 0) {
      text += '&';
      k += 4;
    } else if (escaped.compare(k, 4, "&lt;") == 0) {
      text += '<';
      k += 3;
    } else {
      text += '>';
      k += 3;
    }
  }
  return collapse_html_whitespace(text);
}

}  // namespace newsdesk::text::internal
