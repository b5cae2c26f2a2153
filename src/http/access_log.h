// The access log: one line per answered request, in the combined log format
// (Apache/nginx "combined" plus the duration in seconds) or as JSON lines.
//
//   127.0.0.1 - - [27/Nov/2026:12:40:00 +0000] "GET /rss.xml HTTP/1.1" 200 5123 "-" "curl/8"
//   0.000412
//   {"time":"2026-11-27T12:40:00.123Z","client":"127.0.0.1","method":"GET","path":"/rss.xml",...}
//
// Secrets that travel in paths (journalists' feed links /press/SECRET/...,
// embargo previews /preview/TOKEN/) are replaced by "[secret]", so a log
// handed around does not hand out access. In text lines, quotes, backslashes
// and control characters a client sent are escaped (\", \\, \xNN): a request
// cannot forge a line.
//
// Thread-safety: write() may be called from any thread; each line is one
// write(2) under a mutex.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/server.h"

namespace newsdesk::http {

enum class AccessLogFormat { kText, kJson };

// "text" or "json"; nullopt otherwise.
std::optional<AccessLogFormat> parse_access_log_format(std::string_view name);

// The target with path secrets replaced (see above).
std::string redact_target(std::string_view target);

// One line, without the newline.
std::string format_access_text(const RequestRecord& record);
std::string format_access_json(const RequestRecord& record);

class AccessLog {
 public:
  // destination: "stderr", or a file path (created 0640 if missing, appended
  // to). Errors: kUnavailable naming the path when it cannot be opened.
  static Result<std::unique_ptr<AccessLog>> open(const std::string& destination,
                                                 AccessLogFormat format);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const RequestRecord& record);

 private:
  AccessLog(int fd, bool owned, AccessLogFormat format);

  std::mutex mu_;
  const int fd_;
  const bool owned_;
  const AccessLogFormat format_;
};

}  // namespace newsdesk::http
