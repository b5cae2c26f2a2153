#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <csignal>
#include <ctime>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include "text/date.h"

namespace newsdesk::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

Response plain_error(beast_http::status status, unsigned version, std::string_view text) {
  Response res{status, version};
  res.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  res.body() = std::string(text) + "\n";
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options, const Handler& handler)
      : stream_(std::move(socket)), options_(options), handler_(handler) {}

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    // With per-request limits, the header's Content-Length is checked in
    // on_header; until then Beast must not refuse it against the default.
    parser_->body_limit(options_.body_limit_for ? std::numeric_limits<std::uint64_t>::max()
                                                : options_.body_limit);
    stream_.expires_after(options_.read_timeout);
    // The header first: the body's limit may depend on where it goes.
    beast_http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t bytes) {
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
    beast_http::async_read(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == beast_http::error::end_of_stream || ec == beast::error::timeout ||
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
      return send(plain_error(status, 11, beast_http::obsolete_reason(status)));
    }
    Request req = parser_->release();
    // Who is asking, for login throttling: the server sets this header
    // itself, replacing any a client sent.
    req.erase(kClientAddressHeader);
    beast::error_code peer_ec;
    const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(peer_ec);
    req.set(kClientAddressHeader, peer_ec ? std::string("unknown") : peer.address().to_string());
    Response res;
    try {
      res = handler_(req);
    } catch (const std::exception& e) {
      // The one catch-all per session (STYLE.md): a bug becomes a 500.
      spdlog::error("http: handler threw on {}: {}", std::string(req.target()), e.what());
      res = plain_error(beast_http::status::internal_server_error, req.version(),
                        "Internal Server Error");
    }
    res.version(req.version());
    res.keep_alive(res.keep_alive() && req.keep_alive());
    res.set(beast_http::field::date, text::format_http_date(std::time(nullptr)));
    // On every response, cached ones included: no MIME sniffing of feeds
    // or attachments into something executable.
    res.set(beast_http::field::server, "newsdesk");
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
    send(std::move(res));
  }

  void send(Response&& res) {
    auto shared = std::make_shared<Response>(std::move(res));
    const bool close_after = !shared->keep_alive();
    stream_.expires_after(options_.read_timeout);
    beast_http::async_write(
        stream_, *shared,
        [self = shared_from_this(), shared, close_after](beast::error_code ec, std::size_t) {
          if (ec || close_after) return self->close();
          self->read();
        });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  const ServerOptions& options_;
  const Handler& handler_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        ioc(std::max(1, options.threads)),
        acceptor(asio::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        std::make_shared<Session>(std::move(socket), options, handler)->start();
      } else {
        spdlog::warn("http: accept: {}", ec.message());
      }
      accept();
    });
  }

  void shutdown() {
    asio::post(acceptor.get_executor(), [this] {
      beast::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      ioc.stop();
    });
  }

  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  unsigned short port = 0;
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
    spdlog::info("http: signal {} received, shutting down", signal);
    stop();
  });
  impl_->accept();
  const int n = std::max(1, impl_->options.threads);
  std::vector<std::thread> threads;
  threads.reserve(n - 1);
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() { impl_->shutdown(); }

}  // namespace newsdesk::http
