// Which IP addresses a fetch may connect to (server-side request forgery):
// `newsdesk import URL` and --fetch-attachments follow URLs that feeds name,
// so by default they must not reach the host itself, the private network,
// or a cloud's metadata service (169.254.169.254). The fetcher checks the
// address curl is about to connect to, after DNS and for every redirect,
// so neither a hostname resolving to 127.0.0.1 (DNS rebinding included) nor
// a redirect to one gets through.
//
// Thread-safety: pure functions.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newsdesk::feed {

enum class AddressClass {
  kPublic,       // anything else: may be fetched
  kLoopback,     // 127.0.0.0/8, ::1
  kPrivate,      // 10/8, 172.16/12, 192.168/16 (RFC 1918), fc00::/7, fec0::/10
  kShared,       // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
  kLinkLocal,    // 169.254.0.0/16 (cloud metadata), fe80::/10
  kUnspecified,  // 0.0.0.0/8 ("this network"; 0.0.0.0 reaches the host), ::
  kMulticast,    // 224.0.0.0/4, ff00::/8
  kReserved,     // 240.0.0.0/4 and 255.255.255.255
};

// "public", "loopback", "private", "shared (carrier-grade NAT)",
// "link-local", "unspecified", "multicast", "reserved".
std::string_view address_class_name(AddressClass c);

// An IPv4 address in network order, or an IPv6 one. IPv6 forms that carry
// an IPv4 address are judged by it: IPv4-mapped (::ffff:a.b.c.d),
// IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d).
AddressClass classify_ipv4(const std::array<std::uint8_t, 4>& bytes);
AddressClass classify_ipv6(const std::array<std::uint8_t, 16>& bytes);

// A socket address as curl hands it to the open-socket callback.
// Anything but AF_INET or AF_INET6 (or too short) is kReserved: refused.
AddressClass classify_address(const sockaddr* address, socklen_t length);

// A numeric IPv4 or IPv6 address as text ("10.0.0.1", "::ffff:127.0.0.1");
// nullopt when it is not one.
std::optional<AddressClass> classify_address(const std::string& text);

// The address as text, for error messages: "127.0.0.1", "::1".
std::string address_text(const sockaddr* address, socklen_t length);

}  // namespace newsdesk::feed
