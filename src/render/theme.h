// A theme: Mustache templates, partials, and static assets. Templates are
// compiled once when the theme loads (render/mustache.h: mstch 1.0.2's
// semantics on mstch's data types, without its parse on every render). The
// default theme is compiled into the binary (themes/default/); a site may
// name a folder of its own, whose files replace the default's one by one
// (disk over embedded), so overriding a single partial is one file.
//
// Layout of a theme folder:
//   layouts/page.mustache      the HTML document; the page's body in {{{content}}}
//   layouts/admin.mustache     the same for the admin interface (/admin/)
//   templates/NAME.mustache    one per page kind (home, list, item, ...)
//   partials/NAME.mustache     {{> NAME}} from any template or layout
//   static/FILE                served at /static/ with a fingerprinted name
//   i18n/TAG.json              the theme's words in a language (render/i18n.h);
//                              a folder's file overrides the default's key by key
//
// Thread-safety: a loaded Theme is immutable; render() may run on any number
// of threads at once.
#pragma once

#include <map>
#include <memory>
#include <mstch/mstch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "render/i18n.h"
#include "render/mustache.h"

namespace newsdesk::render {

// A file of the theme's static/ folder, served with a name that changes with
// its content ("style.3f9a0c1d.css"), so it can be cached for a year.
struct StaticAsset {
  std::string name;     // fingerprinted: "style.3f9a0c1d.css"
  std::string content;  // exact bytes
  std::string content_type;
};

class Theme {
 public:
  // The embedded default theme.
  static Theme builtin();
  // The default theme with the files of `dir` over it (empty: builtin()).
  // Errors: kNotFound when dir is not a folder; kInvalid naming the file when
  // a file cannot be read or an i18n/*.json is no JSON object of strings.
  static Result<Theme> load(const std::string& dir);

  // Renders templates/NAME.mustache with the context, then the layout with
  // the same context plus "content" (the page's HTML). Partials come from
  // partials/. Values in {{...}} are HTML-escaped (& < > " '); {{{...}}}
  // are not and must hold sanitized HTML only. The theme's words in the
  // context's "language" (English without one) are beneath the context, as
  // {{t.key}}; a "t" of the context's own comes first.
  // Errors: kNotFound for an unknown template or layout, kInternal when the
  // template engine throws (render/mustache.h says when).
  Result<std::string> render(std::string_view name, mstch::map context,
                             std::string_view layout = "page") const;

  // "/static/style.3f9a0c1d.css" for "style.css"; "" when the theme has no
  // such file.
  std::string asset_url(std::string_view file) const;
  // The asset with this fingerprinted name, or nullptr.
  const StaticAsset* asset(std::string_view fingerprinted_name) const;

  // The theme's words in `language`, with fallbacks (render/i18n.h).
  const Words& words(std::string_view language) const { return catalogue_.words(language); }
  // The same as a Mustache map: the pages' {{t.key}}.
  const mstch::map& word_map(std::string_view language) const {
    return catalogue_.word_map(language);
  }
  const Catalogue& catalogue() const { return catalogue_; }

 private:
  // Each template and layout compiled once (render/mustache.h), its
  // {{> name}} tags pointing at the compiled partials. Shared, so that a
  // copied Theme keeps valid pointers.
  struct Compiled {
    mustache::Partials partials;
    std::map<std::string, mustache::Template, std::less<>> templates;
    std::map<std::string, mustache::Template, std::less<>> layouts;
  };

  Theme() = default;
  Result<void> add_file(const std::string& path, std::string content);
  void finish();

  // The files' text by name, until finish() compiles them.
  std::map<std::string, std::string, std::less<>> templates_;
  std::map<std::string, std::string, std::less<>> partials_;
  std::map<std::string, std::string, std::less<>> layouts_;
  std::shared_ptr<const Compiled> compiled_;
  std::map<std::string, std::string, std::less<>> asset_names_;   // file -> fingerprinted
  std::map<std::string, StaticAsset, std::less<>> assets_;        // fingerprinted -> asset
  std::map<std::string, std::string, std::less<>> static_files_;  // file -> content
  Catalogue catalogue_;                                           // i18n/*.json
};

}  // namespace newsdesk::render
