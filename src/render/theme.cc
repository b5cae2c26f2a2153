#include "render/theme.h"

#include <cstdio>
#include <filesystem>

#include "core/file.h"
#include "core/ids.h"
#include "render/embedded_theme.h"

namespace newsdesk::render {

namespace {

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
    layouts_[std::string(name)] = std::move(content);
  } else if (strip(name, "templates/", ".mustache")) {
    templates_[std::string(name)] = std::move(content);
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
  // Each file compiled on its own, with the delimiters it sets itself; a
  // template that does not compile keeps its error and fails when rendered
  // (a partial: when a page reaches it), as mstch would on each render.
  auto compiled = std::make_shared<Compiled>();
  for (const auto& [name, text] : partials_) compiled->partials.try_emplace(name, text);
  for (const auto& [name, text] : templates_) compiled->templates.try_emplace(name, text);
  for (const auto& [name, text] : layouts_) compiled->layouts.try_emplace(name, text);
  for (auto* set : {&compiled->partials, &compiled->templates, &compiled->layouts}) {
    for (auto& [name, t] : *set) t.link(compiled->partials);
  }
  compiled_ = std::move(compiled);
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
  const auto tmpl = compiled_->templates.find(name);
  if (tmpl == compiled_->templates.end()) {
    return make_error(ErrorCode::kNotFound,
                      "render/theme: no template '" + std::string(name) + "'");
  }
  const auto frame = compiled_->layouts.find(layout);
  if (frame == compiled_->layouts.end()) {
    return make_error(ErrorCode::kNotFound,
                      "render/theme: no layout '" + std::string(layout) + "'");
  }
  try {
    // The theme's words in the page's language, beneath the context: {{t.key}}.
    const auto language = context.find("language");
    const std::string* tag =
        language == context.end() ? nullptr : boost::get<std::string>(&language->second);
    const mstch::node& words = catalogue_.word_scope(tag == nullptr ? "" : *tag);
    // One node for both renders; the page's HTML goes into it as "content".
    mstch::node root = std::move(context);
    std::string content = tmpl->second.render(root, &words);
    const std::size_t size = content.size();
    boost::get<mstch::map>(root)["content"] = std::move(content);
    std::string page;
    page.reserve(size + 16384);  // the default layout adds about 10 kB
    frame->second.render(root, page, &words);
    return page;
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
