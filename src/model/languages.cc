#include "model/languages.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace newsdesk::model {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::string canonical_language(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return "";
  std::string out;
  out.reserve(tag.size());
  std::size_t index = 0;  // of the subtag
  bool private_use = false;
  for (std::size_t start = 0; start <= tag.size();) {
    std::size_t end = tag.find_first_of("-_", start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view sub = tag.substr(start, end - start);
    if (sub.empty() || sub.size() > 8 || !std::all_of(sub.begin(), sub.end(), is_alnum)) return "";
    if (index == 0 &&
        (sub.size() < 2 || sub.size() > 3 || !std::all_of(sub.begin(), sub.end(), is_alpha))) {
      return "";
    }
    if (index > 0) out += '-';
    std::string part(sub);
    std::transform(part.begin(), part.end(), part.begin(), lower);
    if (part == "x") private_use = true;
    if (index > 0 && !private_use) {
      // Script subtags in title case ("Hant"), regions in upper case ("BR").
      if (sub.size() == 4 && std::all_of(sub.begin(), sub.end(), is_alpha)) {
        part[0] = upper(part[0]);
      } else if (sub.size() == 2 && std::all_of(sub.begin(), sub.end(), is_alpha)) {
        std::transform(part.begin(), part.end(), part.begin(), upper);
      }
    }
    out += part;
    ++index;
    start = end + 1;
    if (end == tag.size()) break;
  }
  return out;
}

const std::string& default_language(const Site& site) {
  return site.default_language.empty() ? site.language : site.default_language;
}

std::vector<std::string> served_languages(const Site& site) {
  std::vector<std::string> out{default_language(site)};
  for (const std::string& l : site.languages) {
    if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  }
  return out;
}

bool language_matches(std::string_view language, std::string_view served) {
  if (language.size() < served.size()) return false;
  for (std::size_t i = 0; i < served.size(); ++i) {
    if (lower(language[i]) != lower(served[i])) return false;
  }
  return language.size() == served.size() || language[served.size()] == '-' ||
         language[served.size()] == '_';
}

std::string served_language(const Site& site, std::string_view language) {
  const std::string& fallback = default_language(site);
  if (language.empty() || language_matches(language, fallback)) return fallback;
  // The longest served tag the language extends: "pt-BR" before "pt".
  const std::string* best = nullptr;
  for (const std::string& l : site.languages) {
    if (language_matches(language, l) && (best == nullptr || l.size() > best->size())) best = &l;
  }
  return best != nullptr ? *best : fallback;
}

std::string language_prefix(const Site& site, std::string_view language) {
  const std::string served = served_language(site, language);
  if (served == default_language(site)) return "";
  std::string prefix;
  if (auto it = site.language_prefixes.find(served); it != site.language_prefixes.end()) {
    prefix = it->second;
  } else {
    prefix = "/" + served + "/";
    std::transform(prefix.begin(), prefix.end(), prefix.begin(), lower);
  }
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  return prefix == "/" ? "" : prefix;
}

Site language_view(const Site& site, std::string_view language) {
  Site view = site;
  const std::string served = served_language(site, language);
  view.default_language = default_language(site);
  view.path_prefix = language_prefix(site, served);
  view.language = served;
  if (view.default_language == view.language) {
    view.default_language.clear();
    view.path_prefix.clear();
  }
  return view;
}

LanguagePath split_language_path(const Site& site, std::string_view path) {
  for (const std::string& l : site.languages) {
    const std::string prefix = language_prefix(site, l);
    if (prefix.empty() || !path.starts_with(prefix)) continue;
    const std::string_view rest = path.substr(prefix.size());
    if (rest.empty() || rest.front() == '/') return {l, rest};
  }
  return {default_language(site), path};
}

std::string language_name(std::string_view tag) {
  const std::string id(tag);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(id, status);
  if (U_FAILURE(status)) return id;
  icu::UnicodeString name;
  locale.getDisplayName(locale, name);
  if (name.isEmpty()) return id;
  const int32_t first = name.moveIndex32(0, 1);
  icu::UnicodeString head(name, 0, first);
  name.replace(0, first, head.toUpper(locale));
  std::string out;
  name.toUTF8String(out);
  return out;
}

}  // namespace newsdesk::model
