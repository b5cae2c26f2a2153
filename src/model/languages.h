// The languages a site serves and where: the default language at the root,
// each further one under a path prefix of its own ("/fr/news/{slug}/").
// Every writer asks here, so a page, a feed and the sitemap agree on where
// an item in a given language lives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/site.h"

namespace newsdesk::model {

// A BCP 47 tag in its usual case: "FR-ca" -> "fr-CA", "zh-hant" ->
// "zh-Hant", "en_GB" -> "en-GB". Returns "" for "" and for text that is no
// well-formed tag (subtags of 1-8 letters or digits, a primary subtag of 2-3
// letters, at most 35 characters).
std::string canonical_language(std::string_view tag);

// The site's default language, in a language view as at the root.
const std::string& default_language(const Site& site);
// Every language the site serves, the default first.
std::vector<std::string> served_languages(const Site& site);
// The served language an item in `language` is shown in: the served tag it
// equals or extends ("fr-FR" on a site serving "fr" -> "fr"), else the
// default (also for an item without a language).
std::string served_language(const Site& site, std::string_view language);
// Whether `language` is `served` or an extension of it ("fr-FR" of "fr").
bool language_matches(std::string_view language, std::string_view served);

// Where a served language lives: "" for the default language, else its
// configured prefix without the trailing slash ("/fr", "/francais").
std::string language_prefix(const Site& site, std::string_view language);
// `site` as seen by the pages of one served language: `language` set to it,
// `default_language` and `path_prefix` filled. The default language's view
// is the site itself.
Site language_view(const Site& site, std::string_view language);

// The served language a request path belongs to and the path inside it:
// "/fr/news/x/" -> {"fr", "/news/x/"}, "/fr/" -> {"fr", "/"}, "/news/x/" ->
// {default, "/news/x/"}. A bare "/fr" gives {"fr", ""}: the caller redirects
// it to "/fr/".
struct LanguagePath {
  std::string language;
  std::string_view rest;  // a part of the path given: no copy per request
};
LanguagePath split_language_path(const Site& site, std::string_view path);

// The name of a language in that language, first letter in upper case
// ("Français", "Deutsch", "العربية"); the tag itself when ICU has no name.
std::string language_name(std::string_view tag);

}  // namespace newsdesk::model
