// B6, the batch endpoint: at most 10 items, all-or-nothing, request-level
// "errors" and item-level "operation_errors", flexible-audience segments.
#include "sim/support/twitter_fixture.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>

namespace ab::sim::test {
namespace {

namespace json = boost::json;

class TwitterBatchTest : public TwitterApiTest {
 protected:
  void SetUp() override {
    crm = owned_crm_ids();
    ASSERT_GE(crm.size(), 11u);
    live_before = api->store_stats().at("tw_audiences").as_uint64();
  }

  json::object leaf(const std::string& id, int lookback = 30) const {
    return {{"tailored_audience_id", id}, {"lookback_window", lookback}};
  }
  json::object flexible(std::string name, json::array children, std::string_view op = "AND") const {
    return {{"operation_type", "Create"},
            {"params",
             {{"name", std::move(name)},
              {"audience_type", "FLEXIBLE"},
              {"segments", {{"boolean_operator", op}, {"child_segments", std::move(children)}}}}}};
  }
  json::object valid_item(std::string name = "valid") const { return flexible(std::move(name), {leaf(crm[0])}); }

  TwReply send_items(const json::array& items) { return batch(json::serialize(items)); }

  // A failed batch: 400 with one error list per item, the error at `index`
  // with `code` and `parameter`, the others empty, and nothing changed.
  void expect_item_error(const json::array& items, std::size_t index, std::string_view code,
                         std::string_view parameter) {
    const TwReply reply = send_items(items);
    ASSERT_EQ(reply.status, 400u) << reply.raw.body();
    const auto& errors = reply.object().at("operation_errors").as_array();
    ASSERT_EQ(errors.size(), items.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (i != index) {
        EXPECT_TRUE(errors[i].as_array().empty()) << i;
        continue;
      }
      ASSERT_EQ(errors[i].as_array().size(), 1u);
      const auto& error = errors[i].as_array()[0];
      EXPECT_EQ(str(error.at("code")), code) << reply.raw.body();
      EXPECT_EQ(str(error.at("parameter")), parameter) << reply.raw.body();
      EXPECT_EQ(error.at("index").to_number<std::uint64_t>(), index);
    }
    EXPECT_FALSE(reply.object().contains("data"));
    EXPECT_EQ(api->store_stats().at("tw_batch_creates").as_uint64(), 0u);
    EXPECT_EQ(api->store_stats().at("tw_audiences").as_uint64(), live_before);
  }

  std::vector<std::string> crm;
  std::uint64_t live_before = 0;
};

TEST_F(TwitterBatchTest, TheSeedsExampleCreatesAFlexibleAudienceWithEveryDefaultSpeltOut) {
  // The seed's request, with its three ids replaced by audiences this account has.
  std::string body =
      R"([{"operation_type":"Create","params":{"name":"my_flexible_audience_name","audience_type":"FLEXIBLE",
    "segments":{"boolean_operator":"AND","child_segments":[
      {"tailored_audience_id":"TYIF","frequency":1,"frequency_comparator":"NUM_GT","lookback_window":30,"negate":true,"child_segments":[]},
      {"boolean_operator":"OR","child_segments":[
        {"tailored_audience_id":"TXR1","lookback_window":30,"child_segments":[]},
        {"tailored_audience_id":"TYFO","frequency":1,"frequency_comparator":"NUM_GT","lookback_window":30,"negate":true,"child_segments":[]}]}]}}}])";
  std::string upper[3];
  for (int i = 0; i < 3; ++i) {
    upper[i] = crm[static_cast<std::size_t>(i)];
    std::transform(upper[i].begin(), upper[i].end(), upper[i].begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  body.replace(body.find("TYIF"), 4, upper[0]);
  body.replace(body.find("TXR1"), 4, upper[1]);
  body.replace(body.find("TYFO"), 4, upper[2]);

  const TwReply reply = batch(body);
  ASSERT_EQ(reply.status, 200u) << reply.raw.body();
  ASSERT_EQ(reply.data_array().size(), 1u);
  const auto& audience = reply.data_array()[0].as_object();
  EXPECT_EQ(str(audience.at("name")), "my_flexible_audience_name");
  EXPECT_EQ(str(audience.at("audience_type")), "FLEXIBLE");
  EXPECT_THAT(audience.at("targetable_types").as_array(), ::testing::ElementsAre("FLEXIBLE", "EXCLUDED_FLEXIBLE"));
  EXPECT_THAT(audience.at("reasons_not_targetable").as_array(), ::testing::ElementsAre("PROCESSING", "TOO_SMALL"));
  EXPECT_TRUE(audience.at("audience_size").is_null());

  const json::value expected_segments = json::parse(
      R"({"boolean_operator":"AND","frequency":1,"frequency_comparator":"NUM_GTE","negate":false,
    "child_segments":[
      {"tailored_audience_id":")" +
      crm[0] +
      R"(","lookback_window":30,"frequency":1,"frequency_comparator":"NUM_GT","negate":true,"child_segments":[]},
      {"boolean_operator":"OR","frequency":1,"frequency_comparator":"NUM_GTE","negate":false,"child_segments":[
        {"tailored_audience_id":")" +
      crm[1] +
      R"(","lookback_window":30,"frequency":1,"frequency_comparator":"NUM_GTE","negate":false,"child_segments":[]},
        {"tailored_audience_id":")" +
      crm[2] +
      R"(","lookback_window":30,"frequency":1,"frequency_comparator":"NUM_GT","negate":true,"child_segments":[]}]}]})");
  const auto& metadata = audience.at("metadata").as_array().at(0).as_object();
  EXPECT_EQ(metadata.at("segments"), expected_segments);
  EXPECT_EQ(str(metadata.at("tailored_audience_id")), str(audience.at("id")));
  EXPECT_EQ(str(metadata.at("audience_source")), "FLEXIBLE_AUDIENCE");

  const auto& request = reply.object().at("request").as_array();
  ASSERT_EQ(request.size(), 1u);
  EXPECT_EQ(str(request[0].at("operation_type")), "Create");
  EXPECT_EQ(str(request[0].at("params").at("account_id")), config.account);
  EXPECT_EQ(str(request[0].at("params").at("name")), "my_flexible_audience_name");

  EXPECT_EQ(api->store_stats().at("tw_batch_creates").as_uint64(), 1u);
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 0u);
  EXPECT_EQ(get(str(audience.at("id"))).status, 200u);
}

TEST_F(TwitterBatchTest, AnswersKeepTheRequestsOrder) {
  const json::array items{
      valid_item("first"),
      {{"operation_type", "Update"}, {"params", {{"tailored_audience_id", crm[3]}, {"name", "renamed"}}}},
      {{"operation_type", "Delete"}, {"params", {{"tailored_audience_id", crm[4]}}}},
      {{"operation_type", "Create"}, {"params", {{"name", "mobile"}, {"audience_type", "MOBILE_AUDIENCE"}}}}};
  const TwReply reply = send_items(items);
  ASSERT_EQ(reply.status, 200u) << reply.raw.body();
  const auto& data = reply.data_array();
  ASSERT_EQ(data.size(), 4u);
  EXPECT_EQ(str(data[0].at("name")), "first");
  EXPECT_EQ(str(data[1].at("id")), crm[3]);
  EXPECT_EQ(str(data[1].at("name")), "renamed");
  EXPECT_EQ(str(data[2].at("id")), crm[4]);
  EXPECT_TRUE(data[2].at("deleted").as_bool());
  EXPECT_EQ(str(data[3].at("audience_type")), "MOBILE_AUDIENCE");
  const auto& request = reply.object().at("request").as_array();
  EXPECT_EQ(str(request[1].at("operation_type")), "Update");
  EXPECT_EQ(str(request[2].at("operation_type")), "Delete");
  EXPECT_EQ(api->store_stats().at("tw_batch_creates").as_uint64(), 2u);
  EXPECT_EQ(api->store_stats().at("tw_audiences").as_uint64(), live_before + 1);
}

TEST_F(TwitterBatchTest, TenItemsAreFineElevenAreARequestLevelError) {
  json::array items;
  for (int i = 0; i < 11; ++i) items.emplace_back(valid_item("item " + std::to_string(i)));
  const TwReply eleven = send_items(items);
  EXPECT_EQ(eleven.status, 400u);
  EXPECT_EQ(eleven.error_code(), "TOO_MANY_OPERATIONS");
  EXPECT_FALSE(eleven.object().contains("operation_errors"));
  EXPECT_EQ(violations(rule::batch_over_10), 1u);
  EXPECT_EQ(api->store_stats().at("tw_batch_creates").as_uint64(), 0u);

  items.pop_back();
  const TwReply ten = send_items(items);
  EXPECT_EQ(ten.status, 200u);
  EXPECT_EQ(ten.data_array().size(), 10u);
  EXPECT_EQ(violations(rule::batch_over_10), 1u);
}

TEST_F(TwitterBatchTest, ABodyThatIsNotAListOfOperationsIsInvalid) {
  const std::string item = json::serialize(valid_item());
  for (const std::string& body :
       {std::string("not json"), std::string("{\"a\":1}"), std::string("[]"), "[" + item + ",5]",
        std::string(R"([{"operation_type":"Create"}])"), std::string(R"([{"operation_type":"Create","params":[]}])"),
        std::string(R"([{"operation_type":"Upsert","params":{}}])"),
        std::string(R"([{"operation_type":1,"params":{}}])")}) {
    const TwReply reply = batch(body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_code(), "INVALID_PARAMETER") << body;
    EXPECT_EQ(str(reply.object().at("request").at("params").at("account_id")), config.account);
  }
  EXPECT_EQ(violations(rule::invalid_body), 8u);
  EXPECT_EQ(api->store_stats().at("tw_batch_creates").as_uint64(), 0u);
}

TEST_F(TwitterBatchTest, TheBodyMustBeSentAsJson) {
  const TwReply reply = send(boost::beast::http::verb::post,
                             api_base + "/batch/accounts/" + config.account + "/tailored_audiences",
                             "[" + json::serialize(valid_item()) + "]", "text/plain");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(violations(rule::invalid_body), 1u);
  const TwReply with_charset = send(boost::beast::http::verb::post,
                                    api_base + "/batch/accounts/" + config.account + "/tailored_audiences",
                                    "[" + json::serialize(valid_item()) + "]", "Application/JSON; charset=utf-8");
  EXPECT_EQ(with_charset.status, 200u);
}

TEST_F(TwitterBatchTest, MissingOrWrongCreateParametersFailTheWholeBatch) {
  const auto create = [](json::object params) {
    return json::object{{"operation_type", "Create"}, {"params", std::move(params)}};
  };
  const json::object segments{{"boolean_operator", "AND"}, {"child_segments", json::array{leaf(crm[0])}}};
  expect_item_error({valid_item(), create({{"audience_type", "FLEXIBLE"}, {"segments", segments}})}, 1,
                    "MISSING_PARAMETER", "name");
  expect_item_error({valid_item(), create({{"name", ""}, {"audience_type", "FLEXIBLE"}, {"segments", segments}})}, 1,
                    "INVALID_PARAMETER", "name");
  expect_item_error({valid_item(), create({{"name", "n"}, {"segments", segments}})}, 1, "MISSING_PARAMETER",
                    "audience_type");
  expect_item_error({valid_item(), create({{"name", "n"}, {"audience_type", "CRM"}, {"segments", segments}})}, 1,
                    "INVALID_PARAMETER", "audience_type");
  expect_item_error({create({{"name", "n"}, {"audience_type", "FLEXIBLE"}}), valid_item()}, 0, "MISSING_PARAMETER",
                    "segments");
  expect_item_error(
      {valid_item(), create({{"name", "n"}, {"audience_type", "MOBILE_AUDIENCE"}, {"segments", segments}})}, 1,
      "INVALID_PARAMETER", "segments");
  EXPECT_EQ(violations(rule::invalid_body), 0u);  // semantic errors, not a malformed body
}

TEST_F(TwitterBatchTest, SegmentTreesAreChecked) {
  const auto with_leaf = [&](json::object node) { return flexible("n", {std::move(node)}); };
  json::object no_operator = flexible("n", {leaf(crm[0])});
  no_operator["params"].as_object()["segments"].as_object().erase("boolean_operator");
  expect_item_error({valid_item(), no_operator}, 1, "MISSING_PARAMETER", "boolean_operator");
  expect_item_error({valid_item(), flexible("n", {leaf(crm[0])}, "XOR")}, 1, "INVALID_PARAMETER", "boolean_operator");
  expect_item_error({valid_item(), flexible("n", {})}, 1, "INVALID_PARAMETER", "child_segments");

  json::object nested_group{{"child_segments", json::array{leaf(crm[1]), leaf(crm[2])}}};
  expect_item_error({valid_item(), flexible("n", {leaf(crm[0]), nested_group})}, 1, "MISSING_PARAMETER",
                    "boolean_operator");

  json::object comparator = leaf(crm[0]);
  comparator["frequency_comparator"] = "NUM_NE";
  expect_item_error({valid_item(), with_leaf(comparator)}, 1, "INVALID_PARAMETER", "frequency_comparator");
  expect_item_error({valid_item(), with_leaf(leaf(crm[0], 3))}, 1, "INVALID_PARAMETER", "lookback_window");
  json::object no_lookback = leaf(crm[0]);
  no_lookback.erase("lookback_window");
  expect_item_error({valid_item(), with_leaf(no_lookback)}, 1, "MISSING_PARAMETER", "lookback_window");
  json::object zero_frequency = leaf(crm[0]);
  zero_frequency["frequency"] = 0;
  expect_item_error({valid_item(), with_leaf(zero_frequency)}, 1, "INVALID_PARAMETER", "frequency");
  json::object leaf_with_children = leaf(crm[0]);
  leaf_with_children["child_segments"] = json::array{leaf(crm[1])};
  expect_item_error({valid_item(), with_leaf(leaf_with_children)}, 1, "INVALID_PARAMETER", "child_segments");
  EXPECT_EQ(violations(rule::invalid_body), 0u);
}

TEST_F(TwitterBatchTest, SegmentsMustNameLiveAudiences) {
  expect_item_error({valid_item(), flexible("n", {leaf("nosuchid")})}, 1, "INVALID_PARAMETER", "tailored_audience_id");
  const auto all = list_all("count=1000&with_deleted=true");
  const auto deleted = std::find_if(all.begin(), all.end(), [](const auto& a) { return a.at("deleted").as_bool(); });
  ASSERT_NE(deleted, all.end());
  expect_item_error({flexible("n", {leaf(str(deleted->at("id")))})}, 0, "INVALID_PARAMETER", "tailored_audience_id");
  // Deleted earlier in the same batch counts as deleted.
  const json::object remove_first{{"operation_type", "Delete"}, {"params", {{"tailored_audience_id", crm[0]}}}};
  expect_item_error({remove_first, valid_item()}, 1, "INVALID_PARAMETER", "tailored_audience_id");
}

TEST_F(TwitterBatchTest, AFlexibleAudienceHasAtMostTenLeaves) {
  json::array ten;
  for (std::size_t i = 0; i < 10; ++i) ten.emplace_back(leaf(crm[i]));
  json::array eleven = ten;
  eleven.emplace_back(leaf(crm[10]));
  // The limit is on the whole tree, nested groups included.
  json::array nested{json::object{{"boolean_operator", "OR"}, {"child_segments", ten}}, leaf(crm[10])};
  expect_item_error({valid_item(), flexible("eleven", eleven)}, 1, "INVALID_PARAMETER", "segments");
  expect_item_error({flexible("nested", nested)}, 0, "INVALID_PARAMETER", "segments");
  EXPECT_EQ(send_items({flexible("ten", ten)}).status, 200u);
}

TEST_F(TwitterBatchTest, WrongJsonTypesInsideParamsAreAnInvalidBody) {
  const json::object segments{{"boolean_operator", "AND"}, {"child_segments", json::array{leaf(crm[0])}}};
  expect_item_error({{{"operation_type", "Create"},
                      {"params", {{"name", 5}, {"audience_type", "FLEXIBLE"}, {"segments", segments}}}}},
                    0, "INVALID_PARAMETER", "name");
  json::object negate = leaf(crm[0]);
  negate["negate"] = "yes";
  expect_item_error({valid_item(), flexible("n", {negate})}, 1, "INVALID_PARAMETER", "negate");
  json::object lookback = leaf(crm[0]);
  lookback["lookback_window"] = "30";
  expect_item_error({valid_item(), flexible("n", {lookback})}, 1, "INVALID_PARAMETER", "lookback_window");
  EXPECT_EQ(violations(rule::invalid_body), 3u);
}

TEST_F(TwitterBatchTest, UpdatesAndDeletesNeedAnAudienceTheAccountMayChange) {
  const auto op = [](std::string_view type, json::object params) {
    return json::object{{"operation_type", type}, {"params", std::move(params)}};
  };
  expect_item_error({op("Update", {{"name", "x"}})}, 0, "MISSING_PARAMETER", "tailored_audience_id");
  expect_item_error({op("Delete", {{"tailored_audience_id", "nosuchid"}})}, 0, "NOT_FOUND", "tailored_audience_id");
  const std::string shared = ids_of("count=1000&permission_scope=SHARED").front();
  expect_item_error({op("Delete", {{"tailored_audience_id", shared}})}, 0, "ACTION_NOT_ALLOWED",
                    "tailored_audience_id");
  const std::string flexible_id = ids_of("count=1000", "FLEXIBLE").front();
  expect_item_error({valid_item(), op("Update", {{"tailored_audience_id", flexible_id}, {"name", "x"}})}, 1,
                    "ACTION_NOT_ALLOWED", "tailored_audience_id");
}

TEST_F(TwitterBatchTest, AFailedBatchChangesNothing) {
  const json::array items{
      {{"operation_type", "Delete"}, {"params", {{"tailored_audience_id", crm[5]}}}},
      {{"operation_type", "Update"}, {"params", {{"tailored_audience_id", crm[6]}, {"name", "changed"}}}},
      flexible("bad", {leaf("nosuchid")})};
  const std::string name_before = str(get(crm[6]).object().at("data").at("name"));
  expect_item_error(items, 2, "INVALID_PARAMETER", "tailored_audience_id");
  EXPECT_EQ(get(crm[5]).status, 200u);
  EXPECT_EQ(str(get(crm[6]).object().at("data").at("name")), name_before);
}

TEST_F(TwitterBatchTest, DuplicateNamesAreCountedWithinAndAcrossBatches) {
  ASSERT_EQ(send_items({valid_item("same"), valid_item("same")}).status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 1u);
  ASSERT_EQ(create("name=same").status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 2u);
}

}  // namespace
}  // namespace ab::sim::test
