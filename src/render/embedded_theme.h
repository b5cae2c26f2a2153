// The default theme's files, compiled into the binary (generated from
// themes/default/ by cmake/embed_theme.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace newsdesk::render {

struct EmbeddedFile {
  std::string_view path;     // relative to the theme folder: "layouts/page.mustache"
  std::string_view content;  // exact bytes
};

// Sorted by path. Lives for the whole program.
const std::vector<EmbeddedFile>& embedded_default_theme();

}  // namespace newsdesk::render
