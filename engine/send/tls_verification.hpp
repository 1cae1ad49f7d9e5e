// How a TLS client verifies its peer, the same for every connection the
// product makes (HTTPS to the APIs and a proxy, rediss:// to the budget
// store): the peer's chain against --ca-file or the system's CA store, and
// its certificate's name (or IP address) against the host that was asked for.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>

#include <optional>
#include <string>

namespace ab {

// A client context that verifies peers against `ca_file`, or the system's
// store (which honours SSL_CERT_FILE) when it is empty. Throws
// boost::system::system_error when the file cannot be loaded.
boost::asio::ssl::context make_verifying_tls_context(const std::string& ca_file);

// Why a failed handshake is the certificate's fault, or nullopt when it is
// not (a reset, a timeout): a certificate that does not verify now will not
// on the next try either.
std::optional<std::string> verification_failure(const boost::system::error_code& handshake, SSL* ssl,
                                                 const std::string& host);

}  // namespace ab
