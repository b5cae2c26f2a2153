// An HTTP/1.1 server on Boost.Beast: keep-alive, bounded requests, a pool of
// threads running one io_context, clean shutdown on SIGINT/SIGTERM.
//
// The handler is a plain function request -> response (Beast's
// advanced_server shape): it is called concurrently from the pool's threads
// and must be thread-safe.
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"

namespace newsdesk::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Handler = std::function<Response(const Request&)>;

// The server puts the client's IP address into every request under this
// header (dropping one the client sent), for handlers that throttle by
// address. Behind a reverse proxy it is the proxy's address.
inline constexpr std::string_view kClientAddressHeader = "X-Newsdesk-Client-Address";

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see Server::port())
  int threads = 1;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  // A larger (or smaller) limit for some requests, decided from the request
  // line before the body is read: a body over it gets 413 without being read
  // when its Content-Length says so. Unset: body_limit for every request.
  std::function<std::size_t(beast_http::verb method, std::string_view target)> body_limit_for;
  std::chrono::seconds read_timeout{30};  // also the keep-alive idle timeout
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Errors: kUnavailable when the address cannot be bound.
  Result<void> listen();
  // The bound port. REQUIRES: listen() succeeded.
  unsigned short port() const;
  // Serves until stop() or SIGINT/SIGTERM; then returns. REQUIRES: listen().
  void run();
  // Stops accepting and ends run(). Thread-safe; callable from a handler.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsdesk::http
