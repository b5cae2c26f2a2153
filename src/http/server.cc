#include "http/server.h"

#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/body_file.h"
#include "text/date.h"

namespace newsdesk::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
// Sessions run on an io_context (one per thread), named as such: a socket
// and timer with this concrete executor dispatch their handlers directly,
// where any_io_executor (beast::tcp_stream's) copied and destroyed a
// type-erased executor around every operation.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Executor>;
using Clock = std::chrono::steady_clock;

namespace {

// How long after the shutdown timeout a still-running handler is waited
// for before the process exits, and the status it exits with then
// (EX_SOFTWARE).
constexpr std::chrono::seconds kShutdownGrace{2};
constexpr int kStuckExitCode = 70;
// Accept operations kept waiting on the listening socket (Server::run).
constexpr int kAcceptsWaiting = 16;
// Handlers a serving thread runs before it lets another thread have its
// processor (run_yielding).
constexpr int kHandlersPerTurn = 256;

Response plain_error(beast_http::status status, unsigned version, std::string_view text) {
  Response res{status, version};
  res.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  res.body() = std::string(text) + "\n";
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

// The Date header's value for now, formatted once a second per thread.
std::string_view http_date_now() {
  thread_local std::time_t formatted_at = -1;
  thread_local std::string value;
  const std::time_t now = std::time(nullptr);
  if (now != formatted_at) {
    value = text::format_http_date(now);
    formatted_at = now;
  }
  return value;
}

// The rightmost address in an X-Forwarded-For value (the one the trusted
// proxy itself appended or set), when it parses as an IP address.
std::optional<std::string> forwarded_for(std::string_view value) {
  const auto comma = value.rfind(',');
  std::string_view last = comma == std::string_view::npos ? value : value.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  beast::error_code ec;
  const auto address = asio::ip::make_address(std::string(last), ec);
  if (ec) return std::nullopt;
  return address.to_string();
}

class Session;

// The open sessions, so that a shutdown can reach each of them. Shared by
// the server and every session (a session may outlive the server's run()
// by a moment while the io_context is destroyed).
struct Tracker {
  std::mutex mu;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  bool draining = false;                                                // guarded by mu
  // Set with `draining`, readable without the lock: a response being made
  // as the stop begins already says "Connection: close".
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open{0};
  std::atomic<std::uint64_t> rejected{0};
};

// A prepared response going out by sendfile (Session::send_file): what is
// left of it.
struct FileSend {
  std::array<iovec, 2> head{};  // its head and tail_, as far as not yet sent
  int pending_head = 0;         // entries of head not sent in full
  int fd = -1;
  off_t offset = 0;
  std::size_t left = 0;
  bool keep_alive = false;
  int status = 0;
  std::size_t body_bytes = 0;
};

// One connection: wait for a request, read it, answer it, repeat while
// keep-alive holds and the server is not shutting down.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, const ServerOptions& options, const Handler& handler,
          std::shared_ptr<Tracker> tracker)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        options_(options),
        handler_(handler),
        tracker_(std::move(tracker)),
        check_every_(std::min({options.header_timeout, options.body_timeout, options.idle_timeout,
                               options.write_timeout})) {
    ++tracker_->open;
    // A response goes out in one write and the client waits for all of it:
    // Nagle's delay would only hold back a response's last segment.
    beast::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
  }
  ~Session() {
    {
      std::lock_guard lock(tracker_->mu);
      tracker_->sessions.erase(this);
    }
    --tracker_->open;
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    bool draining = false;
    {
      std::lock_guard lock(tracker_->mu);
      tracker_->sessions.emplace(this, weak_from_this());
      draining = tracker_->draining;
    }
    if (draining) return close();
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->arm_timer(Clock::now());
      self->wait_request();
    });
  }

  // From the shutdown: no further request on this connection. One being
  // read or handled is finished and answered with "Connection: close".
  void drain() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      // A request whose first bytes have arrived counts as in flight.
      beast::error_code ec;
      const bool waiting = self->socket_.available(ec) == 0;
      if (self->state_ == State::kIdle && (waiting || ec)) self->socket_.cancel(ec);
    });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting };

  // Timeouts. Each read or write sets a deadline; one timer per connection
  // checks it, at the deadline or at the latest check_every_ (the shortest
  // timeout) after the timer was last armed, and re-arms itself until the
  // deadline passes, which closes the socket. A deadline is always set to
  // at least check_every_ from now, so a check is never late for it, and
  // setting one costs no timer operation (Beast's tcp_stream set and
  // cancelled a timer around every read and write, a tenth of the CPU time
  // of a cached response).
  void expires_after(std::chrono::milliseconds timeout) { deadline_ = Clock::now() + timeout; }

  void arm_timer(Clock::time_point now) {
    timer_.expires_at(std::min(deadline_, now + check_every_));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->check_deadline();
    });
  }

  void check_deadline() {
    if (!socket_.is_open()) return;
    const auto now = Clock::now();
    if (now < deadline_) return arm_timer(now);
    // The operation waiting ends with operation_aborted; timed_out_ tells
    // why (and the connection is not reused).
    timed_out_ = true;
    beast::error_code ec;
    socket_.close(ec);
  }

  // Waits for the first byte of the next request: the idle timeout applies
  // to a kept-alive connection, the header timeout to a new one.
  void wait_request() {
    state_ = State::kIdle;
    if (draining_) return close();
    if (buffer_.size() > 0) return read_header();  // pipelined bytes
    expires_after(first_request_ ? options_.header_timeout : options_.idle_timeout);
    socket_.async_read_some(buffer_.prepare(1024),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              if (ec) return self->close();
                              self->buffer_.commit(bytes);
                              self->read_header();
                            });
  }

  void read_header() {
    state_ = State::kReading;
    started_ = std::chrono::steady_clock::now();
    started_wall_ = std::chrono::system_clock::now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    // With per-request limits, the header's Content-Length is checked in
    // on_header; until then Beast must not refuse it against the default.
    parser_->body_limit(options_.body_limit_for ? std::numeric_limits<std::uint64_t>::max()
                                                : options_.body_limit);
    const bool first = first_request_;
    first_request_ = false;
    // Most requests arrive whole in one read: parse what is buffered here,
    // without another trip through the io_context.
    beast::error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec != beast_http::error::need_more) return on_header(ec, used);
    // A new connection's deadline runs from its accept (wait_request).
    if (!first) expires_after(options_.header_timeout);
    // The header first: the body's limit may depend on where it goes.
    beast_http::async_read_header(
        socket_, buffer_, *parser_,
        beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // Whether the request line alone is over its limit, judged from the
  // bytes Beast refused as a too large header (still in the buffer).
  bool request_line_too_long() const {
    const auto data = buffer_.data();
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    const auto eol = bytes.find('\n');
    return eol == std::string_view::npos || eol > options_.request_line_limit;
  }

  void on_header(beast::error_code ec, std::size_t bytes) {
    if (ec == beast_http::error::header_limit && request_line_too_long()) {
      return reject(beast_http::status::uri_too_long);
    }
    if (!ec && parser_->get().target().size() > options_.request_line_limit) {
      return reject(beast_http::status::uri_too_long);
    }
    if (!ec && options_.body_limit_for) {
      const auto& header = parser_->get();
      const std::size_t limit = options_.body_limit_for(header.method(), header.target());
      const auto length = parser_->content_length();
      if (length && *length > limit) {
        ec = beast_http::error::body_limit;  // 413, and the body is never read
      } else {
        parser_->body_limit(limit);  // chunked bodies are counted as they come
      }
    }
    if (ec || parser_->is_done()) return on_read(ec, bytes);
    expires_after(options_.body_timeout);
    beast_http::async_read(socket_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (timed_out_ || ec == beast_http::error::end_of_stream ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec) {
      // Malformed or oversized: a clear status, then close.
      const auto status = ec == beast_http::error::body_limit
                              ? beast_http::status::payload_too_large
                          : ec == beast_http::error::header_limit
                              ? beast_http::status::request_header_fields_too_large
                              : beast_http::status::bad_request;
      return reject(status);
    }
    state_ = State::kHandling;
    Request req = parser_->release();
    // Who is asking, for login throttling and the access log: the server
    // sets this header itself, replacing any a client sent.
    req.erase(kClientAddressHeader);
    req.set(kClientAddressHeader, client_address(req));
    Response res;
    try {
      res = handler_(req);
    } catch (const std::exception& e) {
      // The one catch-all per session (STYLE.md): a bug becomes a 500.
      spdlog::error("http: handler threw on {}: {}", std::string(req.target()), e.what());
      res = plain_error(beast_http::status::internal_server_error, req.version(),
                        "Internal Server Error");
    }
    if (res.body().prepared() != nullptr && req.version() == 11) {
      return send_prepared(req, std::move(res));
    }
    res.version(req.version());
    res.keep_alive(res.keep_alive() && req.keep_alive() && !draining_ &&
                   !tracker_->stopping.load());
    res.set(beast_http::field::date, http_date_now());
    // On every response, cached ones included: no MIME sniffing of feeds
    // or attachments into something executable.
    res.set(beast_http::field::server, kServerName);
    res.set("X-Content-Type-Options", "nosniff");
    const auto status = res.result();
    if (status == beast_http::status::not_modified || status == beast_http::status::no_content) {
      // No body and no Content-Length: a 304's length would have to be the
      // 200's (RFC 9110 §8.6), and a 204 has none.
      res.body().clear();
      res.erase(beast_http::field::content_length);
    } else if (req.method() == beast_http::verb::head) {
      // Same headers as GET, no body (RFC 9110 §9.3.2).
      const auto size = res.body().size();
      res.body().clear();
      res.content_length(size);
    } else {
      res.prepare_payload();
    }
    remember(req);
    send(std::move(res));
  }

  // What on_request will be told about this request, when anyone listens.
  void remember(const Request& req) {
    if (!options_.on_request) return;
    // Assigned, not made anew: the strings keep their buffers from one
    // request of the connection to the next.
    recording_ = true;
    record_.method.assign(req.method_string());
    record_.target.assign(req.target());
    record_.version = req.version();
    record_.client_address.assign(req[kClientAddressHeader]);
    record_.user_agent.assign(req[beast_http::field::user_agent]);
    record_.referer.assign(req[beast_http::field::referer]);
  }

  // A response serialised ahead (the cache's): its bytes as they are, plus
  // Date, Connection when closing, and the blank line; one gather write.
  void send_prepared(const Request& req, Response&& res) {
    state_ = State::kWriting;
    prepared_ = std::move(res);
    const PreparedResponse& p = *prepared_->body().prepared();
    const bool keep_alive = req.keep_alive() && !draining_ && !tracker_->stopping.load();
    tail_.assign("Date: ");
    tail_.append(http_date_now());
    tail_.append(keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    const bool has_body = req.method() != beast_http::verb::head &&
                          p.status != beast_http::status::not_modified &&
                          p.status != beast_http::status::no_content;
    const std::array<asio::const_buffer, 3> buffers{
        asio::buffer(p.head.data(), p.head.size()), asio::buffer(tail_),
        has_body ? asio::buffer(p.body.data(), p.body.size()) : asio::const_buffer()};
    remember(req);
    const std::size_t body_bytes = has_body ? p.body.size() : 0;
    const int status = static_cast<int>(p.status);
    if (has_body && p.file >= 0) {
      return send_file(p, keep_alive, status);
    }
    expires_after(options_.write_timeout);
    asio::async_write(socket_, buffers,
                      [self = shared_from_this(), keep_alive, body_bytes, status](
                          beast::error_code ec, std::size_t) {
                        self->prepared_.reset();
                        self->report(status, body_bytes);
                        if (ec || !keep_alive) return self->close();
                        self->wait_request();
                      });
  }

  // A prepared response whose body is in a file: the head with MSG_MORE,
  // then the body by sendfile(2), so the kernel takes the file's pages
  // instead of a copy of the bytes (as nginx sends its files). Both are
  // written as far as the socket takes them; when it is full, the session
  // waits until it is writable again, for at most write_timeout each time.
  void send_file(const PreparedResponse& p, bool keep_alive, int status) {
    file_.emplace();
    file_->pending_head = 2;
    file_->head[0] = {const_cast<char*>(p.head.data()), p.head.size()};
    file_->head[1] = {tail_.data(), tail_.size()};
    file_->fd = p.file;
    file_->left = p.body.size();
    file_->keep_alive = keep_alive;
    file_->status = status;
    file_->body_bytes = p.body.size();
    pump_file();
  }

  void pump_file() {
    FileSend& f = *file_;
    const int socket = socket_.native_handle();
    beast::error_code ec;
    // sendfile has no MSG_DONTWAIT: the descriptor itself must not block.
    // Set once per connection (the getter reads Asio's flag, no syscall).
    if (!socket_.native_non_blocking()) socket_.native_non_blocking(true, ec);
    while (!ec && (f.pending_head > 0 || f.left > 0)) {
      ssize_t n = 0;
      if (f.pending_head > 0) {
        msghdr msg{};
        msg.msg_iov = f.head.data() + (2 - f.pending_head);
        msg.msg_iovlen = f.pending_head;
        n = ::sendmsg(socket, &msg, MSG_NOSIGNAL | MSG_MORE);
        if (n > 0) consume_head(f, static_cast<std::size_t>(n));
      } else {
        n = ::sendfile(socket, f.fd, &f.offset, f.left);
        if (n > 0) f.left -= static_cast<std::size_t>(n);
      }
      if (n >= 0) continue;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return wait_writable();
      ec = beast::error_code(errno, beast::system_category());
    }
    finish_file(ec);
  }

  static void consume_head(FileSend& f, std::size_t n) {
    while (n > 0 && f.pending_head > 0) {
      iovec& first = f.head[2 - f.pending_head];
      const std::size_t used = std::min(n, first.iov_len);
      first.iov_base = static_cast<char*>(first.iov_base) + used;
      first.iov_len -= used;
      n -= used;
      if (first.iov_len == 0) --f.pending_head;
    }
  }

  // At most write_timeout for each wait: a client that reads slowly but
  // steadily gets the whole body.
  void wait_writable() {
    expires_after(options_.write_timeout);
    socket_.async_wait(Socket::wait_write, [self = shared_from_this()](beast::error_code ec) {
      if (self->timed_out_) ec = beast::error::timeout;
      if (ec) return self->finish_file(ec);
      self->pump_file();
    });
  }

  void finish_file(beast::error_code ec) {
    const FileSend f = *file_;
    file_.reset();
    prepared_.reset();
    report(f.status, f.body_bytes);
    if (ec || !f.keep_alive) return close();
    wait_request();
  }

  // A request refused before the handler: its status, then close.
  void reject(beast_http::status status) {
    recording_ = true;
    record_ = RequestRecord{};
    record_.method = "-";
    record_.target = "-";
    if (parser_ && parser_->is_header_done()) {
      const auto& header = parser_->get();
      record_.method = std::string(header.method_string());
      record_.target = std::string(header.target());
      record_.user_agent = std::string(header[beast_http::field::user_agent]);
      record_.referer = std::string(header[beast_http::field::referer]);
    }
    record_.client_address = peer_address();
    send(plain_error(status, 11, beast_http::obsolete_reason(status)));
  }

  // The peer's address, asked of the socket once per connection.
  const std::string& peer_address() {
    if (peer_.empty()) {
      beast::error_code ec;
      const auto peer = socket_.remote_endpoint(ec);
      peer_ = ec ? std::string("unknown") : peer.address().to_string();
    }
    return peer_;
  }

  std::string client_address(const Request& req) {
    const std::string& peer = peer_address();
    const auto& trusted = options_.trusted_proxies;
    if (std::find(trusted.begin(), trusted.end(), peer) == trusted.end()) return peer;
    const auto header = req.find("X-Forwarded-For");
    if (header == req.end()) return peer;
    return forwarded_for(header->value()).value_or(peer);
  }

  void send(Response&& res) {
    state_ = State::kWriting;
    auto shared = std::make_shared<Response>(std::move(res));
    const bool close_after = !shared->keep_alive();
    expires_after(options_.write_timeout);
    beast_http::async_write(
        socket_, *shared,
        [self = shared_from_this(), shared, close_after](beast::error_code ec, std::size_t) {
          self->report(static_cast<int>(shared->result_int()), shared->body().size());
          if (ec || close_after) return self->close();
          self->wait_request();
        });
  }

  void report(int status, std::uint64_t body_bytes) {
    if (!recording_) return;
    recording_ = false;
    if (options_.on_request) {
      record_.status = status;
      record_.body_bytes = body_bytes;
      record_.duration = std::chrono::steady_clock::now() - started_;
      record_.started = started_wall_;
      try {
        options_.on_request(record_);
      } catch (const std::exception& e) {
        spdlog::error("http: request observer threw: {}", e.what());
      }
    }
  }

  void close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
    timer_.cancel();  // its handler holds the session
  }

  Socket socket_;
  Timer timer_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  const ServerOptions& options_;
  const Handler& handler_;
  std::shared_ptr<Tracker> tracker_;
  const std::chrono::milliseconds check_every_;  // see expires_after
  // The rest belongs to the session's thread.
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  State state_ = State::kIdle;
  bool draining_ = false;
  bool first_request_ = true;
  std::chrono::steady_clock::time_point started_;
  std::chrono::system_clock::time_point started_wall_;
  RequestRecord record_;  // the request being answered, when recording_
  bool recording_ = false;
  std::string peer_;                  // see peer_address()
  std::optional<Response> prepared_;  // the prepared response being written
  std::string tail_;                  // its Date and Connection lines
  std::optional<FileSend> file_;
};

// A connection over the limit: a 503, then the client's bytes are read and
// dropped until it closes or a second passes, so that closing does not
// reset the connection before the client has read the answer.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  explicit Refusal(Socket&& socket) : stream_(tcp::socket(std::move(socket))) {}

  void start() {
    static constexpr std::string_view kAnswer =
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: 21\r\n"
        "Retry-After: 1\r\n"
        "Connection: close\r\n"
        "\r\n"
        "Too many connections\n";
    stream_.expires_after(std::chrono::seconds(1));
    asio::async_write(stream_, asio::buffer(kAnswer.data(), kAnswer.size()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        self->drop();
                      });
  }

 private:
  void drop() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drop();
                            });
  }
  void close() {
    beast::error_code ec;
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  char scratch_[1024];
};

// io_context::run(), giving up the processor after every kHandlersPerTurn
// handlers (sched_yield). A thread that always finds another request ready
// otherwise keeps its processor until the scheduler's tick takes it (4 ms
// here), while the requests of a thread queued behind it on that processor
// (another of ours, or the client's or proxy's) wait: with two threads and
// 64 connections, p99 was 7-8 ms at a median of 0.1 ms (`perf sched
// timehist`: one pair of threads ran 8 ms while the other pair waited).
// Yielding every 256 handlers (about 128 requests, under a millisecond)
// brought the home page's p99 there to 1.3-1.4 ms at the same or better
// throughput, and every two-thread cell of bench/serve to 1.3-3.9 ms but
// one (bench/RESULTS.md, issue 7, session 8).
void run_yielding(asio::io_context& context) {
  int handlers = 0;
  while (context.run_one() > 0) {
    if (++handlers == kHandlersPerTurn) {
      handlers = 0;
      sched_yield();
    }
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        tracker(std::make_shared<Tracker>()),
        ioc(1),
        acceptor(asio::make_strand(ioc)),
        signals(signal_ioc, SIGINT, SIGTERM),
        drain_timer(acceptor.get_executor()) {
    if (options.threads > 1) {
      for (int i = 0; i < options.threads; ++i) {
        workers.push_back(std::make_unique<asio::io_context>(1));
        guards.emplace_back(workers.back()->get_executor());
      }
    }
  }

  void accept() {
    acceptor.async_accept(session_executor(), [this](beast::error_code ec, Socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        spdlog::warn("http: accept: {}", ec.message());
      } else if (tracker->open.load() >= std::max<std::size_t>(1, options.max_connections)) {
        // Sessions are only made here, on the acceptor's strand, so the
        // count cannot grow between this check and the make_shared below.
        ++tracker->rejected;
        warn_limit();
        std::make_shared<Refusal>(std::move(socket))->start();
      } else {
        std::make_shared<Session>(std::move(socket), options, handler, tracker)->start();
      }
      accept();
    });
  }

  // Where the next session runs: with one thread, beside the acceptor; with
  // more, on each thread's own io_context in turn (as nginx's workers: no
  // strand, no io_context shared between threads). A session stays on its
  // thread, so a slow handler holds up the other sessions of that thread.
  Executor session_executor() {
    if (workers.empty()) return ioc.get_executor();
    return workers[next_worker++ % workers.size()]->get_executor();
  }

  void stop_all() {
    ioc.stop();
    for (auto& w : workers) w->stop();
  }

  // At most one warning every ten seconds however many are refused.
  void warn_limit() {
    const auto now = std::chrono::steady_clock::now();
    if (last_limit_warning && now - *last_limit_warning < std::chrono::seconds(10)) return;
    last_limit_warning = now;
    spdlog::warn("http: connection limit ({}) reached; refusing connections with 503",
                 options.max_connections);
  }

  // The last resort of a stop: a handler still computing after the
  // shutdown timeout (and a grace for the answer to be written) cannot be
  // interrupted, and with one thread it even keeps the drain from running;
  // the process then exits without it. Its store work dies with it: SQLite
  // and PostgreSQL roll back a transaction that was not committed.
  void arm_watchdog() {
    std::lock_guard lock(watchdog_mu);
    if (!running || watchdog.joinable() || finished) return;
    const auto deadline =
        std::chrono::steady_clock::now() + options.shutdown_timeout + kShutdownGrace;
    watchdog = std::thread([this, deadline] {
      std::unique_lock wait_lock(watchdog_mu);
      if (watchdog_cv.wait_until(wait_lock, deadline, [this] { return finished; })) return;
      spdlog::error(
          "http: a request is still running {} ms after the shutdown timeout; exiting without "
          "waiting for it",
          std::chrono::duration_cast<std::chrono::milliseconds>(kShutdownGrace).count());
      spdlog::default_logger()->flush();
      std::_Exit(kStuckExitCode);
    });
  }

  // Called when run() is done: the watchdog has nothing left to guard.
  void disarm_watchdog() {
    {
      std::lock_guard lock(watchdog_mu);
      finished = true;
    }
    watchdog_cv.notify_all();
    if (watchdog.joinable()) watchdog.join();
  }

  void shutdown() {
    arm_watchdog();
    asio::post(acceptor.get_executor(), [this] {
      if (stopping) return;
      stopping = true;
      beast::error_code ec;
      acceptor.close(ec);
      asio::post(signal_ioc, [this] {
        beast::error_code ignored;
        signals.cancel(ignored);
      });
      std::vector<std::shared_ptr<Session>> sessions;
      {
        std::lock_guard lock(tracker->mu);
        tracker->draining = true;
        tracker->stopping = true;
        for (auto& [key, weak] : tracker->sessions) {
          if (auto session = weak.lock()) sessions.push_back(std::move(session));
        }
      }
      for (auto& session : sessions) session->drain();
      drain_deadline = std::chrono::steady_clock::now() + options.shutdown_timeout;
      wait_drained();
    });
  }

  // Polls until every session has ended or the deadline has passed; then
  // ends run() (a refused connection's last second is not waited for).
  void wait_drained() {
    const std::size_t open = tracker->open.load();
    if (open == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      if (open > 0) {
        spdlog::warn("http: {} connection(s) still busy after the shutdown timeout; closing", open);
      }
      stop_all();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([this](beast::error_code) { wait_drained(); });
  }

  ServerOptions options;
  Handler handler;
  std::shared_ptr<Tracker> tracker;
  // One per thread when threads > 1. Declared before ioc so that they are
  // destroyed after it: a pending accept on ioc holds a socket of one of
  // them, and destroying ioc destroys that socket.
  std::vector<std::unique_ptr<asio::io_context>> workers;
  asio::io_context ioc;  // the acceptor, shutdown; sessions too with one thread
  // Signals are heard on a thread of their own, so that a stop begins (and
  // its watchdog is armed) even while every serving thread is busy.
  asio::io_context signal_ioc{1};
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_timer;
  // The rest belongs to the acceptor's strand.
  bool stopping = false;
  std::size_t next_worker = 0;
  std::chrono::steady_clock::time_point drain_deadline;
  std::optional<std::chrono::steady_clock::time_point> last_limit_warning;
  unsigned short port = 0;

  std::mutex watchdog_mu;
  std::condition_variable watchdog_cv;
  bool running = false;   // guarded by watchdog_mu: run() has started
  bool finished = false;  // guarded by watchdog_mu: run() has returned
  std::thread watchdog;   // guarded by watchdog_mu
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Result<void> Server::listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return make_error(ErrorCode::kInvalid,
                      "http: bad listen address '" + impl_->options.host + "': " + ec.message());
  }
  const tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  const std::string where = impl_->options.host + ":" + std::to_string(impl_->options.port);
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return make_error(ErrorCode::kUnavailable, "http: open " + where + ": " + ec.message());
  }
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return make_error(ErrorCode::kUnavailable, "http: reuse_address: " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) {
    return make_error(ErrorCode::kUnavailable, "http: bind " + where + ": " + ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return make_error(ErrorCode::kUnavailable, "http: listen " + where + ": " + ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  return {};
}

unsigned short Server::port() const { return impl_->port; }

void Server::run() {
  impl_->signals.async_wait([this](beast::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("http: signal {} received; finishing requests in flight, then stopping", signal);
    stop();
  });
  {
    std::lock_guard lock(impl_->watchdog_mu);
    impl_->running = true;
  }
  // sendfile(2) to a connection the client has closed raises SIGPIPE
  // (writes through Asio say MSG_NOSIGNAL): an EPIPE is enough.
  std::signal(SIGPIPE, SIG_IGN);
  // Sockets and the cache's body files (BodyFile) share the limit of open
  // files; a shell's 1024 is too few for a server.
  raise_open_file_limit();
  std::thread signal_thread([this] { impl_->signal_ioc.run(); });
  // Several accepts waiting at once: when a burst of connections arrives,
  // one turn of the event loop takes as many as wait (Asio completes every
  // queued accept while the listening socket has connections), as nginx's
  // multi_accept. With one accept at a time, each new connection waited
  // behind a request of every open one: with one thread and 256 new
  // connections, the last waited some 100 ms for its first answer.
  for (int i = 0; i < kAcceptsWaiting; ++i) impl_->accept();
  std::vector<std::thread> threads;
  threads.reserve(impl_->workers.size());
  for (auto& worker : impl_->workers) {
    threads.emplace_back([context = worker.get()] { run_yielding(*context); });
  }
  run_yielding(impl_->ioc);
  for (auto& t : threads) t.join();
  impl_->signal_ioc.stop();
  signal_thread.join();
  impl_->disarm_watchdog();
}

void Server::stop() { impl_->shutdown(); }

std::size_t Server::open_connections() const { return impl_->tracker->open.load(); }

std::uint64_t Server::rejected_connections() const { return impl_->tracker->rejected.load(); }

}  // namespace newsdesk::http
