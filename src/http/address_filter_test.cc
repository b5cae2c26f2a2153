#include "http/address_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsdesk::http {
namespace {

AddressFilter filter_of(const std::vector<std::string>& networks) {
  auto parsed = AddressFilter::parse(networks);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : AddressFilter();
}

TEST(AddressFilter, LoopbackOnly) {
  const AddressFilter f = filter_of({"127.0.0.1/32", "::1/128"});
  EXPECT_TRUE(f.allows("127.0.0.1"));
  EXPECT_TRUE(f.allows("::1"));
  EXPECT_TRUE(f.allows("::ffff:127.0.0.1")) << "a dual-stack listener's IPv4 peer";
  EXPECT_FALSE(f.allows("127.0.0.2"));
  EXPECT_FALSE(f.allows("10.0.0.1"));
  EXPECT_FALSE(f.allows("::2"));
  EXPECT_FALSE(f.allows("unknown"));
  EXPECT_FALSE(f.allows(""));
}

TEST(AddressFilter, PrefixesOnAndOffByteBoundaries) {
  const AddressFilter f = filter_of({"10.0.0.0/8", "172.16.0.0/12", "fd00::/8", "2001:db8::/33"});
  EXPECT_TRUE(f.allows("10.255.1.2"));
  EXPECT_FALSE(f.allows("11.0.0.1"));
  EXPECT_TRUE(f.allows("172.31.255.255"));
  EXPECT_FALSE(f.allows("172.32.0.0"));
  EXPECT_FALSE(f.allows("172.15.255.255"));
  EXPECT_TRUE(f.allows("fd12::1"));
  EXPECT_FALSE(f.allows("fe12::1"));
  EXPECT_TRUE(f.allows("2001:db8:7fff::1"));
  EXPECT_FALSE(f.allows("2001:db8:8000::1"));
  EXPECT_TRUE(f.allows("::ffff:10.1.2.3"));
}

TEST(AddressFilter, BareAddressIsOneHostAndZeroPrefixIsEveryone) {
  EXPECT_TRUE(filter_of({"192.0.2.7"}).allows("192.0.2.7"));
  EXPECT_FALSE(filter_of({"192.0.2.7"}).allows("192.0.2.8"));
  const AddressFilter everyone = filter_of({"0.0.0.0/0", "::/0"});
  EXPECT_TRUE(everyone.allows("203.0.113.9"));
  EXPECT_TRUE(everyone.allows("2001:db8::1"));
  // An IPv4 /0 is every IPv4 address, not every IPv6 one.
  EXPECT_FALSE(filter_of({"0.0.0.0/0"}).allows("2001:db8::1"));
}

TEST(AddressFilter, EmptyListAllowsNobody) {
  const AddressFilter f = filter_of({});
  EXPECT_TRUE(f.empty());
  EXPECT_FALSE(f.allows("127.0.0.1"));
}

TEST(AddressFilter, BadEntriesAreRefusedByName) {
  for (const std::string& bad :
       std::vector<std::string>{"*", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10/8",
                                "10.0.0.0/8x", "10.0.0.0/-1", ""}) {
    const auto parsed = AddressFilter::parse({"127.0.0.1", bad});
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid);
    EXPECT_NE(parsed.error().message.find("'" + bad + "'"), std::string::npos)
        << parsed.error().message;
  }
}

}  // namespace
}  // namespace newsdesk::http
