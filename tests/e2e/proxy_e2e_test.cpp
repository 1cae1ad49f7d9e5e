// Requests through a real proxy (Debian's tinyproxy, started here): http
// targets in absolute form, https targets tunnelled with CONNECT, credentials
// from the proxy URL, NO_PROXY; the proxy's own log says what went through it.
#include "e2e/support/e2e.hpp"
#include "e2e/support/servers.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace ab::e2e {
namespace {

constexpr const char* proxy_password = "pr0xy-s3cret";

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Every test has tinyproxy running, asking for alice's password; the https
// ones put the simulator behind it with a certificate made for the test.
class ProxyE2e : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(proxy.ready()) << read_file(dir.file("tinyproxy.out")); }
  // Starts the simulator serving https (in tls_sim), its certificate in cert().
  SimEndpoints start_https_simulator() {
    SimOptions tls;
    tls.tls_cert = cert().string();
    tls.tls_key = dir.file("key.pem").string();
    make_loopback_certificate(tls.tls_cert, tls.tls_key);
    tls_sim.emplace(tls);
    return tls_sim->start();
  }
  std::filesystem::path cert() const { return dir.file("cert.pem"); }

  ScratchDir dir;
  Tinyproxy proxy{dir, proxy_password};
  std::optional<Simulator> tls_sim;
};

// Everything a run wrote: stdout, stderr and the files beside the job.
std::string everything(const ChildResult& r, const ScratchDir& dir) {
  std::string all = r.out + r.err;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    if (entry.path().filename().string().starts_with("job")) all += read_file(entry.path());
  return all;
}

TEST_F(ProxyE2e, PlainHttpGoesThroughTheProxyInAbsoluteForm) {
  Simulator sim({});
  const auto where = sim.start();
  write_file(dir.file("job.csv"), nf_create_rows(10));
  auto env = sim_environment(where);
  env["HTTP_PROXY"] = proxy.url();
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "-v"}, env));
  ASSERT_EQ(result.exit_code, 0) << result.err << proxy.log();
  EXPECT_EQ(count_status(read_results(dir.file("job.results.csv")), "ok"), 10u);
  EXPECT_EQ(store_count(sim, "nf_creates"), 10u);
  // The token request and the ten creates, each named by its whole URL.
  EXPECT_GE(occurrences(proxy.log(), "POST " + where.nf_api), 10u) << proxy.log();
  EXPECT_EQ(everything(result, dir).find(proxy_password), std::string::npos);
}

TEST_F(ProxyE2e, HttpsIsTunnelledWithConnectAndStaysVerified) {
  const auto where = start_https_simulator();
  if (HasFatalFailure()) return;
  ASSERT_EQ(where.nf_api.rfind("https://", 0), 0u);
  write_file(dir.file("job.csv"), nf_create_rows(10));
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--ca-file", cert().string(),
                          "--proxy", proxy.url(), "-v"},
                         sim_environment(where)));
  ASSERT_EQ(result.exit_code, 0) << result.err << proxy.log();
  EXPECT_EQ(store_count(*tls_sim, "nf_creates"), 10u);
  EXPECT_GE(occurrences(proxy.log(), "CONNECT 127.0.0.1:" + std::to_string(where.port)), 1u) << proxy.log();
  EXPECT_EQ(everything(result, dir).find(proxy_password), std::string::npos);
}

TEST_F(ProxyE2e, AWrongProxyPasswordIsRefusedAndNeverPrinted) {
  const auto where = start_https_simulator();
  if (HasFatalFailure()) return;
  write_file(dir.file("job.csv"), nf_create_rows(3));
  auto env = sim_environment(where);
  env["https_proxy"] = proxy.url("wrong-pa55word");
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--ca-file", cert().string(),
                             "--max-attempts", "2", "-v", "--log-format", "json"},
                            env));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("refused CONNECT 127.0.0.1:"), std::string::npos) << result.err;
  // 407 by the book; tinyproxy answers a CONNECT with a wrong password 401.
  EXPECT_TRUE(result.err.find("HTTP 407") != std::string::npos || result.err.find("HTTP 401") != std::string::npos)
      << result.err;
  EXPECT_EQ(everything(result, dir).find("wrong-pa55word"), std::string::npos) << result.err;
  EXPECT_EQ(store_count(*tls_sim, "nf_creates"), 0u);
}

TEST_F(ProxyE2e, NoProxyHostsAreReachedDirectly) {
  Simulator sim({});
  write_file(dir.file("job.csv"), nf_create_rows(5));
  auto env = sim_environment(sim.start());
  env["HTTP_PROXY"] = proxy.url();
  env["NO_PROXY"] = "example.com, 127.0.0.1";
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create"}, env));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(store_count(sim, "nf_creates"), 5u);
  EXPECT_EQ(occurrences(proxy.log(), "POST "), 0u) << proxy.log();
}

TEST_F(ProxyE2e, ABadProxyUrlIsExitTwoWithoutItsPassword) {
  auto result = run_cli(cli({"run", "job.csv", "--job", "nf.create", "--proxy", "socks5://bob:hunter22@proxy:1080"}, {}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--proxy"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("hunter22"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ab::e2e
