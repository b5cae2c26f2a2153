#include "text/slug.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utypes.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace newsdesk::text {
namespace {

// The ICU transliterator is built once: createInstance parses rule sets for
// every script and costs milliseconds. transliterate() is const, but
// unicode/translit.h says transliterators "are not immutable, so they must be
// synchronized when shared between threads", so calls are serialised; slugs
// are made on publish and import, never per request, so the lock is not
// contended in practice.
class SharedTransliterator {
 public:
  SharedTransliterator() {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error;
    transliterator_.reset(
        icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8("Any-Latin; Latin-ASCII"),
                                            UTRANS_FORWARD, parse_error, status));
    if (U_FAILURE(status)) transliterator_.reset();
  }
  SharedTransliterator(const SharedTransliterator&) = delete;
  SharedTransliterator& operator=(const SharedTransliterator&) = delete;

  // Leaves the text as it is when ICU could not build the transliterator
  // (missing ICU data): slugs then keep their ASCII letters only, which is
  // still better than failing to publish.
  void transliterate(icu::UnicodeString& text) {
    if (!transliterator_) return;
    std::lock_guard<std::mutex> lock(mu_);
    transliterator_->transliterate(text);
  }

 private:
  std::mutex mu_;
  std::unique_ptr<icu::Transliterator> transliterator_;
};

SharedTransliterator& shared_transliterator() {
  // Never destroyed: a thread still slugifying during static destruction at
  // exit must not find a dead transliterator.
  static SharedTransliterator* const instance = new SharedTransliterator();
  return *instance;
}

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Decodes one UTF-8 sequence at s[*i] and advances *i. The input comes from
// ICU's toUTF8String and is well-formed; anything else comes back as U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t* i) {
  const auto lead = static_cast<unsigned char>(s[*i]);
  std::size_t length = 1;
  char32_t c = 0xFFFD;
  if (lead < 0x80) {
    c = lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    c = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    c = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    c = lead & 0x07;
  } else {
    ++*i;
    return 0xFFFD;
  }
  if (*i + length > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  *i += length;
  return c;
}

// Accumulates a slug from transliterated text. A hyphen is only written when
// a letter or digit follows it, so the slug never starts or ends with one.
class SlugBuilder {
 public:
  void append(std::string_view utf8) {
    std::size_t i = 0;
    while (i < utf8.size()) {
      const char32_t c = next_code_point(utf8, &i);
      // Dropped rather than separating: "ICMPD's" is one word, "icmpds".
      // Latin-ASCII turns U+2019 (and the Cyrillic soft sign) into "'"; only
      // the ICU-less fallback still sees U+2019 itself.
      if (c == U'\'' || c == U'\u2019') continue;
      if (is_ascii_alnum(c)) {
        if (pending_hyphen_ && !slug_.empty()) slug_ += '-';
        pending_hyphen_ = false;
        slug_ += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      } else {
        pending_hyphen_ = true;
      }
    }
  }

  std::size_t size() const { return slug_.size(); }

  std::string take(std::size_t max_length) {
    if (slug_.size() > max_length) {
      slug_.resize(max_length);
      while (!slug_.empty() && slug_.back() == '-') slug_.pop_back();
    }
    return std::move(slug_);
  }

 private:
  std::string slug_;
  bool pending_hyphen_ = false;
};

// Transliteration is by far the slowest step, so long input is fed in pieces
// that end at whitespace and the loop stops once the slug is long enough to
// be cut. Whitespace is a separator anyway, so cutting there does not change
// the result; it bounds the work on a hostile megabyte-long "title".
constexpr int32_t kPieceCodeUnits = 256;
constexpr std::size_t kMaxInputBytes = std::size_t{1} << 20;

}  // namespace

std::string slugify(std::string_view text, std::size_t max_length) {
  if (max_length == 0 || text.empty()) return "";
  // A slug needs about a hundred letters; what lies past a mebibyte is never
  // reached in a real title, and the cap keeps the length within int32_t.
  if (text.size() > kMaxInputBytes) text = text.substr(0, kMaxInputBytes);
  SlugBuilder builder;
  const icu::UnicodeString all = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  SharedTransliterator& transliterator = shared_transliterator();
  int32_t start = 0;
  const int32_t length = all.length();
  // Once the slug is longer than the cut, later pieces could only add past it.
  while (start < length && builder.size() <= max_length) {
    int32_t end = start + kPieceCodeUnits;
    const int32_t hard_end = end + 4 * kPieceCodeUnits;
    // A surrogate is never whitespace, so stopping at one never splits a pair.
    while (end < length && end < hard_end && !u_isUWhiteSpace(all.charAt(end))) ++end;
    // Scripts written without spaces get cut mid-run; keep pairs whole.
    if (end < length && U16_IS_TRAIL(all.charAt(end))) ++end;
    if (end > length) end = length;
    icu::UnicodeString piece(all, start, end - start);
    transliterator.transliterate(piece);
    std::string utf8;
    piece.toUTF8String(utf8);
    builder.append(utf8);
    start = end;
  }
  return builder.take(max_length);
}

bool is_valid_slug(std::string_view s) {
  if (s.empty() || s.size() > kMaxSlugLength) return false;
  if (s.front() == '-' || s.back() == '-') return false;
  char previous = '\0';
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && previous == '-')) return false;
    previous = c;
  }
  return true;
}

}  // namespace newsdesk::text
