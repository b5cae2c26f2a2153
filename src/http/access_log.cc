#include "http/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

namespace newsdesk::http {

namespace {

// Paths whose next segment is a secret.
constexpr std::string_view kSecretPrefixes[] = {"/press/", "/preview/"};

std::string log_quoted(std::string_view value) {
  if (value.empty()) return "\"-\"";
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

std::tm utc(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

std::string version_text(unsigned version) {
  return "HTTP/" + std::to_string(version / 10) + "." + std::to_string(version % 10);
}

}  // namespace

std::optional<AccessLogFormat> parse_access_log_format(std::string_view name) {
  if (name == "text") return AccessLogFormat::kText;
  if (name == "json") return AccessLogFormat::kJson;
  return std::nullopt;
}

std::string redact_target(std::string_view target) {
  for (std::string_view prefix : kSecretPrefixes) {
    if (!target.starts_with(prefix)) continue;
    const std::string_view rest = target.substr(prefix.size());
    const auto end = rest.find_first_of("/?");
    return std::string(prefix) + "[secret]" +
           std::string(end == std::string_view::npos ? std::string_view() : rest.substr(end));
  }
  return std::string(target);
}

std::string format_access_text(const RequestRecord& r) {
  const std::tm tm = utc(r.started);
  char when[64];
  std::strftime(when, sizeof when, "[%d/%b/%Y:%H:%M:%S +0000]", &tm);
  const std::string request =
      r.method == "-" ? std::string("-")
                      : r.method + " " + redact_target(r.target) + " " + version_text(r.version);
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.6f", r.duration.count());
  return (r.client_address.empty() ? std::string("-") : r.client_address) + " - - " + when + " " +
         log_quoted(request) + " " + std::to_string(r.status) + " " + std::to_string(r.body_bytes) +
         " " + log_quoted(r.referer) + " " + log_quoted(r.user_agent) + " " + duration;
}

std::string format_access_json(const RequestRecord& r) {
  const std::tm tm = utc(r.started);
  char when[40];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(r.started.time_since_epoch()).count() %
      1000;
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "%s.%03dZ", when, static_cast<int>(millis));
  nlohmann::json line = {
      {"time", stamp},
      {"client", r.client_address},
      {"method", r.method},
      {"path", redact_target(r.target)},
      {"protocol", version_text(r.version)},
      {"status", r.status},
      {"bytes", r.body_bytes},
      {"duration_seconds", r.duration.count()},
      {"referer", r.referer},
      {"user_agent", r.user_agent},
  };
  // A client's bytes need not be UTF-8: replace what is not, never throw.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& destination,
                                                   AccessLogFormat format) {
  if (destination == "stderr") {
    return std::unique_ptr<AccessLog>(new AccessLog(STDERR_FILENO, false, format));
  }
  if (destination.empty()) {
    return make_error(ErrorCode::kInvalid, "http: access log: empty path");
  }
  const int fd = ::open(destination.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return make_error(ErrorCode::kUnavailable,
                      "http: access log: cannot open " + destination + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true, format));
}

AccessLog::AccessLog(int fd, bool owned, AccessLogFormat format)
    : fd_(fd), owned_(owned), format_(format) {}

AccessLog::~AccessLog() {
  if (owned_) ::close(fd_);
}

void AccessLog::write(const RequestRecord& record) {
  std::string line =
      format_ == AccessLogFormat::kJson ? format_access_json(record) : format_access_text(record);
  line += '\n';
  std::lock_guard lock(mu_);
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a full disk must not stop the server
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace newsdesk::http
