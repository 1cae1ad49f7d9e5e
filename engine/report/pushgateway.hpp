// --pushgateway URL: the --metrics text PUT to a Prometheus Pushgateway at
// the end of a run, for machines that no Prometheus scrapes (a batch host
// behind a firewall, a container gone when the job ends).
#pragma once

#include "engine/send/http_client.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace ab {

// BASE/metrics/job/audience_batch/kind/KIND: one group per job kind, which
// each run replaces whole (PUT), so that a kind's figures are its last run's.
std::string pushgateway_url(std::string_view base, std::string_view kind);

// Empty on success, else why not ("HTTP 400: ...", "connect ...: refused").
std::string push_metrics(const std::string& url, const std::string& text, const TlsSettings& tls,
                         std::chrono::milliseconds timeout);

}  // namespace ab
