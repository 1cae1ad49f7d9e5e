// The neuroflash handler on the ids-only store (--sim-store ids): creates,
// PUTs and DELETEs are answered and refereed as on the full store; reading a
// created audience back is refused with a reason, not half answered.
#include "sim/neuroflash/store.hpp"
#include "sim/support/neuroflash_fixture.hpp"

#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

class NeuroflashIdsStoreTest : public NeuroflashApiTest {
 protected:
  NeuroflashIdsStoreTest() {
    NeuroflashConfig ids = config;
    ids.store = SimStore::ids;
    restart(ids);
  }
};

TEST_F(NeuroflashIdsStoreTest, CreateAnswersInFullGetIsRefusedWithAReason) {
  auto created = create(seed_profile());
  ASSERT_EQ(created.status, 201u) << created.raw.body();
  for (const auto& [key, value] : seed_profile()) EXPECT_EQ(created.body.at(key), value) << key;
  const std::string id(created.body.at("id").as_string());
  EXPECT_EQ(created.header("Location"), audience_path(id));
  EXPECT_TRUE(created.body.as_object().contains("createdAt"));

  auto fetched = call(http::verb::get, audience_path(id));
  EXPECT_EQ(fetched.status, 409u);
  EXPECT_EQ(fetched.body.at("code"), "SIM_STORE_IDS_ONLY");
  EXPECT_EQ(last_endpoint, "nf.get");

  // The foreign audiences are still read in full, and still read-only.
  const auto foreign = foreign_ids();
  auto theirs = call(http::verb::get, audience_path(foreign.at(0)));
  ASSERT_EQ(theirs.status, 200u);
  EXPECT_EQ(theirs.body.at("createdBy"), json::value(NeuroflashStore::foreign_user));
  EXPECT_EQ(call(http::verb::delete_, audience_path(foreign.at(0))).status, 403u);
  EXPECT_EQ(referee.total_violations(), 0u);
}

TEST_F(NeuroflashIdsStoreTest, PutAndDeleteAreCheckedAsOnTheFullStore) {
  const auto id = create_id(seed_profile());
  auto changed = seed_profile();
  changed["name"] = "Senior marketing leaders";
  now += std::chrono::seconds(5);
  auto put = call(http::verb::put, audience_path(id), changed);
  ASSERT_EQ(put.status, 200u) << put.raw.body();
  EXPECT_EQ(put.body.at("name"), "Senior marketing leaders");
  EXPECT_EQ(put.body.at("id"), json::value(id));

  json::object partial{{"name", "Only a name"}};
  EXPECT_EQ(call(http::verb::put, audience_path(id), partial).status, 400u);
  EXPECT_EQ(violations(rule::partial_put), 1u);

  // A create of the profile the PUT left is a duplicate; of the one it replaced, not.
  EXPECT_EQ(create(changed).status, 201u);
  EXPECT_EQ(violations(rule::duplicate_create), 1u);
  EXPECT_EQ(create(seed_profile()).status, 201u);
  EXPECT_EQ(violations(rule::duplicate_create), 1u);

  EXPECT_EQ(call(http::verb::delete_, audience_path(id)).status, 204u);
  EXPECT_EQ(call(http::verb::delete_, audience_path(id)).status, 404u);
  EXPECT_EQ(call(http::verb::get, audience_path(id)).status, 404u);
}

}  // namespace
}  // namespace ab::sim::test
