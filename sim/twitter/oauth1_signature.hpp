// OAuth 1.0a HMAC-SHA1 signatures as RFC 5849 §3.4 defines them, written from
// the RFC for the simulator's side: the referee must not share the client's
// signer, or both would agree on the same mistake.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab::sim::oauth1 {

// One decoded name/value pair; order and duplicates are kept, as §3.4.1.3 needs.
using Param = std::pair<std::string, std::string>;
using Params = std::vector<Param>;

// RFC 3986 percent-encoding of every byte outside ALPHA / DIGIT / "-._~" (§3.6).
std::string percent_encode(std::string_view text);

// An application/x-www-form-urlencoded string (a query or a form body) as
// decoded pairs, "+" meaning a space (§3.4.1.3.1); nullopt if an escape is broken.
std::optional<Params> decode_form(std::string_view encoded);

// §3.4.1.2: scheme and host in lower case, the default port dropped, no query
// or fragment; nullopt if `url` is not an absolute http(s) URL.
std::optional<std::string> normalise_base_url(std::string_view url);

// §3.4.1: METHOD&encoded(base URL)&encoded(normalised parameters). `params`
// are every request parameter (query, form body, oauth_* but no
// oauth_signature), decoded.
std::string signature_base_string(std::string_view method, std::string_view base_url, const Params& params);

// §3.4.2: base64(HMAC-SHA1(encoded(consumer secret) "&" encoded(token secret), base string)).
std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret);

// Equal strings, compared in time that depends on the length only.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace ab::sim::oauth1
