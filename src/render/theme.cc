#include "render/theme.h"

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>

#include "core/file.h"
#include "core/ids.h"
#include "core/strings.h"
#include "render/embedded_theme.h"

namespace newsdesk::render {

namespace {

// mstch's own escaping also turns '/' into "&#x2F;", which makes every URL
// in a page longer and harder to read for no safety gain in attribute
// values we always quote. core's escaping (& < > " ' and no C0 controls) is
// what HTML needs.
std::string escape_html(const std::string& in) { return escaped(in); }

void use_our_escaping() {
  // mstch keeps its escape function in one global; set it once, before any
  // render, and never again (no data race with renders on other threads).
  static std::once_flag once;
  std::call_once(once, [] { mstch::config::escape = escape_html; });
}

std::string_view media_type_of(std::string_view file) {
  const auto dot = file.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : file.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// "style.css" + content -> "style.3f9a0c1d.css".
std::string fingerprint(std::string_view file, std::string_view content) {
  char hash[9];
  std::snprintf(hash, sizeof hash, "%08llx",
                static_cast<unsigned long long>(fnv1a64(content) & 0xffffffffu));
  const auto dot = file.rfind('.');
  if (dot == std::string_view::npos) return std::string(file) + "." + hash;
  return std::string(file.substr(0, dot)) + "." + hash + std::string(file.substr(dot));
}

constexpr std::string_view kTagSpace = " \t\r\n\f\v";

// What follows each "{{" of `text` that starts with `sigil` (after
// whitespace, as mstch reads tags), up to the tag's "}}".
template <typename Each>
void each_tag(std::string_view text, char sigil, Each each) {
  for (std::size_t open = text.find("{{"); open != std::string_view::npos;
       open = text.find("{{", open + 2)) {
    const std::size_t first = text.find_first_not_of(kTagSpace, open + 2);
    if (first == std::string_view::npos || text[first] != sigil) continue;
    const std::size_t close = text.find("}}", first);
    each(text.substr(first + 1, close == std::string_view::npos ? close : close - first - 1));
  }
}

// The partials `text` can reach: those its {{> name}} tags name, and the
// ones those include in turn. Generous on purpose: a partial is kept when
// its name appears anywhere in a partial tag (a partial given to mstch and
// never used costs a parse, one left out would change the page).
void add_reachable(std::string_view text, const std::map<std::string, std::string>& all,
                   std::map<std::string, std::string>& out) {
  each_tag(text, '>', [&](std::string_view tag) {
    for (const auto& [name, content] : all) {
      if (out.contains(name) || tag.find(name) == std::string_view::npos) continue;
      out.emplace(name, content);
      add_reachable(content, all, out);
    }
  });
}

std::string_view trim_tag(std::string_view s) {
  const std::size_t first = s.find_first_not_of(kTagSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kTagSpace) - first + 1);
}

// The keys of the words map a text reads by name ({{t.key}}, {{#t.key}},
// {{{t.key}}}) into `keys`; false when a tag names t itself ({{#t}}),
// whose contents could then be read by any name.
bool add_word_keys(std::string_view text, std::set<std::string, std::less<>>& keys) {
  bool named_only = true;
  for (std::size_t open = text.find("{{"); open != std::string_view::npos;
       open = text.find("{{", open + 2)) {
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    std::string_view tag = trim_tag(text.substr(open + 2, close - open - 2));
    if (!tag.empty() && std::string_view("#^/&{").find(tag.front()) != std::string_view::npos) {
      tag = trim_tag(tag.substr(1));
    } else if (!tag.empty() && (tag.front() == '!' || tag.front() == '>')) {
      continue;  // a comment, a partial's name
    }
    if (tag == "t") named_only = false;
    if (tag.starts_with("t.")) {
      const std::string_view key = tag.substr(2, tag.find('.', 2) - 2);
      keys.emplace(key);
    }
  }
  return named_only;
}

bool changes_delimiters(std::string_view text) {
  bool found = false;
  each_tag(text, '=', [&](std::string_view) { found = true; });
  return found;
}

bool strip(std::string_view& s, std::string_view prefix, std::string_view suffix) {
  if (!s.starts_with(prefix) || !s.ends_with(suffix) || s.size() <= prefix.size() + suffix.size())
    return false;
  s = s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
  return true;
}

}  // namespace

Result<void> Theme::add_file(const std::string& path, std::string content) {
  std::string_view name = path;
  if (strip(name, "i18n/", ".json")) {
    // i18n/fr.json: its keys over the ones the theme has for "fr".
    if (name.find('/') == std::string_view::npos) {
      if (auto r = catalogue_.add_json(name, content, path); !r) return r.error();
    }
  } else if (strip(name, "layouts/", ".mustache")) {
    layouts_[std::string(name)].text = std::move(content);
  } else if (strip(name, "templates/", ".mustache")) {
    templates_[std::string(name)].text = std::move(content);
  } else if (strip(name, "partials/", ".mustache")) {
    partials_[std::string(name)] = std::move(content);
  } else if (strip(name, "static/", "")) {
    static_files_[std::string(name)] = std::move(content);
  }
  // Anything else (a README, a licence) is not part of rendering.
  return {};
}

void Theme::finish() {
  catalogue_.finish();
  // A tag that changes the delimiters ({{=<% %>=}}) hides the partial tags
  // after it from the scan: then every template gets every partial.
  bool whole = false;
  for (const auto& [name, content] : partials_) whole = whole || changes_delimiters(content);
  for (auto* sources : {&templates_, &layouts_}) {
    for (const auto& [name, source] : *sources) whole = whole || changes_delimiters(source.text);
  }
  for (auto* sources : {&templates_, &layouts_}) {
    for (auto& [name, source] : *sources) {
      source.partials.clear();
      if (whole) {
        source.partials = partials_;
      } else {
        add_reachable(source.text, partials_, source.partials);
      }
      std::set<std::string, std::less<>> keys;
      source.all_words = whole || !add_word_keys(source.text, keys);
      for (const auto& [partial, content] : source.partials) {
        if (!add_word_keys(content, keys)) source.all_words = true;
      }
      source.word_keys.assign(keys.begin(), keys.end());
    }
  }
  asset_names_.clear();
  assets_.clear();
  for (const auto& [file, content] : static_files_) {
    StaticAsset asset;
    asset.name = fingerprint(file, content);
    asset.content = content;
    asset.content_type = std::string(media_type_of(file));
    asset_names_[file] = asset.name;
    assets_[asset.name] = std::move(asset);
  }
}

Theme Theme::builtin() {
  use_our_escaping();
  Theme theme;
  for (const EmbeddedFile& f : embedded_default_theme()) {
    // The shipped catalogues parse: render/i18n_test.cc checks every one.
    (void)theme.add_file(std::string(f.path), std::string(f.content));
  }
  theme.finish();
  return theme;
}

Result<Theme> Theme::load(const std::string& dir) {
  Theme theme = builtin();
  if (dir.empty()) return theme;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return make_error(ErrorCode::kNotFound, "render/theme: no theme folder '" + dir + "'");
  }
  const fs::path root = fs::canonical(dir, ec);
  if (ec) {
    return make_error(ErrorCode::kInvalid, "render/theme: reading '" + dir + "': " + ec.message());
  }
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string relative = it->path().lexically_relative(dir).generic_string();
    // A symlink to a file outside the theme folder (/etc/passwd, the
    // database) would be served under /static/: refuse it, loudly.
    std::error_code link_ec;
    const fs::path target = fs::canonical(it->path(), link_ec);
    const fs::path inside = target.lexically_relative(root);
    if (link_ec || inside.empty() || *inside.begin() == "..") {
      return make_error(ErrorCode::kInvalid,
                        "render/theme: " + relative + ": links to a file outside the theme folder");
    }
    auto content = read_file(it->path().string(), 16u << 20);
    if (!content) {
      return make_error(ErrorCode::kInvalid,
                        "render/theme: " + relative + ": " + content.error().message);
    }
    if (auto added = theme.add_file(relative, std::move(*content)); !added) return added.error();
  }
  if (ec) {
    return make_error(ErrorCode::kInvalid, "render/theme: reading '" + dir + "': " + ec.message());
  }
  theme.finish();
  return theme;
}

Result<std::string> Theme::render(std::string_view name, mstch::map context,
                                  std::string_view layout) const {
  const auto tmpl = templates_.find(name);
  if (tmpl == templates_.end()) {
    return make_error(ErrorCode::kNotFound,
                      "render/theme: no template '" + std::string(name) + "'");
  }
  const auto frame = layouts_.find(layout);
  if (frame == layouts_.end()) {
    return make_error(ErrorCode::kNotFound,
                      "render/theme: no layout '" + std::string(layout) + "'");
  }
  try {
    // One node for both renders: mstch::render takes a node, and a map
    // passed in its place is copied into a temporary one each time.
    mstch::node root = std::move(context);
    auto& top = boost::get<mstch::map>(root);
    if (const auto t = top.find("t");
        t != top.end() && !tmpl->second.all_words && !frame->second.all_words) {
      if (const auto* words = boost::get<mstch::map>(&t->second)) {
        mstch::map used;
        for (const Source* source : {&tmpl->second, &frame->second}) {
          for (const std::string& key : source->word_keys) {
            if (const auto w = words->find(key); w != words->end()) used.insert(*w);
          }
        }
        t->second = std::move(used);
      }
    }
    std::string content = mstch::render(tmpl->second.text, root, tmpl->second.partials);
    top["content"] = std::move(content);
    return mstch::render(frame->second.text, root, frame->second.partials);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal,
                      "render/theme: template '" + std::string(name) + "': " + e.what());
  }
}

std::string Theme::asset_url(std::string_view file) const {
  const auto it = asset_names_.find(file);
  return it == asset_names_.end() ? std::string() : "/static/" + it->second;
}

const StaticAsset* Theme::asset(std::string_view fingerprinted_name) const {
  const auto it = assets_.find(fingerprinted_name);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace newsdesk::render
