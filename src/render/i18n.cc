#include "render/i18n.h"

#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/locid.h>
#include <unicode/measunit.h>
#include <unicode/numberformatter.h>
#include <unicode/plurrule.h>
#include <unicode/smpdtfmt.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/udisplaycontext.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

namespace newsdesk::render {

namespace {

// "pt_BR", "PT-br" -> "pt-br": the form catalogues are kept under.
std::string lower_tag(std::string_view language) {
  std::string out(language);
  for (char& c : out) {
    if (c == '_') c = '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view primary_subtag(std::string_view tag) { return tag.substr(0, tag.find('-')); }

const Words& empty_words() {
  static const Words kEmpty;
  return kEmpty;
}

// The ICU locale of a page language. A bare "en" is written as in en-GB:
// day before month and a 24-hour clock, as newsdesk always wrote English.
icu::Locale locale_of(std::string_view language) {
  std::string tag = lower_tag(language);
  if (tag.empty() || tag == "en") tag = "en-GB";
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus()) return icu::Locale("en", "GB");
  return locale;
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// ICU's formatters are slow to create and SimpleDateFormat::format() is not
// safe to call from two threads at once: each thread keeps its own, by key.
template <typename T>
using PerThread = std::map<std::string, std::unique_ptr<T>, std::less<>>;

const icu::number::LocalizedNumberFormatter* number_formatter(std::string_view language,
                                                              std::string_view kind) {
  thread_local PerThread<icu::number::LocalizedNumberFormatter> cache;
  const std::string key = lower_tag(language) + "|" + std::string(kind);
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  using icu::number::NumberFormatter;
  using icu::number::Precision;
  auto f = NumberFormatter::withLocale(locale_of(language));
  std::unique_ptr<icu::number::LocalizedNumberFormatter> made;
  if (kind == "int") {
    made = std::make_unique<icu::number::LocalizedNumberFormatter>(f);
  } else if (kind == "int-plain") {
    made = std::make_unique<icu::number::LocalizedNumberFormatter>(f.grouping(UNUM_GROUPING_OFF));
  } else if (kind.starts_with("frac")) {
    const int digits = kind.back() - '0';
    made = std::make_unique<icu::number::LocalizedNumberFormatter>(
        f.precision(Precision::maxFraction(digits)));
  } else {
    // "byte", "kilobyte", ...: a unit, short ("12 kB", "12 ko").
    icu::MeasureUnit unit = icu::MeasureUnit::getByte();
    int digits = 0;
    if (kind == "kilobyte") unit = icu::MeasureUnit::getKilobyte();
    if (kind == "megabyte") unit = icu::MeasureUnit::getMegabyte();
    if (kind == "gigabyte") unit = icu::MeasureUnit::getGigabyte();
    // "1.2 MB", but "12 kB": a tenth of a kilobyte tells a reader nothing.
    if (kind == "megabyte" || kind == "gigabyte") digits = 1;
    made = std::make_unique<icu::number::LocalizedNumberFormatter>(
        f.unit(unit).unitWidth(UNUM_UNIT_WIDTH_SHORT).precision(Precision::maxFraction(digits)));
  }
  return cache.emplace(key, std::move(made)).first->second.get();
}

std::string format_with(std::string_view language, std::string_view kind, double value) {
  UErrorCode status = U_ZERO_ERROR;
  const auto* f = number_formatter(language, kind);
  icu::UnicodeString text = f->formatDouble(value, status).toString(status);
  if (U_FAILURE(status)) return {};
  return utf8(text);
}

const icu::PluralRules* plural_rules(std::string_view language) {
  thread_local PerThread<icu::PluralRules> cache;
  const std::string key = lower_tag(language);
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::PluralRules> rules(icu::PluralRules::forLocale(locale_of(language), status));
  if (U_FAILURE(status)) rules.reset();
  return cache.emplace(key, std::move(rules)).first->second.get();
}

UDisplayContext capitalization(DateContext context) {
  // French and Russian write month names in lower case inside a sentence;
  // alone, as a heading or a link in a list, they start with a capital.
  return context == DateContext::kStandalone ? UDISPCTX_CAPITALIZATION_FOR_BEGINNING_OF_SENTENCE
                                             : UDISPCTX_CAPITALIZATION_FOR_MIDDLE_OF_SENTENCE;
}

const icu::DateFormat* date_formatter(std::string_view language, std::string_view skeleton,
                                      DateContext context) {
  thread_local PerThread<icu::DateFormat> cache;
  const std::string key = lower_tag(language) + "|" + std::string(skeleton) + "|" +
                          std::to_string(static_cast<int>(context));
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  const icu::Locale locale = locale_of(language);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  std::unique_ptr<icu::DateFormat> format;
  if (U_SUCCESS(status)) {
    const icu::UnicodeString pattern =
        generator->getBestPattern(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                      skeleton.data(), static_cast<std::int32_t>(skeleton.size()))),
                                  status);
    if (U_SUCCESS(status))
      format = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
  }
  if (U_FAILURE(status)) {
    format.reset();
  } else {
    // The caller hands over wall-clock time (epoch + offset): format as GMT.
    format->setTimeZone(*icu::TimeZone::getGMT());
    format->setContext(capitalization(context), status);
  }
  return cache.emplace(key, std::move(format)).first->second.get();
}

}  // namespace

Result<void> Catalogue::add_json(std::string_view language, std::string_view json,
                                 std::string_view source) {
  const auto invalid = [&](const std::string& why) {
    return make_error(ErrorCode::kInvalid, "render/i18n: " + std::string(source) + ": " + why);
  };
  if (language.empty()) return invalid("no language tag in the file name");
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ..."
    std::string why = e.what();
    if (const auto bracket = why.find("] "); why.starts_with("[") && bracket != std::string::npos)
      why.erase(0, bracket + 2);
    return invalid("not valid JSON: " + why);
  }
  if (!parsed.is_object()) return invalid("not a JSON object of key -> text");
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) return invalid("the value of \"" + key + "\" is not a string");
  }
  Words& words = own_[lower_tag(language)];
  for (const auto& [key, value] : parsed.items()) words[key] = value.get<std::string>();
  return {};
}

void Catalogue::set(std::string_view language, std::string key, std::string text) {
  own_[lower_tag(language)][std::move(key)] = std::move(text);
}

void Catalogue::finish() {
  merged_.clear();
  merged_scopes_.clear();
  const auto english = own_.find("en");
  for (const auto& [tag, own] : own_) {
    Words merged = english == own_.end() ? Words() : english->second;
    const std::string_view primary = primary_subtag(tag);
    if (primary != tag && primary != "en") {
      if (auto p = own_.find(primary); p != own_.end()) {
        for (const auto& [key, text] : p->second) merged[key] = text;
      }
    }
    for (const auto& [key, text] : own) merged[key] = text;
    mstch::map map;
    for (const auto& [key, text] : merged) map.emplace(key, text);
    merged_scopes_.emplace(tag, mstch::map{{"t", std::move(map)}});
    merged_.emplace(tag, std::move(merged));
  }
}

const std::string* Catalogue::resolve(std::string_view language) const {
  const std::string tag = lower_tag(language);
  if (auto it = merged_.find(tag); it != merged_.end()) return &it->first;
  if (auto it = merged_.find(primary_subtag(tag)); it != merged_.end()) return &it->first;
  if (auto it = merged_.find("en"); it != merged_.end()) return &it->first;
  return nullptr;
}

const Words& Catalogue::words(std::string_view language) const {
  const std::string* tag = resolve(language);
  return tag == nullptr ? empty_words() : merged_.find(*tag)->second;
}

const mstch::node& Catalogue::word_scope(std::string_view language) const {
  static const mstch::node kEmpty = mstch::map{{"t", mstch::map{}}};
  const std::string* tag = resolve(language);
  return tag == nullptr ? kEmpty : merged_scopes_.find(*tag)->second;
}

const mstch::map& Catalogue::word_map(std::string_view language) const {
  return boost::get<mstch::map>(boost::get<mstch::map>(word_scope(language)).at("t"));
}

std::string_view Catalogue::lookup(std::string_view language, std::string_view key) const {
  return word(words(language), key);
}

std::vector<std::string> Catalogue::languages() const {
  std::vector<std::string> out;
  for (const auto& [tag, own] : own_) out.push_back(tag);
  return out;
}

const Words& Catalogue::own_words(std::string_view language) const {
  const auto it = own_.find(lower_tag(language));
  return it == own_.end() ? empty_words() : it->second;
}

std::string_view word(const Words& words, std::string_view key) {
  const auto it = words.find(key);
  return it == words.end() ? key : std::string_view(it->second);
}

std::string fill(std::string_view text,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [n, value] : values) {
      if (n == name) {
        out.append(value);
        found = true;
        break;
      }
    }
    if (!found) out.append(text.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

std::string_view plural_word(const Words& words, std::string_view language, std::string_view key,
                             std::int64_t n) {
  std::string category = "other";
  if (const icu::PluralRules* rules = plural_rules(language)) {
    category = utf8(rules->select(static_cast<double>(n)));
  }
  std::string full = std::string(key) + "_" + category;
  if (auto it = words.find(full); it != words.end()) return it->second;
  full = std::string(key) + "_other";
  if (auto it = words.find(full); it != words.end()) return it->second;
  return key;
}

std::vector<std::string> plural_categories(std::string_view language) {
  std::vector<std::string> out;
  const icu::PluralRules* rules = plural_rules(language);
  if (rules == nullptr) return {"other"};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> keywords(rules->getKeywords(status));
  if (U_FAILURE(status) || !keywords) return {"other"};
  while (const icu::UnicodeString* k = keywords->snext(status)) {
    if (U_FAILURE(status)) break;
    out.push_back(utf8(*k));
  }
  return out;
}

std::string format_integer(std::string_view language, std::int64_t n, bool grouping) {
  UErrorCode status = U_ZERO_ERROR;
  const auto* f = number_formatter(language, grouping ? "int" : "int-plain");
  icu::UnicodeString text = f->formatInt(n, status).toString(status);
  return U_FAILURE(status) ? std::to_string(n) : utf8(text);
}

std::string format_decimal(std::string_view language, double value, int max_fraction) {
  max_fraction = std::clamp(max_fraction, 0, 9);
  std::string out = format_with(language, "frac" + std::to_string(max_fraction), value);
  return out.empty() ? std::to_string(value) : out;
}

std::string format_file_size(std::string_view language, std::int64_t bytes) {
  const double b = static_cast<double>(bytes);
  std::string out;
  if (bytes < 1000) {
    out = format_with(language, "byte", b);
  } else if (b < 1e6) {
    out = format_with(language, "kilobyte", b / 1e3);
  } else if (b < 1e9) {
    out = format_with(language, "megabyte", b / 1e6);
  } else {
    out = format_with(language, "gigabyte", b / 1e9);
  }
  return out.empty() ? std::to_string(bytes) + " B" : out;
}

std::string format_date(std::string_view language, const model::DateTime& local,
                        std::string_view skeleton, DateContext context) {
  const icu::DateFormat* f = date_formatter(language, skeleton, context);
  if (f == nullptr) return {};
  const UDate wall =
      (static_cast<double>(local.epoch_seconds) + local.offset_minutes * 60.0) * 1000.0;
  icu::UnicodeString text;
  f->format(wall, text);
  return utf8(text);
}

}  // namespace newsdesk::render
