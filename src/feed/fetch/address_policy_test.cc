#include "feed/fetch/address_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace newsdesk::feed {
namespace {

using Cases = std::vector<std::pair<std::string, AddressClass>>;

void expect_classes(const Cases& cases) {
  for (const auto& [text, expected] : cases) {
    const auto got = classify_address(text);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(address_class_name(*got), address_class_name(expected)) << text;
  }
}

TEST(AddressPolicy, Ipv4Ranges) {
  expect_classes({
      {"127.0.0.1", AddressClass::kLoopback},
      {"127.255.255.254", AddressClass::kLoopback},
      {"10.0.0.1", AddressClass::kPrivate},
      {"10.255.255.255", AddressClass::kPrivate},
      {"172.16.0.1", AddressClass::kPrivate},
      {"172.31.255.255", AddressClass::kPrivate},
      {"192.168.1.1", AddressClass::kPrivate},
      {"100.64.0.1", AddressClass::kShared},
      {"100.127.255.255", AddressClass::kShared},
      {"169.254.169.254", AddressClass::kLinkLocal},  // cloud metadata
      {"169.254.0.1", AddressClass::kLinkLocal},
      {"0.0.0.0", AddressClass::kUnspecified},
      {"0.1.2.3", AddressClass::kUnspecified},
      {"224.0.0.1", AddressClass::kMulticast},
      {"239.255.255.250", AddressClass::kMulticast},
      {"240.0.0.1", AddressClass::kReserved},
      {"255.255.255.255", AddressClass::kReserved},
  });
}

TEST(AddressPolicy, Ipv4NeighboursOfTheRangesArePublic) {
  expect_classes({
      {"93.184.216.34", AddressClass::kPublic},
      {"8.8.8.8", AddressClass::kPublic},
      {"1.0.0.1", AddressClass::kPublic},
      {"126.255.255.255", AddressClass::kPublic},
      {"128.0.0.1", AddressClass::kPublic},
      {"9.255.255.255", AddressClass::kPublic},
      {"11.0.0.0", AddressClass::kPublic},
      {"172.15.255.255", AddressClass::kPublic},
      {"172.32.0.0", AddressClass::kPublic},
      {"192.167.255.255", AddressClass::kPublic},
      {"192.169.0.0", AddressClass::kPublic},
      {"100.63.255.255", AddressClass::kPublic},
      {"100.128.0.0", AddressClass::kPublic},
      {"169.253.255.255", AddressClass::kPublic},
      {"169.255.0.0", AddressClass::kPublic},
      {"223.255.255.255", AddressClass::kPublic},
  });
}

TEST(AddressPolicy, Ipv6Ranges) {
  expect_classes({
      {"::1", AddressClass::kLoopback},
      {"::", AddressClass::kUnspecified},
      {"fc00::1", AddressClass::kPrivate},
      {"fd12:3456:789a::1", AddressClass::kPrivate},
      {"fec0::1", AddressClass::kPrivate},
      {"fe80::1", AddressClass::kLinkLocal},
      {"febf:ffff::1", AddressClass::kLinkLocal},
      {"ff02::1", AddressClass::kMulticast},
      {"ff0e::101", AddressClass::kMulticast},
      {"2001:db8::1", AddressClass::kPublic},
      {"2606:4700:4700::1111", AddressClass::kPublic},
      {"fbff:ffff::1", AddressClass::kPublic},
      {"::2", AddressClass::kUnspecified},  // ::0.0.0.2, IPv4-compatible
  });
}

TEST(AddressPolicy, Ipv6FormsOfIpv4AreJudgedByTheIpv4Inside) {
  expect_classes({
      {"::ffff:127.0.0.1", AddressClass::kLoopback},
      {"::ffff:7f00:1", AddressClass::kLoopback},
      {"::ffff:10.1.2.3", AddressClass::kPrivate},
      {"::ffff:169.254.169.254", AddressClass::kLinkLocal},
      {"::ffff:0.0.0.0", AddressClass::kUnspecified},
      {"::ffff:224.0.0.1", AddressClass::kMulticast},
      {"::ffff:93.184.216.34", AddressClass::kPublic},
      {"::127.0.0.1", AddressClass::kLoopback},  // IPv4-compatible
      {"::192.168.0.1", AddressClass::kPrivate},
      {"64:ff9b::127.0.0.1", AddressClass::kLoopback},  // NAT64
      {"64:ff9b::a9fe:a9fe", AddressClass::kLinkLocal},
      {"64:ff9b::8.8.8.8", AddressClass::kPublic},
  });
}

TEST(AddressPolicy, NotAnAddressIsNullopt) {
  const std::vector<std::string> texts = {"",           "localhost",    "127.1",
                                          "1.2.3.4.5",  "::ffff:1.2.3", "fe80::1%lo",
                                          "2130706433", "0x7f000001"};
  for (const std::string& text : texts) {
    EXPECT_FALSE(classify_address(text).has_value()) << text;
  }
}

TEST(AddressPolicy, SocketAddressesAsCurlGivesThem) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  ASSERT_EQ(::inet_pton(AF_INET, "169.254.169.254", &v4.sin_addr), 1);
  const auto* a4 = reinterpret_cast<const sockaddr*>(&v4);
  EXPECT_EQ(classify_address(a4, sizeof v4), AddressClass::kLinkLocal);
  EXPECT_EQ(address_text(a4, sizeof v4), "169.254.169.254");
  // Too short for its family: refused, never read past the end.
  EXPECT_EQ(classify_address(a4, 4), AddressClass::kReserved);

  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  ASSERT_EQ(::inet_pton(AF_INET6, "::ffff:192.168.10.20", &v6.sin6_addr), 1);
  const auto* a6 = reinterpret_cast<const sockaddr*>(&v6);
  EXPECT_EQ(classify_address(a6, sizeof v6), AddressClass::kPrivate);
  EXPECT_EQ(address_text(a6, sizeof v6), "::ffff:192.168.10.20");
  ASSERT_EQ(::inet_pton(AF_INET6, "2001:db8::5", &v6.sin6_addr), 1);
  EXPECT_EQ(classify_address(a6, sizeof v6), AddressClass::kPublic);

  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_EQ(classify_address(&other, sizeof other), AddressClass::kReserved);
  EXPECT_EQ(classify_address(nullptr, 0), AddressClass::kReserved);
}

}  // namespace
}  // namespace newsdesk::feed
