#include "text/slug.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
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

  std::string take(std::size_t max_length) { return cut_slug(slug_, max_length); }

 private:
  std::string slug_;
  bool pending_hyphen_ = false;
};

// --- Unicode slugs ---------------------------------------------------------

// Letters of every script (Lu Ll Lt Lm Lo; upper case is gone after
// lower-casing), decimal digits and letter numerals (Chinese U+3007).
bool is_slug_letter(UChar32 c) {
  return (U_MASK(u_charType(c)) & (U_GC_L_MASK | U_GC_ND_MASK | U_GC_NL_MASK)) != 0;
}

// Non-spacing and spacing combining marks: Arabic harakat, Devanagari and
// Thai vowel signs. Enclosing marks (a circle around a letter) are not kept.
bool is_slug_mark(UChar32 c) {
  return (U_MASK(u_charType(c)) & (U_GC_MN_MASK | U_GC_MC_MASK)) != 0;
}

// Dropped without a hyphen: apostrophes (U+02BC is the one Ukrainian and
// many keyboards type inside words) and what no reader sees in a URL
// (soft hyphen, ZWJ, ZWNJ, variation selectors, bidi controls).
bool is_dropped(UChar32 c) {
  return c == U'\'' || c == 0x2019 || c == 0x02BC ||
         u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

const icu::Normalizer2* nfc_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  return U_SUCCESS(status) ? nfc : nullptr;
}

// The text in NFC, or as it is when ICU has no normalization data.
icu::UnicodeString nfc(const icu::UnicodeString& text) {
  const icu::Normalizer2* normalizer = nfc_normalizer();
  if (normalizer == nullptr) return text;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = normalizer->normalize(text, status);
  return U_SUCCESS(status) ? out : text;
}

// SlugBuilder's twin for kUnicode: takes lower-cased NFC text, counts the
// UTF-8 bytes it will take. A mark is kept only inside a word, so a slug
// never starts with one nor has one after a hyphen.
class UnicodeSlugBuilder {
 public:
  void append(const icu::UnicodeString& text) {
    for (int32_t i = 0; i < text.length();) {
      const UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      if (is_dropped(c)) continue;
      if (is_slug_letter(c) || (in_word_ && is_slug_mark(c))) {
        if (pending_hyphen_ && !slug_.isEmpty()) {
          slug_.append(static_cast<char16_t>(u'-'));
          ++bytes_;
        }
        pending_hyphen_ = false;
        in_word_ = true;
        slug_.append(c);
        bytes_ += static_cast<std::size_t>(U8_LENGTH(c));
      } else if (!is_slug_mark(c)) {
        pending_hyphen_ = true;
        in_word_ = false;
      }
    }
  }

  std::size_t size() const { return bytes_; }

  std::string take(std::size_t max_length) {
    // Dropping an invisible character (U+034F) can leave a letter and a
    // mark side by side that NFC composes.
    std::string utf8;
    nfc(slug_).toUTF8String(utf8);
    return cut_slug(utf8, max_length);
  }

 private:
  icu::UnicodeString slug_;
  std::size_t bytes_ = 0;
  bool pending_hyphen_ = false;
  bool in_word_ = false;
};

// Transliteration is by far the slowest step, so long input is fed in pieces
// that end at whitespace and the loop stops once the slug is long enough to
// be cut. Whitespace is a separator anyway, so cutting there does not change
// the result; it bounds the work on a hostile megabyte-long "title".
constexpr int32_t kPieceCodeUnits = 256;
constexpr std::size_t kMaxInputBytes = std::size_t{1} << 20;

// Calls on_piece with each piece of text (as above) until it returns false.
template <typename OnPiece>
void for_each_piece(std::string_view text, OnPiece on_piece) {
  // A slug needs about a hundred letters; what lies past a mebibyte is never
  // reached in a real title, and the cap keeps the length within int32_t.
  if (text.size() > kMaxInputBytes) text = text.substr(0, kMaxInputBytes);
  const icu::UnicodeString all = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  int32_t start = 0;
  const int32_t length = all.length();
  while (start < length) {
    int32_t end = start + kPieceCodeUnits;
    const int32_t hard_end = end + 4 * kPieceCodeUnits;
    // A surrogate is never whitespace, so stopping at one never splits a pair.
    while (end < length && end < hard_end && !u_isUWhiteSpace(all.charAt(end))) ++end;
    // Scripts written without spaces get cut mid-run; keep pairs whole.
    if (end < length && U16_IS_TRAIL(all.charAt(end))) ++end;
    if (end > length) end = length;
    icu::UnicodeString piece(all, start, end - start);
    start = end;
    if (!on_piece(piece)) return;
  }
}

}  // namespace

std::string slugify(std::string_view text, std::size_t max_length, SlugScript script) {
  if (max_length == 0 || text.empty()) return "";
  // Once the slug is longer than the cut, later pieces could only add past it.
  if (script == SlugScript::kUnicode) {
    UnicodeSlugBuilder builder;
    for_each_piece(text, [&](icu::UnicodeString& piece) {
      // Root locale: a site's slugs do not depend on an item's language.
      piece.toLower(icu::Locale::getRoot());
      builder.append(nfc(piece));
      return builder.size() <= max_length;
    });
    return builder.take(max_length);
  }
  SlugBuilder builder;
  SharedTransliterator& transliterator = shared_transliterator();
  for_each_piece(text, [&](icu::UnicodeString& piece) {
    transliterator.transliterate(piece);
    std::string utf8;
    piece.toUTF8String(utf8);
    builder.append(utf8);
    return builder.size() <= max_length;
  });
  return builder.take(max_length);
}

namespace {

bool is_valid_unicode_slug(std::string_view s) {
  // The caller checked the length, so it fits int32_t.
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  bool in_word = false;
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return false;  // ill-formed, overlong, a surrogate
    if (c == '-') {
      if (!in_word) return false;  // "--" (the edges are checked before)
      in_word = false;
    } else if (is_dropped(c) || u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_LOWERCASED)) {
      return false;
    } else if (is_slug_letter(c)) {
      in_word = true;
    } else if (!in_word || !is_slug_mark(c)) {
      return false;
    }
  }
  // Two spellings of one letter (precomposed, or letter and mark) would be
  // two slugs that look the same.
  const icu::Normalizer2* normalizer = nfc_normalizer();
  if (normalizer == nullptr) return true;
  UErrorCode status = U_ZERO_ERROR;
  const bool normalized = normalizer->isNormalized(
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), length)), status);
  return U_SUCCESS(status) && normalized;
}

}  // namespace

std::string cut_slug(std::string_view slug, std::size_t max_length) {
  if (slug.size() > max_length) {
    std::size_t end = max_length;
    // Back to the lead byte: a UTF-8 sequence is never split.
    while (end > 0 && (static_cast<unsigned char>(slug[end]) & 0xC0) == 0x80) --end;
    slug = slug.substr(0, end);
  }
  while (!slug.empty() && slug.back() == '-') slug.remove_suffix(1);
  return std::string(slug);
}

bool is_valid_slug(std::string_view s, SlugScript script) {
  if (s.empty() || s.size() > kMaxSlugLength) return false;
  if (s.front() == '-' || s.back() == '-') return false;
  if (script == SlugScript::kUnicode) return is_valid_unicode_slug(s);
  char previous = '\0';
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && previous == '-')) return false;
    previous = c;
  }
  return true;
}

}  // namespace newsdesk::text
