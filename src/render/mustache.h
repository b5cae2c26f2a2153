// Compiled Mustache templates that render exactly what mstch 1.0.2 renders
// (mstch::render), over the same data model (mstch::node, mstch::map,
// mstch::array), without its costs: mstch::render parses the template and
// every partial on each call and copies every node it enters (the root, each
// section's node, the map before each dotted name). Here a template is
// parsed once into a token tree, its partial tags point at the compiled
// partials, and rendering walks the context by pointer, appending to one
// string. bench/RESULTS.md ("Compiled templates instead of mstch::render")
// has the measurements that made the case.
//
// Semantics are mstch 1.0.2's, quirks included (render/mustache_test.cc
// checks them against mstch itself, the Mustache spec and the default
// theme; fuzz/mustache_diff_fuzzer.cc against mstch on random text):
//   - {{x}} is escaped with core's escaped() (& < > " ', C0 controls
//     dropped), what Theme installed as mstch::config::escape; {{{x}}} and
//     {{& x}} are not. ints print as std::to_string, doubles as
//     `std::ostream << double` (6 significant digits), bools as true/false;
//     null, maps and arrays print nothing, as does a name that is not found.
//   - names are trimmed of spaces only; "a.b.c" finds a on the context
//     stack and then b and c inside it; {{.}} is the innermost node that is
//     not a map (an inverted section pushes a null node).
//   - sections: false, 0, 0.0, "", an empty array and null are empty; a
//     map, even an empty one, is not. An array renders the section once per
//     element, whatever the element (false elements too). Sections match
//     their close tag by name, counting any nested open and any close;
//     an unclosed section and what follows it render nothing; a stray close
//     tag is ignored.
//   - standalone lines (only whitespace, " \t\r\n", and tags other than
//     variables) are removed; a standalone partial's indentation is put
//     before each token of the partial that starts a line (inside sections
//     too, but not before the lines of a multi-line value). Set delimiters
//     work as in mstch.
//   - a partial that is not found renders nothing.
//
// Where mstch has undefined behaviour or no behaviour worth copying, this
// engine throws std::runtime_error instead (Theme turns it into a kInternal
// error):
//   - a node that is an mstch::lambda or mstch::object (newsdesk never
//     builds one) when a tag names it or a section iterates over it;
//   - template text mstch would read out of bounds on (overlapping custom
//     delimiters, "{{=}}", a set-delimiter tag with no space after the new
//     opening delimiter), or where its std::string construction throws
//     (a section or partial tag with only spaces after the sigil);
//   - a partial whose sections are not closed at its end: mstch lets such
//     a section run on into the including template;
//   - partials nested deeper than kMaxPartialDepth (mstch recurses until
//     the stack overflows).
// Template text that fails to compile throws when it is rendered (or when a
// template that includes it as a partial reaches the partial tag), with the
// message of the compile error.
//
// Thread-safety: a Template is immutable once linked; render() may run on
// any number of threads at once.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mstch/mstch.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace newsdesk::render::mustache {

inline constexpr int kMaxPartialDepth = 200;

class Template;
// Compiled partials by name, as {{> name}} names them.
using Partials = std::map<std::string, Template, std::less<>>;

// Thrown for text mstch would render with undefined behaviour (reading out
// of bounds); the fuzzer skips mstch for such input.
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Template {
 public:
  // Compiles `text`. Never throws: a compile error is kept and thrown by
  // render().
  explicit Template(std::string_view text);
  ~Template();
  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  // Linked partial tags point into a Partials map: no copies.
  Template(const Template&) = delete;
  Template& operator=(const Template&) = delete;

  // Points each {{> name}} at partials' entry (nullptr: renders nothing).
  // `partials` may hold this template (recursion) and must outlive it, and
  // its entries must stay where they are (a std::map does not move them).
  void link(const Partials& partials);

  // Appends the template rendered with `root` as the context to `out`.
  // `under`, when given, is a context beneath root: names root does not
  // have are looked up there last (a theme's words, shared by every page,
  // without copying them into each page's context).
  // Throws std::runtime_error as the file comment says.
  void render(const mstch::node& root, std::string& out, const mstch::node* under = nullptr) const;
  std::string render(const mstch::node& root, const mstch::node* under = nullptr) const;

  // The compile error ("" when the text compiled).
  const std::string& error() const { return error_; }

  struct Node;  // the token tree (mustache.cc)

 private:
  friend class Renderer;
  std::vector<Node> nodes_;
  std::string error_;
  bool unsupported_ = false;  // error_ is mstch's undefined behaviour
  bool leaves_open_ = false;  // a section is open at the end of the text
  std::size_t text_size_ = 0;
};

// What mstch::render(text, root, partials) returns, the same way: compiles
// the text and every partial, links and renders. For tests and the fuzzer;
// pages keep their compiled templates (render/theme.h).
std::string render(std::string_view text, const mstch::node& root,
                   const std::map<std::string, std::string>& partials = {});

}  // namespace newsdesk::render::mustache
