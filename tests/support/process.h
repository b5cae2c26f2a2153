// Test helpers that run the real `newsdesk` binary and talk HTTP to it.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace newsdesk::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with arguments, waits, and captures both output streams.
RunResult run_command(const std::vector<std::string>& argv);

// The newsdesk binary built beside the tests, and the repository root.
std::string newsdesk_binary();
std::string source_dir();

// A fresh empty directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `text` to the file at `relative` inside, making its folders.
  void write(const std::string& relative, const std::string& text) const;

 private:
  std::string path_;
};

// A `newsdesk serve` child process on an ephemeral port.
class ServerProcess {
 public:
  // Starts the server with these extra arguments (--listen is added) and
  // waits for its "serving ... on http://HOST:PORT/" line.
  explicit ServerProcess(const std::vector<std::string>& args);
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return port_ != 0; }
  unsigned short port() const { return port_; }
  // Sends SIGTERM and returns the exit code (-1 if it did not exit in time).
  int terminate();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  unsigned short port_ = 0;
};

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// One request on a new connection to 127.0.0.1:port, with extra headers
// and, for POST, PUT and PATCH (or when non-empty), a body.
HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {},
                       const std::string& body = "");
inline HttpReply http_get(unsigned short port, const std::string& target) {
  return http_request(port, "GET", target);
}

// `newsdesk user add NAME --role ROLE --password-stdin --db DB`, the
// password fed on standard input as an operator would.
RunResult add_user(const std::string& db, const std::string& name, const std::string& role,
                   const std::string& password);

// The last word of a command's output ("... token: nd_abc\n" -> "nd_abc"),
// for the secrets the CLI prints last.
std::string last_word(const std::string& text);

// Percent-encodes all but ASCII letters, digits and "-_.", for query
// strings and urlencoded form bodies.
std::string url_encode(const std::string& s);
// An application/x-www-form-urlencoded body of these fields, in order.
std::string form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace newsdesk::testing
