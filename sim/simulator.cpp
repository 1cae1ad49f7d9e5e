#include "audience_batch/simulator.hpp"

#include "sim/json_text.hpp"
#include "sim/neuroflash/api.hpp"
#include "sim/http/router.hpp"
#include "sim/http/server.hpp"
#include "sim/twitter/api.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/object.hpp>

#include <csignal>
#include <exception>
#include <iostream>
#include <thread>
#include <vector>

namespace ab {

namespace {

constexpr std::string_view nf_api_path = "/nf/api";
constexpr std::string_view nf_token_path = "/nf/oauth/v2/token";
constexpr std::string_view tw_api_root = "/tw";
constexpr std::string_view tw_current_version = "/12";
constexpr std::string_view tw_v8 = "/8";

// The host part of the URLs clients use: a wildcard bind is reached on loopback.
std::string url_host(const std::string& bound) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(bound, ec);
  if (ec) return bound;
  if (address.is_unspecified()) return address.is_v6() ? "[::1]" : "127.0.0.1";
  return address.is_v6() ? "[" + bound + "]" : bound;
}

}  // namespace

std::string SimEndpoints::to_json() const {
  return sim::to_json_text(boost::json::object{{"nf_api", nf_api},
                                               {"nf_token_url", nf_token_url},
                                               {"tw_api", tw_api},
                                               {"tw_api_v8", tw_api_v8},
                                               {"tw_account", tw_account},
                                               {"client_id", client_id},
                                               {"client_secret", client_secret},
                                               {"consumer_key", consumer_key},
                                               {"consumer_secret", consumer_secret},
                                               {"access_token", access_token},
                                               {"access_token_secret", access_token_secret}});
}

struct Simulator::Impl {
  SimOptions options;
  // Destroyed in reverse: the server (acceptor) first, then the io_context
  // with its connections, then the router they answered through.
  std::unique_ptr<sim::Router> router;
  std::unique_ptr<boost::asio::io_context> io;
  std::unique_ptr<sim::Server> server;
  std::vector<std::thread> threads;
  SimEndpoints endpoints;
};

Simulator::Simulator(SimOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }

Simulator::~Simulator() { stop(); }

SimEndpoints Simulator::start() {
  auto& impl = *impl_;
  if (impl.server) return impl.endpoints;
  const SimOptions& o = impl.options;
  const unsigned threads = o.threads == 0 ? 1 : o.threads;
  impl.io = std::make_unique<boost::asio::io_context>(static_cast<int>(threads));
  impl.server = std::make_unique<sim::Server>(*impl.io, sim::ServerConfig{.host = o.host,
                                                                          .port = o.port,
                                                                          .tls_cert = o.tls_cert,
                                                                          .tls_key = o.tls_key,
                                                                          .path_delay = o.path_delay,
                                                                          .clock_behind = o.clock_behind,
                                                                          .threads = threads});
  const std::uint16_t port = impl.server->port();
  const std::string scheme = impl.server->tls() ? "https" : "http";
  const std::string authority = url_host(o.host) + ":" + std::to_string(port);
  const std::string base = scheme + "://" + authority;

  sim::NeuroflashConfig nf;
  nf.api_base = nf_api_path;
  nf.token_path = nf_token_path;
  nf.token_ttl = o.token_ttl;
  nf.rate_limit = o.nf_rate_limit;
  nf.rate_window = o.nf_rate_window;
  nf.rate_published = o.nf_rate_published;
  nf.seed = o.seed;
  nf.store = o.store;
  sim::TwitterConfig tw;
  tw.api_root = tw_api_root;
  tw.scheme = scheme;
  tw.default_authority = authority;
  tw.total_count_limit = o.total_count_limit;
  tw.total_count_window = o.total_count_window;
  tw.rate_limit = o.tw_rate_limit;
  tw.rate_window = o.tw_rate_window;
  tw.members_limit = o.tw_members_limit;
  tw.members_window = o.tw_members_window;
  tw.members_short_answer_rate = o.tw_members_short_rate;
  tw.published_budgets = o.tw_published_budgets;
  tw.seed = o.seed;

  impl.endpoints = SimEndpoints{.nf_api = base + nf.api_base,
                                .nf_token_url = base + nf.token_path,
                                .tw_api = base + std::string(tw_api_root) + std::string(tw_current_version),
                                .tw_api_v8 = base + std::string(tw_api_root) + std::string(tw_v8),
                                .tw_account = tw.account,
                                .client_id = nf.client_id,
                                .client_secret = nf.client_secret,
                                .consumer_key = tw.consumer_key,
                                .consumer_secret = tw.consumer_secret,
                                .access_token = tw.access_token,
                                .access_token_secret = tw.access_token_secret,
                                .port = port};

  std::vector<std::unique_ptr<sim::ApiHandler>> handlers;
  handlers.push_back(sim::make_neuroflash_api(std::move(nf)));
  handlers.push_back(sim::make_twitter_api(std::move(tw)));
  sim::RouterConfig routing;
  routing.faults = {.reset = o.reset_rate,
                    .error = o.error_rate,
                    .retry_after_share = o.retry_after_share,
                    .throttle = o.throttle_rate,
                    .throttle_retry_after_share = o.throttle_retry_after_share,
                    .lost_reply = o.lost_reply_rate,
                    .unavailable = o.unavailable_rate,
                    .latency = o.latency};
  routing.seed = o.seed;
  routing.fault_free_paths.emplace_back(nf_token_path);
  impl.router = std::make_unique<sim::Router>(std::move(handlers), std::move(routing));

  impl.server->start(*impl.router);
  for (unsigned i = 0; i < threads; ++i) impl.threads.emplace_back([io = impl.io.get()] { io->run(); });
  return impl.endpoints;
}

void Simulator::stop() {
  auto& impl = *impl_;
  if (!impl.server) return;
  impl.server->stop();
  impl.io->stop();
  for (auto& t : impl.threads) t.join();
  impl.threads.clear();
  impl.server.reset();
  impl.io.reset();
}

std::string Simulator::stats_json() const {
  if (!impl_->router) {  // not started: nothing counted, nothing stored
    auto empty = sim::Referee{}.stats();
    empty["store"] = boost::json::object{};
    return sim::to_json_text(empty);
  }
  return sim::to_json_text(impl_->router->stats());
}

std::string Simulator::inspect_json(const std::string& what) const {
  if (!impl_->router) return "null";
  const auto seen = impl_->router->inspect(what);
  return seen ? sim::to_json_text(*seen) : "null";
}

int run_simulator(const SimOptions& options) {
  try {
    // Listening for the signals first: one sent right after the startup line
    // must stop the server, not kill the process.
    boost::asio::io_context waiting;
    boost::asio::signal_set signals(waiting, SIGINT, SIGTERM);
    signals.async_wait([](const boost::system::error_code&, int) {});
    Simulator simulator(options);
    const SimEndpoints where = simulator.start();
    std::cout << where.to_json() << std::endl;
    waiting.run();
    simulator.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "audience-batch sim: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace ab
