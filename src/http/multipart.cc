#include "http/multipart.h"

#include <cctype>

namespace newsdesk::http {

namespace {

Error invalid(const std::string& what) {
  return make_error(ErrorCode::kInvalid, "multipart: " + what);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of `param` in a header value like `form-data; name="file";
// filename="a.pdf"`: quoted (with \" escapes) or a token.
std::string parameter(std::string_view value, std::string_view param) {
  std::size_t pos = 0;
  while (pos < value.size()) {
    const auto semi = value.find(';', pos);
    if (semi == std::string_view::npos) break;
    std::string_view rest = trim(value.substr(semi + 1));
    pos = semi + 1;
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (!iequals(trim(rest.substr(0, eq)), param)) continue;
    std::string_view v = rest.substr(eq + 1);
    std::string out;
    if (!v.empty() && v.front() == '"') {
      for (std::size_t i = 1; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
          out += v[++i];
        } else if (v[i] == '"') {
          break;
        } else {
          out += v[i];
        }
      }
    } else {
      out = std::string(trim(v.substr(0, v.find(';'))));
    }
    return out;
  }
  return std::string();
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  const auto semi = content_type.find(';');
  if (!iequals(trim(content_type.substr(0, semi)), "multipart/form-data")) return std::string();
  std::string boundary = parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return std::string();
  return boundary;
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts) {
  if (boundary.empty()) return invalid("no boundary");
  const std::string delimiter = "--" + std::string(boundary);
  std::vector<FormPart> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return invalid("no boundary in the body");
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return invalid("a boundary is not followed by CRLF");
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return invalid("a part has no end of headers");
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const auto eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return invalid("a part header has no ':'");
      const std::string_view name = trim(line.substr(0, colon));
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "Content-Disposition")) {
        part.name = parameter(value, "name");
        part.filename = parameter(value, "filename");
      } else if (iequals(name, "Content-Type")) {
        part.content_type = std::string(value);
      }
    }
    const std::size_t content = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, content);
    if (next == std::string_view::npos) return invalid("a part is not closed by a boundary");
    part.body = body.substr(content, next - content);
    parts.push_back(std::move(part));
    if (parts.size() > max_parts) return invalid("too many parts");
    pos = next + 2;
  }
}

}  // namespace newsdesk::http
