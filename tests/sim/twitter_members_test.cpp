// B8, audience membership: users added and removed as SHA-256 hex, the
// 2,500-user and 5,000,000-byte limits, its own 1,500-a-minute window shown
// in x-rate-limit-*, operation_errors by index, the referee's raw_pii_sent,
// and the member set a test compares with its file.
#include "sim/support/twitter_fixture.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ab::sim::test {
namespace {

namespace json = boost::json;

const std::string kHash(64, 'a');
const std::string kOtherHash(64, 'b');

json::object item(std::string_view op, json::object user) {
  return {{"operation_type", op}, {"params", {{"users", json::array{std::move(user)}}}}};
}

// One operation carrying many users.
json::object operation(std::string_view op, json::array users) {
  return {{"operation_type", op}, {"params", {{"users", std::move(users)}}}};
}

std::string hash_of(int i) {
  std::string h = std::to_string(i);
  h.resize(64, 'c');
  return h;
}

class TwitterMembersTest : public TwitterApiTest {
 protected:
  void SetUp() override {
    const auto crm = owned_crm_ids();
    ASSERT_FALSE(crm.empty());
    audience = crm.front();
  }
  TwReply users(const json::array& items, std::string_view id = {}) {
    return send(boost::beast::http::verb::post,
                audiences_path() + "/" + std::string(id.empty() ? audience : id) + "/users", json::serialize(items),
                "application/json");
  }
  json::object members() const {
    auto seen = api->inspect("tw/members/" + audience);
    return seen ? seen->as_object() : json::object{};
  }
  std::string audience;
};

TEST_F(TwitterMembersTest, AddsAndRemovesHashedUsersAndCountsThem) {
  auto reply = users({item("Update", {{"email", {kHash}}, {"partner_user_id", {"crm-1"}}}),
                      item("Update", {{"handle", {kOtherHash}}})});
  ASSERT_EQ(reply.status, 200u) << reply.raw.body();
  EXPECT_EQ(reply.object().at("data").at("success_count").to_number<int>(), 2);
  EXPECT_EQ(reply.object().at("data").at("total_count").to_number<int>(), 2);
  EXPECT_FALSE(reply.header("x-rate-limit-remaining").empty());
  EXPECT_EQ(reply.header("x-rate-limit-limit"), "1500");
  EXPECT_EQ(members(), (json::object{{"email", {kHash}}, {"handle", {kOtherHash}}, {"partner_user_id", {"crm-1"}}}));

  reply = users({item("Delete", {{"email", {kHash}}}), item("Delete", {{"twitter_id", {kHash}}})});
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(members(), (json::object{{"handle", {kOtherHash}}, {"partner_user_id", {"crm-1"}}}));
  EXPECT_EQ(api->store_stats().at("tw_members").at(audience).to_number<int>(), 2);
  EXPECT_EQ(referee.total_violations(), 0u);
}

TEST_F(TwitterMembersTest, ARawIdentifierIsRefusedByIndexAndCountedAndNothingChanges) {
  auto reply = users({item("Update", {{"email", {kHash}}}), item("Update", {{"email", {"Jane@Example.com"}}}),
                      item("Update", {{"handle", {std::string(64, 'A')}}})});
  ASSERT_EQ(reply.status, 400u);
  const auto& errors = reply.object().at("operation_errors").as_array();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_TRUE(errors[0].as_array().empty());
  EXPECT_EQ(errors[1].as_array()[0].at("index").to_number<int>(), 1);
  EXPECT_EQ(str(errors[1].as_array()[0].at("parameter")), "email");
  EXPECT_FALSE(errors[2].as_array().empty()) << "upper-case hex is not what X takes";
  EXPECT_EQ(violations(rule::raw_pii_sent), 2u);
  EXPECT_TRUE(members().empty());
}

TEST_F(TwitterMembersTest, MoreThan2500UsersOrMoreThan5000000BytesAreRefusedAndCounted) {
  json::array items;
  for (int i = 0; i < 2501; ++i) items.push_back(item("Update", {{"email", {kHash}}}));
  EXPECT_EQ(users(items).status, 400u);
  EXPECT_EQ(violations(rule::members_over_2500), 1u);
  items.pop_back();
  EXPECT_EQ(users(items).status, 200u);

  json::array big{item("Update", {{"partner_user_id", {std::string(5'000'000, 'p')}}})};
  EXPECT_EQ(users(big).status, 413u);
  EXPECT_EQ(violations(rule::members_body_over_limit), 1u);
}

TEST_F(TwitterMembersTest, GroupedOperationsCarryManyUsersAndAreAppliedInTheRequestsOrder) {
  const json::object a{{"email", {kHash}}}, b{{"email", {kOtherHash}}};
  auto reply = users({operation("Update", {a, b}), operation("Delete", {a})});
  ASSERT_EQ(reply.status, 200u) << reply.raw.body();
  EXPECT_EQ(reply.object().at("data").at("success_count").to_number<int>(), 3) << "users, not operations";
  EXPECT_EQ(reply.object().at("data").at("total_count").to_number<int>(), 3);
  EXPECT_EQ(members(), (json::object{{"email", {kOtherHash}}})) << "the add, then the remove";
  reply = users({operation("Delete", {b}), operation("Update", {a, b})});
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(members(), (json::object{{"email", {kHash, kOtherHash}}})) << "the remove, then the add";
  EXPECT_EQ(referee.total_violations(), 0u);
}

TEST_F(TwitterMembersTest, AnErrorInsideAGroupedOperationNamesItsUserByUserIndex) {
  auto reply = users({operation("Update", {json::object{{"email", {kHash}}}}),
                      operation("Delete", {json::object{{"email", {kHash}}}, json::object{{"email", {kOtherHash}}},
                                           json::object{{"handle", {"@AdsAPI"}}}})});
  ASSERT_EQ(reply.status, 400u);
  const auto& errors = reply.object().at("operation_errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_TRUE(errors[0].as_array().empty());
  ASSERT_EQ(errors[1].as_array().size(), 1u);
  const auto& error = errors[1].as_array()[0];
  EXPECT_EQ(error.at("index").to_number<int>(), 1);
  EXPECT_EQ(error.at("user_index").to_number<int>(), 2);
  EXPECT_EQ(str(error.at("code")), "INVALID_PARAMETER");
  EXPECT_EQ(str(error.at("parameter")), "handle");
  EXPECT_EQ(violations(rule::raw_pii_sent), 1u);
  EXPECT_TRUE(members().empty()) << "all or nothing";
}

TEST_F(TwitterMembersTest, The2500LimitCountsUsersAcrossGroupedOperations) {
  json::array first, second;
  for (int i = 0; i < 1250; ++i) first.push_back(json::object{{"email", {hash_of(i)}}});
  for (int i = 1250; i < 2501; ++i) second.push_back(json::object{{"email", {hash_of(i)}}});
  EXPECT_EQ(users({operation("Update", first), operation("Delete", second)}).status, 400u);
  EXPECT_EQ(violations(rule::members_over_2500), 1u);
  second.pop_back();
  const auto reply = users({operation("Update", first), operation("Delete", second)});
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.object().at("data").at("total_count").to_number<int>(), 2500);
  EXPECT_EQ(api->store_stats().at("tw_members").at(audience).to_number<int>(), 1250);
}

TEST_F(TwitterMembersTest, ItsOwnWindowRefusesTheRequestOverItsLimit) {
  config.members_limit = 2;
  restart(config);
  SetUp();
  const json::array one{item("Update", {{"email", {kHash}}})};
  EXPECT_EQ(users(one).status, 200u);
  EXPECT_EQ(users(one).status, 200u);
  const auto refused = users(one);
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.header("x-rate-limit-remaining"), "0");
  EXPECT_EQ(violations(rule::members_over_budget), 1u);
}

TEST_F(TwitterMembersTest, UnknownOrFlexibleAudiencesAreRefused) {
  EXPECT_EQ(users({item("Update", {{"email", {kHash}}})}, "nosuchid").status, 404u);
  const auto flexible = ids_of("count=1000", "FLEXIBLE");
  ASSERT_FALSE(flexible.empty());
  EXPECT_EQ(users({item("Update", {{"email", {kHash}}})}, flexible.front()).status, 403u);
}

}  // namespace
}  // namespace ab::sim::test
