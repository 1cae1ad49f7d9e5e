// The X Ads API version named by --tw-api picks the resource names every
// tw.* kind uses (API.md §B11): v8 tailored_audiences, v9 and later
// custom_audiences; a version the table does not know ends the run at start,
// before any request.
#include "jobs/twitter/api_versions.hpp"
#include "twitter_support.hpp"

namespace ab::tw::testing {
namespace {

using boost::beast::http::verb;

Context context_at(FakeWallClock& clock, const std::string& api) {
  TwitterEndpoints at = endpoints();
  at.api = api;
  return make_context(at, [&clock] { return clock.now; }, SeededNonces(7));
}

TEST(TwitterApiVersions, TheLastPathSegmentNamesTheVersion) {
  const auto v12 = api_version_of("https://ads-api.x.com/12");
  ASSERT_TRUE(std::holds_alternative<ApiVersion>(v12));
  EXPECT_EQ(std::get<ApiVersion>(v12).audiences, "custom_audiences");
  EXPECT_EQ(std::get<ApiVersion>(v12).ids_filter, "custom_audience_ids");
  EXPECT_EQ(std::get<ApiVersion>(api_version_of("http://127.0.0.1:9/tw/8/")).audiences, "tailored_audiences");
  for (unsigned version = 9; version <= kCurrentApiVersion; ++version)
    EXPECT_EQ(std::get<ApiVersion>(api_version_of("https://x/" + std::to_string(version))).audiences,
              "custom_audiences");
  for (const char* url : {"https://ads-api.x.com/7", "https://ads-api.x.com/99", "https://ads-api.x.com",
                          "https://ads-api.x.com/12a", "https://ads-api.x.com/-12"}) {
    const auto refused = api_version_of(url);
    ASSERT_TRUE(std::holds_alternative<std::string>(refused)) << url;
    EXPECT_NE(std::get<std::string>(refused).find("(8, 9, 10, 11, 12;"), std::string::npos)
        << std::get<std::string>(refused);
  }
}

TEST(TwitterApiVersions, EveryPathOfTheCurrentVersionNamesCustomAudiences) {
  FakeWallClock clock;
  const Context context = context_at(clock, "https://ads.test/12");
  EXPECT_TRUE(context.version_error.empty());
  EXPECT_EQ(context.paths.audiences(Query().add("count", "1")),
            "https://ads.test/12/accounts/18ce54d4x5t/custom_audiences?count=1");
  EXPECT_EQ(context.paths.audience("2906h"), "https://ads.test/12/accounts/18ce54d4x5t/custom_audiences/2906h");
  EXPECT_EQ(context.paths.batch_audiences(), "https://ads.test/12/batch/accounts/18ce54d4x5t/custom_audiences");
  EXPECT_EQ(context.paths.ids_filter(), "custom_audience_ids");
}

TEST(TwitterApiVersions, GetAsksByTheVersionsOwnIdFilter) {
  FakeWallClock clock;
  auto kind = get_declaration.make(context_at(clock, "https://ads.test/12"));
  ScriptedApi api([](const ApiRequest&) { return list_answer({audience("a0", "zero")}); });
  RecordingSink sink;
  run_sync(kind->run(tasks_of(*kind, "id\na0\n"), api, sink));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].url,
            "https://ads.test/12/accounts/18ce54d4x5t/custom_audiences?custom_audience_ids=a0&with_deleted=true");
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
}

TEST(TwitterApiVersions, AnUnknownVersionRefusesToStartAndSendsNothing) {
  FakeWallClock clock;
  for (const char* api_url : {"https://ads.test/7", "https://ads.test/99"}) {
    using Factory = std::unique_ptr<JobKind> (*)(Context);
    const std::pair<const char*, Factory> kinds[] = {
        {"tw.create", create_declaration.make}, {"tw.get", get_declaration.make}, {"tw.list", list_declaration.make},
        {"tw.flexible", flexible_declaration.make}};
    for (const auto& [name, make] : kinds) {
      auto kind = make(context_at(clock, api_url));
      ASSERT_NE(kind, nullptr);
      ScriptedApi api;
      const StartResult started = run_sync(kind->start(api));
      EXPECT_FALSE(started.ok) << name;
      EXPECT_NE(started.error.find("8, 9, 10, 11, 12"), std::string::npos) << started.error;
      EXPECT_TRUE(api.sent.empty()) << name;
      EXPECT_EQ(kind->rows_server(), "") << "no connection opened ahead for a run that cannot start";
    }
  }
}

}  // namespace
}  // namespace ab::tw::testing
