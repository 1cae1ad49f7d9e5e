#include "engine/send/proxy.hpp"

#include <gtest/gtest.h>

namespace ab {
namespace {

TEST(ProxyUrl, CredentialsBecomeBasicAuthorizationAndStayOutOfTheDisplay) {
  std::string error;
  auto p = parse_proxy_url("http://alice:s%40cret@proxy.corp:3128", error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->host, "proxy.corp");
  EXPECT_EQ(p->port, "3128");
  EXPECT_EQ(p->authorization, "Basic YWxpY2U6c0BjcmV0");  // alice:s@cret
  EXPECT_EQ(p->display, "http://proxy.corp:3128");
  auto bare = parse_proxy_url("proxy.corp:8080", error);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port, "8080");
  EXPECT_EQ(bare->authorization, "");
  EXPECT_FALSE(parse_proxy_url("socks5://u:hunter22@h:1", error));
  EXPECT_EQ(error.find("hunter22"), std::string::npos) << error;
}

TEST(ProxyRoutes, HttpsAndHttpTargetsTakeTheirOwnProxyAndNoProxyBypasses) {
  ProxyRoutes routes(ProxyOptions{"http://tls-proxy:3128", "http://plain-proxy:3128", " .internal.corp, localhost,*.lan , 10.0.0.5:443"});
  ASSERT_TRUE(routes.for_target(true, "app.neuroflash.com"));
  EXPECT_EQ(routes.for_target(true, "app.neuroflash.com")->host, "tls-proxy");
  EXPECT_EQ(routes.for_target(false, "app.neuroflash.com")->host, "plain-proxy");
  EXPECT_FALSE(routes.for_target(true, "api.internal.corp"));
  EXPECT_FALSE(routes.for_target(true, "internal.corp"));
  EXPECT_TRUE(routes.for_target(true, "notinternal.corp"));
  EXPECT_FALSE(routes.for_target(true, "LOCALHOST"));
  EXPECT_FALSE(routes.for_target(true, "printer.lan"));
  EXPECT_FALSE(routes.for_target(true, "10.0.0.5"));
  EXPECT_FALSE(ProxyRoutes(ProxyOptions{"http://p:1", "", "*"}).for_target(true, "anything"));
  EXPECT_FALSE(ProxyRoutes(ProxyOptions{"http://p:1", "", ""}).for_target(false, "x")) << "no HTTP_PROXY: direct";
  EXPECT_THROW(ProxyRoutes(ProxyOptions{"ftp://p", "", ""}), std::invalid_argument);
}

}  // namespace
}  // namespace ab
