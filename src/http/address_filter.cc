#include "http/address_filter.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <optional>

namespace newsdesk::http {

namespace {

namespace ip = boost::asio::ip;

// The address as 16 bytes, IPv4 (and IPv4-mapped IPv6) as ::ffff:a.b.c.d;
// whether it was IPv4 in `v4`.
std::optional<std::array<std::uint8_t, 16>> to_bytes(std::string_view text, bool* v4) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  std::array<std::uint8_t, 16> out{};
  if (address.is_v4()) {
    out = ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes();
    if (v4 != nullptr) *v4 = true;
  } else {
    out = address.to_v6().to_bytes();
    if (v4 != nullptr) *v4 = false;
  }
  return out;
}

bool same_prefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                 int prefix) {
  int i = 0;
  for (; prefix >= 8; prefix -= 8, ++i) {
    if (a[i] != b[i]) return false;
  }
  if (prefix == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - prefix));
  return (a[i] & mask) == (b[i] & mask);
}

}  // namespace

Result<AddressFilter> AddressFilter::parse(const std::vector<std::string>& networks) {
  AddressFilter filter;
  for (const std::string& entry : networks) {
    const auto bad = [&entry](std::string_view why) {
      return make_error(ErrorCode::kInvalid, "'" + entry + "' is not " + std::string(why));
    };
    const std::string_view text(entry);
    const auto slash = text.find('/');
    bool v4 = false;
    const auto bytes = to_bytes(text.substr(0, slash), &v4);
    if (!bytes) {
      return bad("an IP address or network (ADDRESS/PREFIX; everyone: \"0.0.0.0/0\" and \"::/0\")");
    }
    const int width = v4 ? 32 : 128;
    int prefix = width;
    if (slash != std::string_view::npos) {
      const std::string_view digits = text.substr(slash + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
          prefix < 0 || prefix > width) {
        return bad(v4 ? "a network: an IPv4 prefix is 0 to 32"
                      : "a network: an IPv6 prefix is 0 to 128");
      }
    }
    // IPv4 networks sit under ::ffff:0:0/96.
    filter.networks_.push_back({*bytes, v4 ? prefix + 96 : prefix});
  }
  return filter;
}

bool AddressFilter::allows(std::string_view address) const {
  if (networks_.empty()) return false;
  const auto bytes = to_bytes(address, nullptr);
  if (!bytes) return false;
  for (const Network& n : networks_) {
    if (same_prefix(*bytes, n.bytes, n.prefix)) return true;
  }
  return false;
}

}  // namespace newsdesk::http
