#include "core/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace newsdesk {

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return make_error(ErrorCode::kNotFound, "cannot open " + path + ": " + std::strerror(errno));
  }
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    if (n > 0) {
      if (out.size() + n > max_bytes) {
        return make_error(ErrorCode::kInvalid,
                          path + " is larger than " + std::to_string(max_bytes) + " bytes");
      }
      out.append(buffer, n);
    }
    if (n < sizeof buffer) break;
  }
  if (std::ferror(file.get())) {
    return make_error(ErrorCode::kInternal, "cannot read " + path + ": " + std::strerror(errno));
  }
  return out;
}

}  // namespace newsdesk
