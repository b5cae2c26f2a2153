// JSON text written straight into a std::string, without building a tree:
// byte for byte what nlohmann's dump(-1, ' ', false, error_handler_t::replace)
// writes for the same document (compact, members in the order written,
// UTF-8 as it is). std only; no exceptions. Not thread-safe per string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newsdesk {

enum class JsonEscape {
  // What nlohmann writes: '"' and '\\' escaped, the short escapes \b \f \n
  // \r \t, other C0 controls as \u00xx (lowercase hex), all else as it is.
  kPlain,
  // kPlain, and also '<', '>', '&', U+2028 and U+2029 as \uXXXX: the text
  // can go inside an HTML <script> element (see render/structured_data.h),
  // as render::json_for_script would leave kPlain's output.
  kScript,
};

// Appends s as a JSON string, quotes included. Invalid UTF-8 is replaced by
// U+FFFD as nlohmann's replace handler does: one U+FFFD for each byte that
// cannot start a sequence, and for each started sequence cut short by a
// byte that cannot continue it (that byte is then read again) or by the end
// of s.
void append_json_string(std::string& out, std::string_view s,
                        JsonEscape escape = JsonEscape::kPlain);

// A JSON object or array being written into `out`: members in the order
// given, commas between them, closed by the destructor. Nest by opening
// another on the same string after key() or next().
class JsonMembers {
 public:
  // open: '{' or '['.
  JsonMembers(std::string& out, char open, JsonEscape escape = JsonEscape::kPlain)
      : out_(out), close_(open == '{' ? '}' : ']'), escape_(escape) {
    out_ += open;
  }
  ~JsonMembers() { out_ += close_; }
  JsonMembers(const JsonMembers&) = delete;
  JsonMembers& operator=(const JsonMembers&) = delete;

  // The next member's name (objects) or its place (arrays); returns the
  // string to write the value into.
  std::string& key(std::string_view name) {
    next();
    append_json_string(out_, name, escape_);
    out_ += ':';
    return out_;
  }
  std::string& next() {
    if (!first_) out_ += ',';
    first_ = false;
    return out_;
  }
  void string(std::string_view name, std::string_view value) {
    append_json_string(key(name), value, escape_);
  }
  void number(std::string_view name, std::int64_t value) { key(name) += std::to_string(value); }
  // An array's next element, a string.
  void element(std::string_view value) { append_json_string(next(), value, escape_); }

 private:
  std::string& out_;
  char close_;
  JsonEscape escape_;
  bool first_ = true;
};

}  // namespace newsdesk
