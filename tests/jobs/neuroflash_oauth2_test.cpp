// The shared OAuth2 token: fetched once, replaced at 90 % of its lifetime,
// renewed once after a 401, and never fetched by two workers at once.
#include "jobs/neuroflash/oauth2.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/neuroflash/single_flight.hpp"
#include "neuroflash_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <mutex>
#include <thread>

namespace ab::nf {
namespace {

namespace asio = boost::asio;
using ab::testing::answer;
using ab::testing::run_sync;
using ab::testing::ScriptedApi;
using namespace ab::nf::testing;
using namespace std::chrono_literals;

ClientCredentials credentials() { return {token_url, "client-7", "s3cret&="}; }

TEST(TokenLifetime, IsFreshUntilNinetyPercentOfItsLife) {
  SteadyTime t0{1h};
  TokenLifetime life;
  EXPECT_FALSE(life.fresh(t0));
  life.issued(t0, 100s);
  EXPECT_TRUE(life.fresh(t0 + 89s));
  EXPECT_FALSE(life.fresh(t0 + 90s));
}

TEST(TokenLifetime, AFreshTokenCoversLateAnswersForATenthOfItsLifeAtMostFiveSeconds) {
  SteadyTime t0{1h};
  TokenLifetime life;
  life.issued(t0, 14'400s);
  EXPECT_TRUE(life.just_issued(t0 + 4s));
  EXPECT_FALSE(life.just_issued(t0 + 5s));
  life.issued(t0, 10s);
  EXPECT_TRUE(life.just_issued(t0 + 999ms));
  EXPECT_FALSE(life.just_issued(t0 + 1s));
}

class OAuth2 : public ::testing::Test {
 protected:
  std::string authorize() { return run_sync(auth.authorization(ApiRequest{})); }

  FakeClock time;
  OAuth2ClientCredentials auth{credentials(), time.clock()};
  ScriptedApi api;
  void SetUp() override { auth.use_api(api); }
};

TEST_F(OAuth2, OneTokenServesEveryRequest) {
  api.push(token_answer("T1"));
  EXPECT_EQ(authorize(), "Bearer T1");
  EXPECT_EQ(authorize(), "Bearer T1");
  EXPECT_TRUE(run_sync(auth.ensure_token()).ok);
  EXPECT_EQ(auth.fetches(), 1u);
}

// Most requests take the header without a coroutine; one that finds no
// fresh token waits for authorization() and its fetch.
TEST_F(OAuth2, TheHeaderIsThereAtOnceOnlyWhileTheTokenIsFresh) {
  EXPECT_EQ(auth.authorization_now(ApiRequest{}), std::nullopt);
  api.push(token_answer("T1", 100));
  EXPECT_EQ(authorize(), "Bearer T1");
  EXPECT_EQ(auth.authorization_now(ApiRequest{}), "Bearer T1");
  time.now += 90s;
  EXPECT_EQ(auth.authorization_now(ApiRequest{}), std::nullopt);
  EXPECT_EQ(auth.fetches(), 1u);
}

TEST_F(OAuth2, ATokenIsReplacedAtNinetyPercentOfItsLifetime) {
  api.push(token_answer("T1", 100));
  api.push(token_answer("T2", 100));
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 89s;
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 1s;
  EXPECT_EQ(authorize(), "Bearer T2");
  EXPECT_EQ(auth.fetches(), 2u);
}

TEST_F(OAuth2, AFailedReplacementKeepsTheOldTokenAndTriesAgainNextTime) {
  api.push(token_answer("T1", 100));
  api.push(answer(503, "", ApiOutcome::exhausted));
  api.push(token_answer("T2", 100));
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 95s;
  EXPECT_EQ(authorize(), "Bearer T1");
  EXPECT_EQ(authorize(), "Bearer T2");
}

TEST_F(OAuth2, ExpiresInMayBeTextOrMissing) {
  api.push(answer(200, R"({"access_token": "T1", "expires_in": "100"})"));
  api.push(answer(200, R"({"access_token": "T2"})"));
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 90s;
  EXPECT_EQ(authorize(), "Bearer T2");
  time.now += 269s;  // missing: 300 s assumed
  EXPECT_EQ(authorize(), "Bearer T2");
}

TEST_F(OAuth2, AnAnswerWithoutATokenIsAFailure) {
  api.push(answer(200, R"({"token_type": "Bearer"})"));
  auto fetched = run_sync(auth.ensure_token());
  EXPECT_FALSE(fetched.ok);
  EXPECT_FALSE(fetched.refused);
  EXPECT_EQ(fetched.error, "token endpoint answered without an access_token");
}

TEST_F(OAuth2, RenewAfterA401FetchesANewToken) {
  api.push(token_answer("T1"));
  api.push(token_answer("T2"));
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 10s;
  EXPECT_TRUE(run_sync(auth.renew()));
  EXPECT_EQ(authorize(), "Bearer T2");
  EXPECT_EQ(auth.fetches(), 2u);
}

TEST_F(OAuth2, A401ForARequestSentWithTheOldTokenReusesTheNewOne) {
  api.push(token_answer("T1"));
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 1s;
  EXPECT_TRUE(run_sync(auth.renew()));
  EXPECT_EQ(auth.fetches(), 1u);
}

TEST_F(OAuth2, RenewFailsWhenTheTokenEndpointRefuses) {
  api.push(token_answer("T1"));
  api.push(answer(401, R"({"error": "invalid_client"})"));
  EXPECT_EQ(authorize(), "Bearer T1");
  time.now += 10s;
  EXPECT_FALSE(run_sync(auth.renew()));
}

// A token endpoint that answers only when the test opens the gate, so that
// many coroutines are waiting for one token at the same time.
class GatedTokenApi : public Api {
 public:
  explicit GatedTokenApi(asio::io_context& io) : gate_(io, ab::SteadyTimer::time_point::max()) {}
  ab::Awaitable<ApiAnswer> send(ApiRequest) override {
    const int n = ++requests;
    co_await gate_.async_wait(asio::as_tuple(ab::use_awaitable));
    co_return token_answer("T" + std::to_string(n));
  }
  void open() { gate_.cancel(); }
  int requests = 0;

 private:
  ab::SteadyTimer gate_;
};

ab::Awaitable<void> collect(ab::Awaitable<std::string> call, std::vector<std::string>& into) {
  into.push_back(co_await std::move(call));
}

ab::Awaitable<void> collect_renewal(ab::Awaitable<bool> call, int& renewed) {
  renewed += (co_await std::move(call)) ? 1 : 0;
}

ab::Awaitable<void> open_gate(GatedTokenApi& api) {
  api.open();
  co_return;
}

TEST(OAuth2SingleFlight, ManyWorkersNeedingATokenCauseOneTokenRequest) {
  asio::io_context io;
  GatedTokenApi api(io);
  FakeClock time;
  OAuth2ClientCredentials auth(credentials(), time.clock());
  auth.use_api(api);

  std::vector<std::string> seen;
  const ApiRequest request;
  for (int i = 0; i < 50; ++i) asio::co_spawn(io, collect(auth.authorization(request), seen), asio::detached);
  asio::co_spawn(io, open_gate(api), asio::detached);  // runs after every worker is waiting
  io.run();

  EXPECT_EQ(api.requests, 1);
  ASSERT_EQ(seen.size(), 50u);
  for (const auto& s : seen) EXPECT_EQ(s, "Bearer T1");
}

TEST(OAuth2SingleFlight, ManyWorkersRenewingAfter401sCauseOneTokenRequest) {
  FakeClock time;
  OAuth2ClientCredentials auth(credentials(), time.clock());
  ScriptedApi first;
  first.push(token_answer("T1"));
  auth.use_api(first);
  ASSERT_TRUE(run_sync(auth.ensure_token()).ok);

  time.now += 1h;
  asio::io_context io;
  GatedTokenApi api(io);
  auth.use_api(api);
  int renewed = 0;
  for (int i = 0; i < 20; ++i) asio::co_spawn(io, collect_renewal(auth.renew(), renewed), asio::detached);
  asio::co_spawn(io, open_gate(api), asio::detached);
  io.run();
  EXPECT_EQ(api.requests, 1);
  EXPECT_EQ(renewed, 20);
  EXPECT_EQ(run_sync(auth.authorization(ApiRequest{})), "Bearer T1");  // the gated endpoint's first token
}

// Workers on several threads: whatever the interleaving, one token request.
class CountingTokenApi : public Api {
 public:
  ab::Awaitable<ApiAnswer> send(ApiRequest) override {
    ++requests;
    for (int i = 0; i < 20; ++i) co_await asio::post(co_await asio::this_coro::executor, ab::use_awaitable);
    co_return token_answer("T1");
  }
  std::atomic<int> requests{0};
};

ab::Awaitable<void> collect_locked(OAuth2ClientCredentials& auth, std::mutex& m, std::vector<std::string>& into) {
  const ApiRequest request;  // named: GCC 12 mishandles temporaries inside co_await
  auto header = co_await auth.authorization(request);
  std::lock_guard lock(m);
  into.push_back(std::move(header));
}

TEST(OAuth2SingleFlight, HoldsWhenWorkersRunOnSeveralThreads) {
  // One io_context run by four threads: the engine's coroutines run on io_context executors.
  asio::io_context pool(4);
  CountingTokenApi api;
  OAuth2ClientCredentials auth(credentials(), [] { return std::chrono::steady_clock::now(); });
  auth.use_api(api);
  std::mutex m;
  std::vector<std::string> seen;
  for (int i = 0; i < 200; ++i) asio::co_spawn(pool, collect_locked(auth, m, seen), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&pool] { pool.run(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(api.requests.load(), 1);
  ASSERT_EQ(seen.size(), 200u);
  for (const auto& s : seen) EXPECT_EQ(s, "Bearer T1");
}

ab::Awaitable<int> failing_work() {
  throw std::runtime_error("token endpoint on fire");
  co_return 0;
}

ab::Awaitable<void> expect_failure(SingleFlight<int>& flight, int& failures) {
  try {
    co_await flight.run(failing_work);
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()) == "token endpoint on fire") ++failures;
  }
}

ab::Awaitable<void> yield_then_fail() {
  co_await asio::post(co_await asio::this_coro::executor, ab::use_awaitable);
  throw std::runtime_error("token endpoint on fire");
}

ab::Awaitable<int> slow_failing_work() {
  co_await yield_then_fail();
  co_return 0;
}

ab::Awaitable<void> expect_slow_failure(SingleFlight<int>& flight, int& failures) {
  try {
    co_await flight.run(slow_failing_work);
  } catch (const std::runtime_error&) {
    ++failures;
  }
}

TEST(SingleFlight, AFailureReachesTheLeaderAndEveryWaiterAndTheNextRunStartsAfresh) {
  asio::io_context io;
  SingleFlight<int> flight;
  int failures = 0;
  for (int i = 0; i < 5; ++i) asio::co_spawn(io, expect_slow_failure(flight, failures), asio::detached);
  io.run();
  EXPECT_EQ(failures, 5);
  EXPECT_FALSE(flight.busy());

  io.restart();
  asio::co_spawn(io, expect_failure(flight, failures), asio::detached);
  io.run();
  EXPECT_EQ(failures, 6);
}

}  // namespace
}  // namespace ab::nf
