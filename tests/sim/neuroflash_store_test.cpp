// The compact neuroflash store (issue 22): what each mode keeps, that it finds
// audiences by their ids and catches a create sent twice as before, and how
// many bytes an audience costs (a bound, in docs/simulator.md).
#include "sim/store/audience_ids.hpp"
#include "sim/store/hash_slots.hpp"
#include "sim/neuroflash/profile.hpp"
#include "sim/neuroflash/store.hpp"
#include "sim/store/text_arena.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <random>
#include <string>

namespace ab::sim::test {
namespace {

namespace json = boost::json;

// The documented bounds: bytes an audience, all of the store's arrays,
// arenas, pools and tables counted, measured at 100,000 bench-like audiences.
constexpr double full_bytes_per_audience_bound = 96;
constexpr double ids_bytes_per_audience_bound = 24;

const SystemTime now{std::chrono::seconds{1'750'000'000}};

// A valid create profile varied like bench/gen_job.py's rows, through check_profile as the handler does.
json::object bench_profile(std::size_t i, std::mt19937_64& random) {
  static constexpr std::array<std::string_view, 5> splits{
      R"({"female":0.5,"male":0.4,"nonBinary":0.07,"preferNotToSay":0.03})",
      R"({"female":0.7,"male":0.1,"nonBinary":0.1,"preferNotToSay":0.1})",
      R"({"female":0.35,"male":0.35,"nonBinary":0.21,"preferNotToSay":0.09})",
      R"({"female":0.25,"male":0.25,"nonBinary":0.25,"preferNotToSay":0.25})",
      R"({"female":0.48,"male":0.47,"nonBinary":0.03,"preferNotToSay":0.02})"};
  static constexpr std::array<std::string_view, 7> countries{"US", "DE", "FR", "GB", "ES", "IT", "NL"};
  static constexpr std::array<std::string_view, 8> interests{"AI", "content marketing", "SEO", "e-commerce",
                                                             "fitness", "travel", "gaming", "finance"};
  json::object body;
  body["name"] = "Bench audience " + std::to_string(i);
  body["genderDistribution"] = json::parse(splits[i % splits.size()]);
  body["country"] = countries[random() % countries.size()];
  const auto min_age = static_cast<std::int64_t>(18 + random() % 32);
  body["minAge"] = min_age;
  body["maxAge"] = min_age + static_cast<std::int64_t>(5 + random() % 25);
  json::array picked;
  for (std::size_t n = 1 + random() % 3; n > 0; --n) picked.emplace_back(interests[random() % interests.size()]);
  body["interests"] = std::move(picked);
  body["needs"] = json::array{"save time"};
  body["nativeLanguage"] = "en";
  body["shared"] = random() % 2 == 0;
  auto check = check_profile(body, ProfileUse::create);
  EXPECT_TRUE(check.ok());
  return check.profile;
}

json::object profile_named(std::string_view name) {
  json::object body{{"name", name},
                    {"genderDistribution", json::parse(R"({"female":0.5,"male":0.4,"nonBinary":0.07,"preferNotToSay":0.03})")}};
  return check_profile(body, ProfileUse::create).profile;
}

double bytes_per_audience(const NeuroflashStore& store) { return store.stats().at("nf_bytes_per_audience").to_number<double>(); }

// Bytes per audience after 100,000 bench-like creates, recorded in the test's XML output.
double bytes_after_bench_creates(NeuroflashStore& store) {
  std::mt19937_64 random(7);
  const std::string workspace = store.workspaces().front().id;
  for (std::size_t i = 0; i < 100'000; ++i) store.create(workspace, bench_profile(i, random), now);
  const double per_audience = bytes_per_audience(store);
  ::testing::Test::RecordProperty("bytes_per_audience", std::to_string(per_audience));
  EXPECT_EQ(store.stats().at("nf_audiences"), 100'000);
  return per_audience;
}

TEST(NeuroflashStore, FullModeStaysUnderItsBytesPerAudienceBound) {
  NeuroflashStore store(1, SimStore::full);
  const double per_audience = bytes_after_bench_creates(store);
  EXPECT_LT(per_audience, full_bytes_per_audience_bound);
  EXPECT_GT(per_audience, 40) << "the profile's packed fields and the name alone take more";
  EXPECT_EQ(store.stats().at("nf_store"), "full");
}

TEST(NeuroflashStore, IdsModeStaysUnderItsBytesPerAudienceBound) {
  NeuroflashStore store(1, SimStore::ids);
  const double per_audience = bytes_after_bench_creates(store);
  EXPECT_LT(per_audience, ids_bytes_per_audience_bound);
  EXPECT_GT(per_audience, 9) << "a flag byte and an 8-byte fingerprint at least";
  EXPECT_EQ(store.stats().at("nf_store"), "ids");
}

TEST(NeuroflashStore, FullModeReadsBackWhatItAnswered) {
  NeuroflashStore store(1, SimStore::full);
  std::mt19937_64 random(3);
  const std::string workspace = store.workspaces().back().id;
  std::vector<std::pair<NeuroflashStore::Ref, std::string>> created;
  for (std::size_t i = 0; i < 500; ++i) {
    auto written = store.create(workspace, bench_profile(i, random), now);
    created.emplace_back(written.audience, written.answer);
  }
  for (const auto& [ref, answer] : created) {
    const std::string id = store.id(ref);
    auto found = store.find(workspace, id);
    ASSERT_TRUE(found) << id;
    EXPECT_EQ(store.answer(*found), answer);
    EXPECT_EQ(json::parse(answer).at("id"), json::value(id));
    EXPECT_FALSE(store.find(store.workspaces().front().id, id)) << "another workspace's audience";
  }
}

TEST(NeuroflashStore, IdsModeAnswersCreatesInFullButKeepsNoProfile) {
  NeuroflashStore full(5, SimStore::full);
  NeuroflashStore ids(5, SimStore::ids);
  const std::string workspace = full.workspaces().front().id;
  ASSERT_EQ(ids.workspaces().front().id, workspace) << "the same seed gives the same account";
  const auto profile = profile_named("Only ids kept");
  const auto from_full = full.create(workspace, profile, now);
  const auto from_ids = ids.create(workspace, profile, now);
  EXPECT_EQ(from_ids.answer, from_full.answer) << "the same answer, the same id";
  auto found = ids.find(workspace, ids.id(from_ids.audience));
  ASSERT_TRUE(found);
  EXPECT_FALSE(ids.answer(*found)) << "nothing to read back";
  // The foreign audiences are kept whole in both modes.
  const auto foreign = ids.stats().at("nf_foreign_ids").as_array();
  auto seeded = ids.find(workspace, foreign.at(0).as_string());
  ASSERT_TRUE(seeded);
  EXPECT_FALSE(ids.client_owns(*seeded));
  EXPECT_EQ(ids.answer(*seeded), full.answer(*full.find(workspace, foreign.at(0).as_string())));
}

TEST(NeuroflashStore, ACreateSentTwiceIsCaughtInBothModes) {
  for (SimStore mode : {SimStore::full, SimStore::ids}) {
    NeuroflashStore store(1, mode);
    const std::string one = store.workspaces().front().id;
    const std::string two = store.workspaces().back().id;
    const auto first = store.create(one, profile_named("Twice"), now);
    EXPECT_FALSE(first.duplicate);
    EXPECT_TRUE(store.create(one, profile_named("Twice"), now).duplicate);
    EXPECT_FALSE(store.create(two, profile_named("Twice"), now).duplicate) << "another workspace";
    EXPECT_FALSE(store.create(one, profile_named("Twice, renamed"), now).duplicate);
    auto other_split = profile_named("Twice");
    other_split["genderDistribution"] = json::parse(R"({"female":0.25,"male":0.25,"nonBinary":0.25,"preferNotToSay":0.25})");
    EXPECT_FALSE(store.create(one, other_split, now).duplicate) << "same name, other profile";

    // Gone or changed, an audience no longer makes a create a duplicate.
    NeuroflashStore fresh(1, mode);
    const auto kept = fresh.create(one, profile_named("Changed"), now);
    fresh.replace(kept.audience, profile_named("Changed again"), now);
    EXPECT_FALSE(fresh.create(one, profile_named("Changed"), now).duplicate);
    EXPECT_TRUE(fresh.create(one, profile_named("Changed again"), now).duplicate);
    const auto erased = fresh.create(one, profile_named("Erased"), now);
    fresh.erase(erased.audience);
    EXPECT_FALSE(fresh.find(one, fresh.id(erased.audience)));
    EXPECT_FALSE(fresh.create(one, profile_named("Erased"), now).duplicate);
    EXPECT_EQ(fresh.stats().at("nf_audiences"), 4);
  }
}

TEST(AudienceIds, EveryNumberComesBackAndNothingElseIsOurs) {
  const AudienceIds ids(0x1234, 0x5678);
  std::mt19937_64 random(11);
  for (int i = 0; i < 20'000; ++i) {
    const std::uint64_t n = i < 10'000 ? static_cast<std::uint64_t>(i) : random() >> 20;
    const std::string text = ids.text(n);
    ASSERT_EQ(text.size(), 36u);
    ASSERT_EQ(text[14], '4') << text << ": a version-4 UUID";
    ASSERT_NE(std::string_view("89ab").find(text[19]), std::string_view::npos) << text;
    ASSERT_EQ(ids.number(text), n) << text;
    std::string changed = text;
    changed[30] = changed[30] == '0' ? '1' : '0';
    ASSERT_FALSE(ids.number(changed)) << changed;
  }
  std::string upper = ids.text(42);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_FALSE(ids.number(upper)) << "ids are compared exactly, as before";
  EXPECT_FALSE(ids.number("00000000-0000-4000-8000-000000000000"));
  EXPECT_FALSE(ids.number("not-an-id"));
  EXPECT_NE(AudienceIds(1, 2).text(0), AudienceIds(3, 4).text(0));
}

TEST(HashSlots, FindsWhatWasInsertedAndForgetsWhatWasErased) {
  // Few distinct hashes, so that probe chains are long and erasures move entries.
  std::vector<std::uint64_t> hash_of_slot;
  std::map<std::uint32_t, bool> present;
  HashSlots slots;
  auto hash_of = [&](std::uint32_t s) { return hash_of_slot[s]; };
  std::mt19937_64 random(5);
  for (std::uint32_t s = 0; s < 5'000; ++s) {
    hash_of_slot.push_back(random() % 64);
    slots.insert(s, hash_of_slot[s], hash_of);
    present[s] = true;
    if (random() % 3 == 0) {
      const auto victim = static_cast<std::uint32_t>(random() % (s + 1));
      if (present[victim]) slots.erase(victim, hash_of_slot[victim], hash_of);
      present[victim] = false;
    }
  }
  std::size_t live = 0;
  for (const auto& [s, here] : present) {
    live += here;
    const auto found = slots.find(hash_of_slot[s], [&](std::uint32_t other) { return other == s; });
    EXPECT_EQ(found.has_value(), here) << s;
  }
  EXPECT_EQ(slots.size(), live);
}

TEST(TextArena, KeepsShortAndLongTextsWhole) {
  TextArena arena;
  std::vector<std::pair<TextArena::Ref, std::string>> kept;
  for (std::size_t size : {0u, 1u, 127u, 128u, 255u, 65'533u, 65'536u, 70'000u, 1'048'575u, 3'000'000u, 12u}) {
    std::string text(size, static_cast<char>('a' + size % 26));
    kept.emplace_back(arena.add(text), text);
  }
  for (int i = 0; i < 200'000; ++i) {
    std::string text = "name " + std::to_string(i);
    kept.emplace_back(arena.add(text), text);
  }
  for (const auto& [ref, text] : kept) ASSERT_EQ(arena.get(ref), text);
}

}  // namespace
}  // namespace ab::sim::test
