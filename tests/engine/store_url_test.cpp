// --budget-store URLs: what is accepted, what is refused, and that a
// password never shows in what is printed.
#include "engine/shared/store_url.hpp"

#include <gtest/gtest.h>

namespace ab {
namespace {

StoreUrl ok(const std::string& text) {
  auto parsed = parse_store_url(text);
  if (auto* e = std::get_if<std::string>(&parsed)) ADD_FAILURE() << text << ": " << *e;
  return std::get_if<StoreUrl>(&parsed) ? std::get<StoreUrl>(parsed) : StoreUrl{};
}

std::string refused(const std::string& text) {
  auto parsed = parse_store_url(text);
  auto* e = std::get_if<std::string>(&parsed);
  return e ? *e : "(accepted)";
}

TEST(StoreUrl, HostPortDatabaseAndCredentials) {
  auto u = ok("redis://ops:s3cr%40t@redis.internal:6380/2");
  EXPECT_EQ(u.host, "redis.internal");
  EXPECT_EQ(u.port, 6380);
  EXPECT_EQ(u.user, "ops");
  EXPECT_EQ(u.password, "s3cr@t");
  EXPECT_EQ(u.db, 2u);
  EXPECT_EQ(u.describe(), "redis://redis.internal:6380/2");

  auto plain = ok("redis://127.0.0.1");
  EXPECT_EQ(plain.port, 6379);
  EXPECT_EQ(plain.db, 0u);
  EXPECT_TRUE(plain.password.empty());

  auto password_only = ok("redis://:hunter2@localhost:7000");
  EXPECT_EQ(password_only.user, "");
  EXPECT_EQ(password_only.password, "hunter2");
  EXPECT_EQ(password_only.describe().find("hunter2"), std::string::npos);
}

TEST(StoreUrl, RedissIsRedisOverTls) {
  auto u = ok("rediss://:hunter2@r.internal:6380/3");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.port, 6380);
  EXPECT_EQ(u.db, 3u);
  EXPECT_EQ(u.describe(), "rediss://r.internal:6380/3");
  EXPECT_FALSE(ok("redis://r").tls);
}

TEST(StoreUrl, OtherSchemesAreRefusedByName) {
  EXPECT_NE(refused("http://r:6379").find("redis:// or rediss://"), std::string::npos);
  EXPECT_NE(refused("redis://r:6379/x").find("database number"), std::string::npos);
  EXPECT_NE(refused("redis://:6379").find("no host"), std::string::npos);
  // A URL that is not one is not echoed: it may hold a password.
  EXPECT_EQ(refused("redis://u:pa ss@r").find("pa ss"), std::string::npos);
}

}  // namespace
}  // namespace ab
