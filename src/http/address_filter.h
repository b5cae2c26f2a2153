// Which client addresses may see something (e.g. /metrics): a list of CIDR
// networks ("10.0.0.0/8", "::1/128"; a bare address is one host). An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack listener
// reports for IPv4 peers) is matched as the IPv4 address inside, against
// IPv4 and IPv6 networks alike.
//
// Thread-safety: immutable after parse(); allows() may be called from any
// thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace newsdesk::http {

class AddressFilter {
 public:
  // Allows nobody.
  AddressFilter() = default;

  // Errors: kInvalid naming the first entry that is not an IP address or
  // ADDRESS/PREFIX (prefix 0-32 for IPv4, 0-128 for IPv6), e.g. "*".
  static Result<AddressFilter> parse(const std::vector<std::string>& networks);

  // Whether `address` (an IP address as text, e.g. the server's
  // kClientAddressHeader) is inside one of the networks. Anything that is
  // not an IP address ("unknown") is not.
  bool allows(std::string_view address) const;

  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as ::ffff:a.b.c.d
    int prefix = 0;                        // of the 128 bits
  };
  std::vector<Network> networks_;
};

}  // namespace newsdesk::http
