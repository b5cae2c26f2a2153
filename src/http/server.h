// An HTTP/1.1 server on Boost.Beast: keep-alive, bounded requests, graceful
// shutdown on SIGINT/SIGTERM. With one thread, one io_context serves
// everything; with N > 1, each of N threads runs an io_context of its own
// (as nginx's workers: nothing shared per request, no strands) and a new
// connection goes to the next one in turn, while the calling thread accepts
// and handles shutdown. A connection stays on its thread: a slow handler
// (a cache miss rendering a page) delays the other connections of that
// thread, not those of the others.
//
// The handler is a plain function request -> response (Beast's
// advanced_server shape): it is called concurrently from the threads and
// must be thread-safe. A response whose body holds a PreparedResponse is
// written from its bytes as they are (see below).
//
// Limits (each answered before the handler sees anything): a request line
// over request_line_limit gets 414, a header over header_limit 431, a body
// over its limit 413 (unread when Content-Length says so), anything Beast
// cannot parse 400; each then closes the connection. A client that takes
// longer than header_timeout to send a header, or body_timeout to send a
// body, is disconnected; so is an idle keep-alive connection after
// idle_timeout. Connections beyond max_connections get a 503 and are closed.
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace newsdesk::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;

// A response serialised ahead of time (the response cache's, see
// respond_prepared in cache.h): the status line and every header field but
// Date and Connection, each line ending in CRLF, and the body. Both views
// stay valid while `owner` lives. The server writes it as it is, adding
// Date, "Connection: close" when it closes, and the blank line; for HEAD it
// leaves out the body. Only for HTTP/1.1 requests.
struct PreparedResponse {
  std::shared_ptr<const void> owner;
  std::string_view head;
  std::string_view body;
  beast_http::status status = beast_http::status::ok;
  // A file holding exactly `body` (a BodyFile's, open while `owner` lives):
  // the server sends the body from it with sendfile(2). -1: none.
  int file = -1;
};

// A response body: bytes of its own, as with Beast's string_body, or a
// PreparedResponse shared with the cache (no copy per request). Assigning
// text drops a prepared response.
class ResponseBody {
 public:
  ResponseBody() = default;
  ResponseBody(std::string text) : text_(std::move(text)) {}  // NOLINT: implicit as string_body
  ResponseBody& operator=(std::string text) {
    text_ = std::move(text);
    prepared_.reset();
    return *this;
  }
  ResponseBody& operator=(const char* text) { return *this = std::string(text); }

  std::string_view bytes() const { return prepared_ ? prepared_->body : std::string_view(text_); }
  operator std::string_view() const { return bytes(); }  // NOLINT: reads like a string
  std::size_t size() const { return bytes().size(); }
  bool empty() const { return bytes().empty(); }
  void clear() {
    text_.clear();
    prepared_.reset();
  }
  // The text a parser appends to (see ResponseBodyType::reader).
  std::string& text() { return text_; }

  void set_prepared(PreparedResponse prepared) {
    text_.clear();
    prepared_ = std::move(prepared);
  }
  // Set: the server writes this instead of the message's fields and body.
  const PreparedResponse* prepared() const { return prepared_ ? &*prepared_ : nullptr; }

  friend bool operator==(const ResponseBody& a, std::string_view b) { return a.bytes() == b; }
  friend std::ostream& operator<<(std::ostream& out, const ResponseBody& body) {
    return out << body.bytes();
  }

 private:
  std::string text_;
  std::optional<PreparedResponse> prepared_;
};

// Beast's Body concept over ResponseBody (the bytes it holds, either way).
struct ResponseBodyType {
  using value_type = ResponseBody;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(beast_http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      body_.clear();
      if (length) body_.text().reserve(static_cast<std::size_t>(*length));
      ec = {};
    }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const std::size_t n = boost::asio::buffer_size(buffers);
      std::string& text = body_.text();
      const std::size_t at = text.size();
      text.resize(at + n);
      ec = {};
      return boost::asio::buffer_copy(boost::asio::buffer(text.data() + at, n), buffers);
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(const beast_http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}
    void init(boost::beast::error_code& ec) { ec = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      const std::string_view bytes = body_.bytes();
      return {{const_buffers_type(bytes.data(), bytes.size()), false}};
    }

   private:
    const value_type& body_;
  };
};

using Response = beast_http::response<ResponseBodyType>;
using Handler = std::function<Response(const Request&)>;

// Header fields the server adds to every response (prepared ones carry them
// already): no MIME sniffing of feeds or attachments into something
// executable.
inline constexpr std::string_view kServerName = "newsdesk";

// The server puts the client's IP address into every request under this
// header (dropping one the client sent), for handlers that throttle by
// address. Behind a reverse proxy it is the proxy's address, unless the
// proxy is listed in ServerOptions::trusted_proxies.
inline constexpr std::string_view kClientAddressHeader = "X-Newsdesk-Client-Address";

// One answered request, as the server tells on_request after the response
// is written (or failed to be): for access logs and metrics.
struct RequestRecord {
  std::string method;  // "GET"; "-" when the request line was unreadable
  std::string target;  // as sent, query included; "-" when unreadable
  unsigned version = 11;
  int status = 0;
  std::uint64_t body_bytes = 0;  // body bytes of the response (0 for HEAD, 304)
  // From the request's first byte to the response's last.
  std::chrono::duration<double> duration{0};
  std::chrono::system_clock::time_point started;
  std::string client_address;  // as in kClientAddressHeader
  std::string user_agent;
  std::string referer;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see Server::port())
  int threads = 1;
  // The request line ("GET /target HTTP/1.1"); longer: 414.
  std::size_t request_line_limit = 8 * 1024;
  // Request line and header fields together; more: 431.
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  // A larger (or smaller) limit for some requests, decided from the request
  // line before the body is read: a body over it gets 413 without being read
  // when its Content-Length says so. Unset: body_limit for every request.
  std::function<std::size_t(beast_http::verb method, std::string_view target)> body_limit_for;
  // A new connection has this long to send its first request's header; a
  // kept-alive one this long from the first byte of each further request.
  std::chrono::milliseconds header_timeout{10'000};
  // The whole body, once the header is in.
  std::chrono::milliseconds body_timeout{30'000};
  // A kept-alive connection waiting for its next request.
  std::chrono::milliseconds idle_timeout{15'000};
  // Writing one response to the client.
  std::chrono::milliseconds write_timeout{30'000};
  // Connections served at once; more are answered 503 and closed.
  std::size_t max_connections = 1024;
  // On stop() (or a signal): how long requests in flight may take to finish
  // before run() returns regardless.
  std::chrono::milliseconds shutdown_timeout{10'000};
  // Peers (exact IP addresses, e.g. "127.0.0.1" for a local nginx) whose
  // X-Forwarded-For is believed: the client address of a request from one of
  // them is the last address in that header. From anyone else the header
  // is ignored.
  std::vector<std::string> trusted_proxies;
  // Called after every response (from the pool's threads, concurrently):
  // must be thread-safe and quick. Unset: nothing is called.
  std::function<void(const RequestRecord&)> on_request;
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
  // Graceful stop: closes the listening socket at once (new connections are
  // refused), closes idle connections, lets requests in flight finish with
  // "Connection: close", and ends run() when none is left or after
  // shutdown_timeout. A handler still running 2 s after that cannot be
  // interrupted: the process then logs it and exits with status 70.
  // Thread-safe; callable from a handler.
  void stop();

  // Connections open now, and those refused for max_connections so far.
  // Thread-safe.
  std::size_t open_connections() const;
  std::uint64_t rejected_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsdesk::http
