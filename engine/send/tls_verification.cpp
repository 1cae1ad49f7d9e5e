#include "engine/send/tls_verification.hpp"

#include <boost/asio/ssl/error.hpp>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

namespace ab {

namespace asio = boost::asio;

asio::ssl::context make_verifying_tls_context(const std::string& ca_file) {
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_verify_mode(asio::ssl::verify_peer);
  if (ca_file.empty())
    tls.set_default_verify_paths();
  else
    tls.load_verify_file(ca_file);
  return tls;
}

std::optional<std::string> verification_failure(const boost::system::error_code& handshake, SSL* ssl,
                                                 const std::string& host) {
  if (handshake.category() != asio::error::get_ssl_category() ||
      ERR_GET_REASON(static_cast<unsigned long>(handshake.value())) != SSL_R_CERTIFICATE_VERIFY_FAILED)
    return std::nullopt;
  const long result = SSL_get_verify_result(ssl);
  // The chain verified, so the name check (host_name_verification) refused it.
  if (result == X509_V_OK || result == X509_V_ERR_UNSPECIFIED) return "it is not issued to " + host;
  return std::string(X509_verify_cert_error_string(result));
}

}  // namespace ab
