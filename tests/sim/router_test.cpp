// The router without sockets: its own endpoints, the order of handlers, the
// faults and what the referee counts for each.
#include "sim/http/router.hpp"

#include "sim/json_answer.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace ab::sim {
namespace {

namespace http = boost::beast::http;

// A handler that owns one path, counts how often it changed something, and can be told to throw.
class CountingApi final : public ApiHandler {
 public:
  explicit CountingApi(std::string path) : path_(std::move(path)) {}
  std::optional<Response> handle(const Request& request, Exchange& exchange) override {
    if (request.target() == "/boom") throw std::runtime_error("handler bug");
    if (request.target() != path_) return std::nullopt;
    exchange.endpoint = "count" + path_;
    ++handled;
    return json_answer(request, http::status::created, boost::json::object{{"n", handled}});
  }
  boost::json::object store_stats() const override { return {{"handled" + path_, handled}}; }
  int handled = 0;

 private:
  std::string path_;
};

struct Routed {
  Routed(std::vector<std::unique_ptr<ApiHandler>> handlers, RouterConfig config)
      : first(static_cast<CountingApi*>(handlers.at(0).get())),
        second(static_cast<CountingApi*>(handlers.at(1).get())),
        router(std::move(handlers), std::move(config)) {}
  CountingApi* first;
  CountingApi* second;
  Router router;
};

std::unique_ptr<Routed> make_router(FaultRates faults = {}, std::vector<std::string> fault_free = {}) {
  std::vector<std::unique_ptr<ApiHandler>> handlers;
  handlers.push_back(std::make_unique<CountingApi>("/a"));
  handlers.push_back(std::make_unique<CountingApi>("/b"));
  return std::make_unique<Routed>(std::move(handlers),
                                  RouterConfig{.faults = faults, .seed = 1, .fault_free_paths = std::move(fault_free)});
}

Request get(std::string_view target, http::verb verb = http::verb::get) { return Request(verb, target, 11); }

const SystemTime now{std::chrono::seconds{1'700'000'000}};

TEST(Router, HandsEachRequestToTheHandlerThatKnowsItsPath) {
  auto r = make_router();
  EXPECT_EQ(r->router.route(get("/a"), now).response.result_int(), 201u);
  EXPECT_EQ(r->router.route(get("/b"), now).response.result_int(), 201u);
  EXPECT_EQ(r->first->handled, 1);
  EXPECT_EQ(r->second->handled, 1);
  auto missing = r->router.route(get("/nowhere"), now);
  EXPECT_EQ(missing.response.result_int(), 404u);
  EXPECT_EQ(boost::json::parse(missing.response.body()).at("code"), "NOT_FOUND");
  EXPECT_EQ(r->router.referee().requests("count/a"), 1u);
  EXPECT_EQ(r->router.referee().requests("count/b"), 1u);
  EXPECT_EQ(r->router.referee().requests(endpoint::unknown), 1u);
}

TEST(Router, StatsAreTheRefereesCountersAndTheMergedStores) {
  auto r = make_router();
  r->router.route(get("/a"), now);
  auto stats = boost::json::parse(r->router.route(get("/__stats"), now).response.body());
  EXPECT_EQ(stats.at("requests").at("count/a").at("201"), 1);
  EXPECT_EQ(stats.at("total_requests"), 1);
  EXPECT_EQ(stats.at("total_violations"), 0);
  EXPECT_TRUE(stats.at("violations").as_object().empty());
  EXPECT_EQ(stats.at("store"), (boost::json::object{{"handled/a", 1}, {"handled/b", 0}}));
  // Reading the stats is not counted.
  EXPECT_EQ(r->router.stats().at("total_requests"), 1);
}

TEST(Router, ResetClearsTheCountersButNotTheStores) {
  auto r = make_router();
  r->router.route(get("/a"), now);
  r->router.referee().violation(rule::partial_put);
  EXPECT_EQ(r->router.route(get("/__reset"), now).response.result_int(), 405u);
  auto reset = r->router.route(get("/__reset", http::verb::post), now);
  EXPECT_EQ(reset.response.result_int(), 200u);
  EXPECT_EQ(r->router.referee().total_violations(), 0u);
  EXPECT_EQ(r->router.stats().at("store").at("handled/a"), 1);
  EXPECT_EQ(r->router.route(get("/__stats", http::verb::delete_), now).response.result_int(), 405u);
}

TEST(Router, AResetFaultDropsBeforeHandling) {
  auto r = make_router({.reset = 1});
  auto reply = r->router.route(get("/a"), now);
  EXPECT_TRUE(reply.drop);
  EXPECT_EQ(r->first->handled, 0);
  EXPECT_EQ(r->router.referee().requests(endpoint::fault_reset), 1u);
}

TEST(Router, ALostReplyIsHandledThenDropped) {
  auto r = make_router({.lost_reply = 1});
  auto reply = r->router.route(get("/a"), now);
  EXPECT_TRUE(reply.drop);
  EXPECT_EQ(r->first->handled, 1);
  EXPECT_EQ(r->router.referee().requests("count/a"), 1u);
  EXPECT_EQ(r->router.referee().requests(endpoint::fault_lost_reply), 1u);
}

TEST(Router, ErrorAndThrottleFaultsAnswerWithoutHandling) {
  auto errors = make_router({.error = 1});
  auto error = errors->router.route(get("/a"), now);
  EXPECT_FALSE(error.drop);
  EXPECT_GE(error.response.result_int(), 500u);
  EXPECT_EQ(errors->first->handled, 0);
  EXPECT_EQ(errors->router.referee().requests(endpoint::fault_error), 1u);

  auto throttles = make_router({.throttle = 1});
  EXPECT_EQ(throttles->router.route(get("/a"), now).response.result_int(), 429u);
  EXPECT_EQ(throttles->first->handled, 0);
}

TEST(Router, FaultFreePathsAndOwnEndpointsAreNeverFaulted) {
  auto r = make_router({.reset = 1, .latency = std::chrono::milliseconds(10)}, {"/b"});
  auto exempt = r->router.route(get("/b"), now);
  EXPECT_FALSE(exempt.drop);
  EXPECT_EQ(exempt.response.result_int(), 201u);
  EXPECT_GT(exempt.delay.count(), 0);  // but delayed like the rest
  auto stats = r->router.route(get("/__stats"), now);
  EXPECT_FALSE(stats.drop);
  EXPECT_EQ(stats.delay.count(), 0);
  EXPECT_TRUE(r->router.route(get("/a"), now).drop);
}

TEST(Router, AHandlerThatThrowsGivesA500NotACrash) {
  auto r = make_router();
  auto reply = r->router.route(get("/boom"), now);
  EXPECT_EQ(reply.response.result_int(), 500u);
  EXPECT_EQ(r->router.referee().requests(endpoint::internal_error), 1u);
}

TEST(Router, ProtocolErrorsAreCounted) {
  auto r = make_router();
  r->router.count_protocol_error(431);
  EXPECT_EQ(r->router.stats().at("requests").at(endpoint::http_error).at("431"), 1);
}

TEST(Router, AnswersKeepTheRequestsVersionAndKeepAlive) {
  auto r = make_router();
  Request old(http::verb::get, "/a", 10);
  auto reply = r->router.route(old, now);
  EXPECT_EQ(reply.response.version(), 10u);
  EXPECT_FALSE(reply.response.keep_alive());
}

}  // namespace
}  // namespace ab::sim
