// --tls CERT KEY: the simulator serves HTTPS with a certificate a client can
// verify; it refuses to start without usable files.
#include "sim/support/sim_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ab::sim::test {
namespace {

namespace fs = std::filesystem;

// A self-signed certificate for 127.0.0.1, made with the openssl CLI in a temporary directory.
class TlsSimulatorTest : public SimulatorTest {
 protected:
  static void SetUpTestSuite() {
    dir = new fs::path(fs::temp_directory_path() / ("ab-sim-tls-" + std::to_string(::getpid())));
    fs::create_directories(*dir);
    const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                                " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
                                " -keyout " + (*dir / "key.pem").string() + " -out " + (*dir / "cert.pem").string() +
                                " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl could not make a test certificate");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir);
    delete dir;
  }
  static std::string cert() { return (*dir / "cert.pem").string(); }
  static std::string key() { return (*dir / "key.pem").string(); }
  static fs::path* dir;
};

fs::path* TlsSimulatorTest::dir = nullptr;

TEST_F(TlsSimulatorTest, ServesHttpsThatAClientVerifies) {
  start({.tls_cert = cert(), .tls_key = key()}, {.tls = true, .ca_file = cert()});
  EXPECT_TRUE(where.nf_api.starts_with("https://127.0.0.1:"));
  EXPECT_TRUE(where.nf_token_url.starts_with("https://"));
  EXPECT_TRUE(where.tw_api.starts_with("https://"));
  token();
  auto workspaces = nf("GET", "/workspace-service/v1/workspaces");
  EXPECT_EQ(workspaces.status, 200u);
  EXPECT_EQ(nf("GET", "/workspace-service/v1/workspaces").status, 200u);
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(TlsSimulatorTest, RefusesMalformedRequestsInsideTls) {
  start({.tls_cert = cert(), .tls_key = key()}, {.tls = true, .ca_file = cert()});
  const auto raw = client->send_raw("NONSENSE\r\n\r\n");
  EXPECT_EQ(raw.substr(0, raw.find("\r\n")), "HTTP/1.1 400 Bad Request");
}

TEST_F(TlsSimulatorTest, ADropFaultWorksUnderTls) {
  start({.reset_rate = 1, .tls_cert = cert(), .tls_key = key()}, {.tls = true, .ca_file = cert()});
  EXPECT_EQ(ask_token().status, 200u);
  EXPECT_FALSE(client->request("GET", "/nowhere").answered());
}

TEST_F(TlsSimulatorTest, APlainClientOnATlsPortGetsNothingAndHarmsNothing) {
  start({.tls_cert = cert(), .tls_key = key()});
  EXPECT_FALSE(client->request("GET", "/__stats").answered());
  HttpTestClient secure("127.0.0.1", where.port, {.tls = true, .ca_file = cert()});
  EXPECT_EQ(secure.request("GET", "/__stats").status, 200u);
}

TEST_F(TlsSimulatorTest, RefusesToStartWithoutUsableFiles) {
  Simulator no_key({.tls_cert = cert()});
  EXPECT_THROW(no_key.start(), std::runtime_error);
  Simulator missing({.tls_cert = cert(), .tls_key = (*dir / "absent.pem").string()});
  EXPECT_THROW(missing.start(), std::runtime_error);
  Simulator swapped({.tls_cert = key(), .tls_key = cert()});
  EXPECT_THROW(swapped.start(), std::runtime_error);
}

}  // namespace
}  // namespace ab::sim::test
