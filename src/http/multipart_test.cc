#include "http/multipart.h"

#include <gtest/gtest.h>

namespace newsdesk::http {
namespace {

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=x; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("application/json"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')), "");
}

TEST(Multipart, SplitsFieldsAndFiles) {
  using namespace std::string_literals;
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"label\"\r\n\r\n"
      "Annual report\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"r\\\"e port.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n"
      "%PDF-1.4\r\nbinary\0data\r\n"
      "--XyZ--\r\n"s;
  auto parts = parse_multipart(std::string_view(body.data(), body.size()), "XyZ");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ(parts->at(0).name, "label");
  EXPECT_EQ(parts->at(0).body, "Annual report");
  EXPECT_EQ(parts->at(1).name, "file");
  EXPECT_EQ(parts->at(1).filename, "r\"e port.pdf");
  EXPECT_EQ(parts->at(1).content_type, "application/pdf");
  EXPECT_EQ(parts->at(1).body, std::string_view("%PDF-1.4\r\nbinary\0data", 21));
}

TEST(Multipart, MalformedBodiesAreErrors) {
  EXPECT_FALSE(parse_multipart("no boundary here", "XyZ"));
  EXPECT_FALSE(
      parse_multipart("--XyZ\r\nContent-Disposition: form-data\r\n\r\nnever closed", "XyZ"));
  EXPECT_FALSE(parse_multipart("--XyZ\r\nno headers end", "XyZ"));
  EXPECT_FALSE(parse_multipart("--XyZ\r\nbad header line\r\n\r\nx\r\n--XyZ--", "XyZ"));
  EXPECT_FALSE(parse_multipart("--XyZjunk", "XyZ"));
  std::string many;
  for (int i = 0; i < 20; ++i)
    many += "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n";
  many += "--b--";
  EXPECT_FALSE(parse_multipart(many, "b"));
  EXPECT_FALSE(parse_multipart("", ""));
}

}  // namespace
}  // namespace newsdesk::http
