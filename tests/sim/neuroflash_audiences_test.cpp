// Workspaces, URL imports and the audience lifecycle of the simulated
// neuroflash API (API.md §A2–§A6), at handler level.
#include "sim/neuroflash/profile.hpp"
#include "sim/neuroflash/store.hpp"
#include "sim/support/neuroflash_fixture.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view model = "538b1efc6f88ad88feebf7acd8c618facb54fe82";

TEST_F(NeuroflashApiTest, WorkspacesAreAHalDocument) {
  auto reply = call(http::verb::get, config.api_base + "/workspace-service/v1/workspaces");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  const auto& list = reply.body.at("_embedded").at("workspaces").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_NE(list[0].at("id"), list[1].at("id"));
  EXPECT_TRUE(list[0].at("_links").at("self").at("href").as_string().ends_with(list[0].at("id").as_string()));
  EXPECT_EQ(reply.body.at("page").at("totalElements"), 2);
  EXPECT_EQ(last_endpoint, "nf.workspaces");
}

TEST_F(NeuroflashApiTest, TheSeedsLifecycleImportCreateGetPutDelete) {
  auto imported = call(http::verb::post, audiences_path() + "-url-imports",
                       json::object{{"audienceModelId", model}, {"urls", json::array{"https://your-brand.com"}}});
  ASSERT_EQ(imported.status, 200u) << imported.raw.body();
  EXPECT_EQ(last_endpoint, "nf.url-import");

  // The profile goes straight into a create (Schritt 4).
  auto created = create(imported.body);
  ASSERT_EQ(created.status, 201u) << created.raw.body();
  const std::string id(created.body.at("id").as_string());
  EXPECT_EQ(created.header("Location"), audience_path(id));
  EXPECT_EQ(created.body.at("name"), imported.body.at("name"));
  EXPECT_EQ(created.body.at("permissions"), (json::object{{"canUpdate", true}, {"canDelete", true}}));

  auto fetched = call(http::verb::get, audience_path(id));
  ASSERT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.body, created.body);
  EXPECT_EQ(last_endpoint, "nf.get");

  // Schritt 6: get, change one field, send everything back.
  auto changed = fetched.body.as_object();
  changed["name"] = "Senior marketing leaders";
  now += std::chrono::seconds(5);
  auto put = call(http::verb::put, audience_path(id), changed);
  ASSERT_EQ(put.status, 200u) << put.raw.body();
  EXPECT_EQ(put.body.at("name"), "Senior marketing leaders");
  EXPECT_EQ(put.body.at("country"), fetched.body.at("country"));
  EXPECT_NE(put.body.at("updatedAt"), fetched.body.at("updatedAt"));
  EXPECT_EQ(put.body.at("createdAt"), fetched.body.at("createdAt"));
  EXPECT_EQ(call(http::verb::get, audience_path(id)).body.at("name"), "Senior marketing leaders");

  auto deleted = call(http::verb::delete_, audience_path(id));
  EXPECT_EQ(deleted.status, 204u);
  EXPECT_TRUE(deleted.raw.body().empty());
  EXPECT_EQ(call(http::verb::get, audience_path(id)).status, 404u);
  EXPECT_EQ(call(http::verb::delete_, audience_path(id)).status, 404u);
  EXPECT_EQ(referee.total_violations(), 0u);
}

TEST_F(NeuroflashApiTest, CreateKeepsTheSeedBodyAndFillsOptionalFields) {
  auto full = create(seed_profile());
  ASSERT_EQ(full.status, 201u);
  for (const auto& [key, value] : seed_profile()) EXPECT_EQ(full.body.at(key), value) << key;
  EXPECT_EQ(full.body.at("createdBy"), json::value(NeuroflashStore::client_user));

  auto minimal = create(json::object{{"name", "Only the required fields"},
                                     {"genderDistribution", seed_profile().at("genderDistribution")}});
  ASSERT_EQ(minimal.status, 201u) << minimal.raw.body();
  EXPECT_TRUE(minimal.body.at("country").is_null());
  EXPECT_TRUE(minimal.body.at("minAge").is_null());
  EXPECT_EQ(minimal.body.at("interests"), json::array{});
  EXPECT_EQ(minimal.body.at("shared"), false);
  EXPECT_EQ(api->store_stats().at("nf_audiences"), 2);
  EXPECT_EQ(api->store_stats().at("nf_creates"), 2);
}

TEST_F(NeuroflashApiTest, InvalidCreatesAre400WithValidationErrorsAndBreakARule) {
  auto body = seed_profile();
  body["genderDistribution"].as_object()["male"] = 0.3;  // sums to 0.9
  body["minAge"] = "25";
  auto reply = create(body);
  ASSERT_EQ(reply.status, 400u);
  const auto& errors = reply.body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("field"), "genderDistribution");
  EXPECT_EQ(errors[0].at("type"), "validation");
  EXPECT_EQ(errors[1].at("field"), "minAge");
  EXPECT_EQ(violations(rule::invalid_body), 1u);
  EXPECT_EQ(api->store_stats().at("nf_creates"), 0);
}

TEST_F(NeuroflashApiTest, BodiesThatAreNotJsonAreRefusedAsInvalid) {
  fresh_token();
  auto broken = send(http::verb::post, audiences_path(), "{\"name\": ", token);
  EXPECT_EQ(broken.status, 400u);
  EXPECT_EQ(broken.body.at("code"), "INVALID_JSON");
  auto wrong_type = send(http::verb::post, audiences_path(), json::serialize(seed_profile()), token, "text/plain");
  EXPECT_EQ(wrong_type.status, 415u);
  auto not_object = send(http::verb::post, audiences_path(), "[1,2]", token);
  EXPECT_EQ(not_object.status, 400u);
  EXPECT_EQ(not_object.body.at("errors").at(0).at("field"), "body");
  EXPECT_EQ(violations(rule::invalid_body), 3u);
  // Parameters after the media type are fine.
  EXPECT_EQ(send(http::verb::post, audiences_path(), json::serialize(seed_profile()), token,
                 "application/json; charset=utf-8")
                .status,
            201u);
}

TEST_F(NeuroflashApiTest, TheSameCreateTwiceIsADuplicateButTheSameNameAloneIsNot) {
  create_id(seed_profile());
  auto other_split = seed_profile();
  other_split["residence"] = "Hamburg";
  create_id(other_split);  // same name, different audience
  EXPECT_EQ(violations(rule::duplicate_create), 0u);
  create_id(seed_profile());  // a retry of the first
  EXPECT_EQ(violations(rule::duplicate_create), 1u);
  EXPECT_EQ(api->store_stats().at("nf_audiences"), 3);
}

TEST_F(NeuroflashApiTest, ACreateAfterDeletingTheSameAudienceIsNoDuplicate) {
  const auto id = create_id(seed_profile());
  EXPECT_EQ(call(http::verb::delete_, audience_path(id)).status, 204u);
  create_id(seed_profile());
  EXPECT_EQ(violations(rule::duplicate_create), 0u);
}

TEST_F(NeuroflashApiTest, APartialPutIs400AndBreaksTheFullReplaceRule) {
  const auto id = create_id(seed_profile());
  auto reply = call(http::verb::put, audience_path(id), json::object{{"name", "Only the name"}});
  ASSERT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.body.at("errors").as_array().size(), profile_fields.size() - 1);
  EXPECT_EQ(violations(rule::partial_put), 1u);
  EXPECT_EQ(violations(rule::invalid_body), 0u);
  EXPECT_EQ(call(http::verb::get, audience_path(id)).body.at("name"), "Marketing leaders");
}

TEST_F(NeuroflashApiTest, APutIsValidatedLikeACreate) {
  const auto id = create_id(seed_profile());
  auto body = seed_profile();
  body["genderDistribution"].as_object().erase("nonBinary");
  auto reply = call(http::verb::put, audience_path(id), body);
  ASSERT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.body.at("errors").at(0).at("field"), "genderDistribution.nonBinary");
  EXPECT_EQ(violations(rule::invalid_body), 1u);
  EXPECT_EQ(violations(rule::partial_put), 0u);

  auto moved = seed_profile();
  moved["id"] = "another-id";
  EXPECT_EQ(call(http::verb::put, audience_path(id), moved).body.at("errors").at(0).at("field"), "id");
}

TEST_F(NeuroflashApiTest, ForeignAudiencesCanBeReadButNotChanged) {
  const auto ids = foreign_ids();
  ASSERT_EQ(ids.size(), 3u);
  for (const auto& id : ids) {
    auto read = call(http::verb::get, audience_path(id));
    ASSERT_EQ(read.status, 200u);
    EXPECT_TRUE(read.body.at("name").as_string().starts_with("Foreign "));
    EXPECT_EQ(read.body.at("permissions"), (json::object{{"canUpdate", false}, {"canDelete", false}}));
    EXPECT_EQ(read.body.at("createdBy"), json::value(NeuroflashStore::foreign_user));

    auto put = call(http::verb::put, audience_path(id), read.body);
    EXPECT_EQ(put.status, 403u);
    EXPECT_EQ(put.body.at("code"), "FORBIDDEN");
    EXPECT_TRUE(put.body.at("error").is_string());
    EXPECT_EQ(call(http::verb::delete_, audience_path(id)).status, 403u);
    EXPECT_EQ(call(http::verb::get, audience_path(id)).status, 200u);
  }
  EXPECT_EQ(api->store_stats().at("nf_audiences"), 0);
}

TEST_F(NeuroflashApiTest, UnknownWorkspacesAudiencesAndPathsAre404) {
  fresh_token();
  EXPECT_EQ(call(http::verb::get, audience_path("no-such-id")).body.at("code"), "TARGET_AUDIENCE_NOT_FOUND");
  auto other_ws = call(http::verb::post, audiences_path("no-such-workspace"), seed_profile());
  EXPECT_EQ(other_ws.status, 404u);
  EXPECT_EQ(other_ws.body.at("code"), "WORKSPACE_NOT_FOUND");
  for (auto path : {"/audience-service/v1/workspaces", "/audience-service/v1/workspaces//target-audiences",
                    "/audience-service/v2/workspaces/x/target-audiences", "/nothing-here"}) {
    auto reply = call(http::verb::get, config.api_base + path);
    EXPECT_EQ(reply.status, 404u) << path;
    EXPECT_EQ(reply.body.at("code"), "NOT_FOUND");
  }
  // An audience lives in one workspace only.
  const auto id = create_id(seed_profile());
  const auto second = call(http::verb::get, config.api_base + "/workspace-service/v1/workspaces")
                          .body.at("_embedded").at("workspaces").at(1).at("id").as_string();
  EXPECT_EQ(call(http::verb::get, audiences_path(second) + "/" + id).status, 404u);
}

TEST_F(NeuroflashApiTest, PathsOutsideTheApiAreNotItsBusiness) {
  Request request(http::verb::get, "/tw/8/accounts/x/tailored_audiences", 11);
  Exchange exchange{now, referee, {}};
  EXPECT_FALSE(api->handle(request, exchange));
  Request prefix_only(http::verb::get, config.api_base + "x/workspace-service/v1/workspaces", 11);
  EXPECT_FALSE(api->handle(prefix_only, exchange));
}

TEST_F(NeuroflashApiTest, WrongMethodsAre405WithAllow) {
  auto listing = call(http::verb::get, audiences_path());
  EXPECT_EQ(listing.status, 405u);
  EXPECT_EQ(listing.header("Allow"), "POST");
  EXPECT_EQ(call(http::verb::patch, audience_path("x")).header("Allow"), "GET, PUT, DELETE");
  EXPECT_EQ(call(http::verb::post, config.api_base + "/workspace-service/v1/workspaces").status, 405u);
}

TEST_F(NeuroflashApiTest, UrlImportsNeedTheKnownModelAndAbsoluteHttpUrls) {
  const auto path = audiences_path() + "-url-imports";
  auto wrong_model = call(http::verb::post, path, json::object{{"audienceModelId", "0000"}, {"urls", {"https://a.com"}}});
  EXPECT_EQ(wrong_model.status, 400u);
  EXPECT_EQ(wrong_model.body.at("errors").at(0).at("field"), "audienceModelId");
  auto empty = call(http::verb::post, path, json::object{{"audienceModelId", model}, {"urls", json::array{}}});
  EXPECT_EQ(empty.body.at("errors").at(0).at("field"), "urls");
  auto relative = call(http::verb::post, path,
                       json::object{{"audienceModelId", model}, {"urls", {"https://ok.com", "/relative", "ftp://x.org", 7}}});
  ASSERT_EQ(relative.status, 400u);
  const auto& errors = relative.body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].at("field"), "urls[1]");
  EXPECT_EQ(errors[2].at("field"), "urls[3]");
  EXPECT_EQ(violations(rule::invalid_body), 3u);
  EXPECT_EQ(api->store_stats().at("nf_creates"), 0);
}

}  // namespace
}  // namespace ab::sim::test
