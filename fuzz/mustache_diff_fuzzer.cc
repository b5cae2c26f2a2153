// libFuzzer target: the compiled Mustache engine (render/mustache.h) against
// mstch::render, on random template text over a fixed context of maps,
// arrays, strings, numbers, bools and null, with two partials. Whenever mstch
// renders, the engine must render the same bytes; when mstch throws, the
// engine may throw or render, but must not crash. Text the engine refuses as
// mstch's undefined behaviour (mustache::Unsupported: mstch would read out
// of bounds) is not given to mstch. A difference prints both outputs and
// aborts, so libFuzzer keeps the input as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "core/strings.h"
#include "render/mustache.h"

namespace {

namespace mustache = newsdesk::render::mustache;

const mstch::node& context() {
  static const mstch::node root = [] {
    mstch::map leaf{{"c", std::string("<deep & \"quoted\">")}, {"n", 7}};
    mstch::map a{{"b", leaf}, {"list", mstch::array{1, 2, 3}}, {"x", std::string("inner x")}};
    mstch::array list{std::string("s1"),
                      mstch::map{{"name", std::string("first")}, {"t", false}},
                      42,
                      2.5,
                      true,
                      false,
                      std::string(),
                      mstch::array{std::string("n1"), std::string("n2")},
                      mstch::map{}};
    return mstch::node(mstch::map{{"a", a},
                                  {"list", list},
                                  {"nested", mstch::array{mstch::array{}, mstch::array{a}}},
                                  {"x", std::string("<b>x & 'y'</b> /path")},
                                  {"y", -12},
                                  {"z", 3.14159265358979},
                                  {"zero", 0},
                                  {"t", true},
                                  {"f", false},
                                  {"e", std::string()},
                                  {"n", nullptr},
                                  {"none", mstch::array{}},
                                  {"name", std::string("root name")}});
  }();
  return root;
}

const std::map<std::string, std::string>& partials() {
  static const std::map<std::string, std::string> p = {
      {"p", "<{{a.b.c}}>\n{{#list}}[{{.}}]{{/list}}\n"},
      {"q", "  {{x}}\n{{#a}}\n  {{> p}}\n{{/a}}\n"},
  };
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool escape_set = [] {
    mstch::config::escape = [](const std::string& s) { return newsdesk::escaped(s); };
    return true;
  }();
  (void)escape_set;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string ours;
  bool ours_threw = false;
  std::string ours_error;
  try {
    ours = mustache::render(text, context(), partials());
  } catch (const mustache::Unsupported&) {
    return 0;  // mstch's behaviour is undefined here
  } catch (const std::exception& e) {
    ours_threw = true;
    ours_error = e.what();
  }
  std::string theirs;
  try {
    theirs = mstch::render(text, context(), partials());
  } catch (const std::exception&) {
    return 0;  // the engine threw or rendered, without crashing
  }
  if (ours_threw || ours != theirs) {
    std::fprintf(stderr,
                 "mustache_diff: differs\n--- template ---\n%s\n--- engine ---\n%s\n"
                 "--- mstch ---\n%s\n---\n",
                 text.c_str(), ours_threw ? ("threw: " + ours_error).c_str() : ours.c_str(),
                 theirs.c_str());
    std::abort();
  }
  return 0;
}
