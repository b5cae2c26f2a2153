#include "feed/fetch/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace newsdesk::feed {

std::string_view address_class_name(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kShared:
      return "shared (carrier-grade NAT)";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kReserved:
      return "reserved";
  }
  return "reserved";
}

AddressClass classify_ipv4(const std::array<std::uint8_t, 4>& b) {
  if (b[0] == 0) return AddressClass::kUnspecified;  // Linux connects 0.0.0.0 to the host
  if (b[0] == 127) return AddressClass::kLoopback;
  if (b[0] == 10) return AddressClass::kPrivate;
  if (b[0] == 172 && (b[1] & 0xF0) == 16) return AddressClass::kPrivate;
  if (b[0] == 192 && b[1] == 168) return AddressClass::kPrivate;
  if (b[0] == 100 && (b[1] & 0xC0) == 64) return AddressClass::kShared;
  if (b[0] == 169 && b[1] == 254) return AddressClass::kLinkLocal;
  if ((b[0] & 0xF0) == 224) return AddressClass::kMulticast;
  if ((b[0] & 0xF0) == 240) return AddressClass::kReserved;  // 255.255.255.255 too
  return AddressClass::kPublic;
}

AddressClass classify_ipv6(const std::array<std::uint8_t, 16>& b) {
  const auto zeros = [&b](int from, int to) {
    return std::all_of(b.begin() + from, b.begin() + to, [](std::uint8_t x) { return x == 0; });
  };
  const auto embedded = [&b] { return classify_ipv4({b[12], b[13], b[14], b[15]}); };
  if (zeros(0, 10)) {
    if (b[10] == 0xFF && b[11] == 0xFF) return embedded();  // ::ffff:a.b.c.d, mapped
    if (b[10] == 0 && b[11] == 0) {
      if (zeros(12, 15) && b[15] == 0) return AddressClass::kUnspecified;  // ::
      if (zeros(12, 15) && b[15] == 1) return AddressClass::kLoopback;     // ::1
      return embedded();  // ::a.b.c.d, IPv4-compatible (deprecated)
    }
  }
  // 64:ff9b::/96, NAT64: a translator on the path connects to the IPv4 inside.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && zeros(4, 12)) {
    return embedded();
  }
  if ((b[0] & 0xFE) == 0xFC) return AddressClass::kPrivate;                    // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return AddressClass::kLinkLocal;  // fe80::/10
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return AddressClass::kPrivate;    // fec0::/10
  if (b[0] == 0xFF) return AddressClass::kMulticast;                           // ff00::/8
  return AddressClass::kPublic;
}

AddressClass classify_address(const sockaddr* address, socklen_t length) {
  if (address == nullptr) return AddressClass::kReserved;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    std::array<std::uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &in.sin_addr, bytes.size());
    return classify_ipv4(bytes);
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
    return classify_ipv6(bytes);
  }
  return AddressClass::kReserved;
}

std::optional<AddressClass> classify_address(const std::string& text) {
  std::array<std::uint8_t, 4> v4{};
  if (::inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return classify_ipv4(v4);
  std::array<std::uint8_t, 16> v6{};
  if (::inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return classify_ipv6(v6);
  return std::nullopt;
}

std::string address_text(const sockaddr* address, socklen_t length) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address != nullptr && address->sa_family == AF_INET &&
      length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    if (::inet_ntop(AF_INET, &in.sin_addr, buffer, sizeof buffer) != nullptr) return buffer;
  }
  if (address != nullptr && address->sa_family == AF_INET6 &&
      length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    if (::inet_ntop(AF_INET6, &in6.sin6_addr, buffer, sizeof buffer) != nullptr) return buffer;
  }
  return "an address of an unknown family";
}

}  // namespace newsdesk::feed
