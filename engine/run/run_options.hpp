// What the engine reads of a run's options: the job file, the kind's
// settings it carries through, limits, retries, time and operations. The
// public header (include/audience_batch/run.hpp) adds the simulator's options
// and re-exports these, so that the engine does not depend on it.
#pragma once

#include "engine/journal/sent_marks.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ab {

using Duration = std::chrono::milliseconds;

// "NAME=N/DURATION": at most `limit` requests of budget `name` in any window.
struct RateSpec {
  std::string name;
  std::uint64_t limit = 0;
  Duration window{0};
};

struct NeuroflashEndpoints {
  std::string api = "https://app.neuroflash.com/api";
  std::string token_url = "https://id.neuroflash.com/oauth/v2/token";
  std::string workspace;  // empty: the first workspace the API lists
  std::string client_id;
  std::string client_secret;
};

struct TwitterEndpoints {
  // The version X serves today; the last path segment picks the resource
  // names (8: tailored_audiences, 9 and later: custom_audiences).
  std::string api = "https://ads-api.x.com/12";
  std::string account;  // required for tw.* jobs
  std::string consumer_key;
  std::string consumer_secret;
  std::string access_token;
  std::string access_token_secret;
};

// Options that the job kinds read (not the engine).
struct JobConfig {
  NeuroflashEndpoints nf;
  TwitterEndpoints tw;
  bool create = false;  // nf.url-import: create an audience from each profile
  std::string audience_model = "538b1efc6f88ad88feebf7acd8c618facb54fe82";
};

// Proxies (flag, else environment): the https one tunnels with CONNECT.
struct ProxyOptions {
  std::string https;     // --proxy, else HTTPS_PROXY / https_proxy
  std::string http;      // --proxy, else HTTP_PROXY / http_proxy
  std::string no_proxy;  // NO_PROXY / no_proxy: hosts reached directly, comma-separated
};

struct RunSettings {
  std::filesystem::path job_file;
  std::string kind;                       // "nf.create", "tw.count", ...
  std::filesystem::path out;              // empty: JOB.results.csv beside the job file
  std::filesystem::path responses;        // empty: no responses file
  std::filesystem::path metrics;          // empty: no metrics file
  std::vector<std::string> echo;          // --echo: input columns copied into the results after `error`
  JobConfig job;
  unsigned concurrency = 32;
  // --rate; the kind's declared defaults are added for names not given
  // (with_rate_defaults, jobs/registry.hpp) before the engine sees them.
  std::vector<RateSpec> rates;
  unsigned max_attempts = 8;
  Duration timeout{30'000};
  std::optional<Duration> deadline;
  std::string retry;                      // --retry: final statuses to work on again, "failed,unknown"; empty: none
  std::string ca_file;
  bool allow_insecure_http = false;
  bool install_signal_handlers = true;    // SIGINT/SIGTERM stop the run (exit 3)
  int progress = -1;                      // -1: bar when stderr is a terminal; 0: lines; 1: bar
  // Operations (docs/operations.md).
  Duration progress_interval{10'000};     // a progress line this often when not a bar
  Duration metrics_interval{15'000};      // --metrics FILE rewritten this often, and at the end
  std::string pushgateway;                // empty: no push; else a Pushgateway's base URL
  int verbosity = 0;                      // -1 (-q): summary and errors only; 1 (-v): each retry and pause
  bool log_json = false;                  // --log-format json: one JSON object a line on the log
  ProxyOptions proxy;
  std::string budget_store;               // redis://...: budgets shared with other runs (docs/several-machines.md)
  std::string budget_store_cert;          // rediss://: the client certificate and its key (PEM files)
  std::string budget_store_key;
  unsigned shard = 0;                     // --shard K/N: K, 1-based; 0: every row
  unsigned shards = 0;                    // --shard K/N: N
  // Where the io thread marks the requests that left, in a file no one syncs
  // (docs/night-contract.md): a tmpfs, or any directory a rerun after a kill
  // finds again. The CLI takes AUDIENCE_BATCH_MARKS_DIR.
  std::filesystem::path marks_directory = default_marks_directory;
};

}  // namespace ab
