// tw.members: normalization and hashing of each identifier type, a row made
// into one operation item, rows grouped into operations of many users within
// requests of 2,500 users and 5,000,000 bytes, answers read back onto rows
// (operation_errors naming a user or only an operation, short counts, lost
// answers), and adds and removes of one audience kept in the file's order.
#include "twitter_support.hpp"

#include "jobs/twitter/audience_turns.hpp"
#include "jobs/twitter/member_identifiers.hpp"
#include "jobs/twitter/member_requests.hpp"
#include "jobs/twitter/member_task.hpp"
#include "jobs/twitter/sha256.hpp"

#include <boost/json/parse.hpp>

namespace ab::tw::testing {
namespace {

constexpr const char* kAdsApiHash = "49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d";

// --- SHA-256 -----------------------------------------------------------------

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex("adsapi"), kAdsApiHash);  // API.md §B8's own vector
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, RecognisesAHashInAnyCaseAndNothingElse) {
  EXPECT_TRUE(is_sha256_hex(kAdsApiHash));
  EXPECT_TRUE(is_sha256_hex("49E0BE2AECCFB51A8DEE4C945C8A70A9AC500CF6F5CB08112575F74DB9B1470D"));
  EXPECT_FALSE(is_sha256_hex(std::string(kAdsApiHash).substr(1)));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a') + "g"));
}

// --- normalization -------------------------------------------------------------

struct Case {
  IdentifierType type;
  std::string cell;
  std::string normalized;  // "" when the cell is invalid
  std::string error_part = {};
};

class Normalization : public ::testing::TestWithParam<Case> {};

TEST_P(Normalization, GivesTheValueThatIsHashed) {
  const Case& c = GetParam();
  const Identifier id = normalize_identifier(c.type, c.cell);
  if (c.normalized.empty()) {
    EXPECT_FALSE(id.ok()) << "accepted as " << id.value;
    EXPECT_NE(id.error.find(c.error_part), std::string::npos) << id.error;
    // An error never repeats what was in the cell.
    const auto trimmed = std::string(trim_unicode_space(c.cell));
    if (trimmed.size() > 2) {
      EXPECT_EQ(id.error.find(trimmed), std::string::npos) << id.error;
    }
  } else {
    ASSERT_TRUE(id.ok()) << id.error;
    EXPECT_EQ(id.value, c.normalized);
  }
}

using T = IdentifierType;
INSTANTIATE_TEST_SUITE_P(
    EachType, Normalization,
    ::testing::Values(
        // email: trimmed, lower-cased
        Case{T::email, "  Jane.Doe@Example.COM ", "jane.doe@example.com"},
        Case{T::email, "\tjane@example.com\r\n", "jane@example.com"},
        Case{T::email, "\xC2\xA0jane@example.com\xE3\x80\x80", "jane@example.com"},   // no-break, ideographic space
        Case{T::email, "\xEF\xBB\xBF\xE2\x80\x8Bjane@example.com", "jane@example.com"},  // BOM, zero-width space
        Case{T::email, "J\xC3\x9CRGEN@M\xC3\x9CNCHEN.DE", "j\xC3\xBCrgen@m\xC3\xBCnchen.de"},  // Ü -> ü
        Case{T::email, "\xCE\x94\xCE\x97\xCE\x9C\xCE\x97\xCE\xA4\xCE\xA1\xCE\x97\xCE\xA3@x.gr",
             "\xCE\xB4\xCE\xB7\xCE\xBC\xCE\xB7\xCF\x84\xCF\x81\xCE\xB7\xCF\x83@x.gr"},  // Greek capitals
        Case{T::email, "\xD0\x98\xD0\x92\xD0\x90\xD0\x9D@\xD0\xBF\xD0\xBE\xD1\x87\xD1\x82\xD0\xB0.\xD1\x80\xD1\x84",
             "\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD@\xD0\xBF\xD0\xBE\xD1\x87\xD1\x82\xD0\xB0.\xD1\x80\xD1\x84"},  // Cyrillic
        Case{T::email, "\xE5\xBC\xA0\xE4\xBC\x9F@example.cn", "\xE5\xBC\xA0\xE4\xBC\x9F@example.cn"},  // no case
        Case{T::email, "jane.example.com", "", "no @"},
        Case{T::email, "@example.com", "", "nothing before the @"},
        Case{T::email, "jane@", "", "no domain"},
        Case{T::email, "jane doe@example.com", "", "white space inside"},
        Case{T::email, "   ", "", "only white space"},
        // handle: no @, lower-cased, trimmed; API.md's own example
        Case{T::handle, "@AdsAPI", "adsapi"},
        Case{T::handle, " AdsAPI\t", "adsapi"},
        Case{T::handle, "@", "", "no handle"},
        Case{T::handle, "@ads api", "", "letters a-z, digits and _"},
        Case{T::handle, "@ads-api", "", "letters a-z, digits and _"},
        // twitter_id: the integer's digits
        Case{T::twitter_id, " 143567 ", "143567"},
        Case{T::twitter_id, "000143567", "143567"},
        Case{T::twitter_id, "18446744073709551615", "18446744073709551615"},
        Case{T::twitter_id, "18446744073709551616", "", "larger than"},
        Case{T::twitter_id, "12a45", "", "digits 0-9 only"},
        Case{T::twitter_id, "1.43567E+5", "", "digits 0-9 only"},
        Case{T::twitter_id, "-143567", "", "digits 0-9 only"},
        // device_id: IDFA / AdID lower-case with dashes; Android id without dashes or spaces
        Case{T::device_id, "4B61639E-47CC-4056-A16A-C8217E029462", "4b61639e-47cc-4056-a16a-c8217e029462"},
        Case{T::device_id, "4b61639e47cc4056a16ac8217e029462", "4b61639e-47cc-4056-a16a-c8217e029462"},
        Case{T::device_id, " AF3802A465767E36 ", "af3802a465767e36"},
        Case{T::device_id, "af38-02a4 6576-7e36", "af3802a465767e36"},
        Case{T::device_id, "4b61639e-47cc-4056-a16a", "", "neither an advertising id"},
        Case{T::device_id, "zz3802a465767e36", "", "hex digits"},
        // phone_number: E.164
        Case{T::phone_number, "+1 (415) 555-2671", "+14155552671"},
        Case{T::phone_number, "0049 30 1234567", "+49301234567"},
        Case{T::phone_number, " +44.20.7946.0958 ", "+442079460958"},
        Case{T::phone_number, "415 555 2671", "", "country code"},
        Case{T::phone_number, "+1 415 CALL NOW", "", "digits, +"},
        Case{T::phone_number, "+12345", "", "7 to 15 digits"},
        // partner_user_id: as given, spaces and case kept
        Case{T::partner_user_id, " CRM-42 ", " CRM-42 "},
        // a cell that already is a hash: lower-cased, not normalized again
        Case{T::email, " 49E0BE2AECCFB51A8DEE4C945C8A70A9AC500CF6F5CB08112575F74DB9B1470D ", kAdsApiHash},
        Case{T::handle, kAdsApiHash, kAdsApiHash},
        Case{T::twitter_id, kAdsApiHash, kAdsApiHash},
        Case{T::device_id, kAdsApiHash, kAdsApiHash},
        Case{T::phone_number, kAdsApiHash, kAdsApiHash}));

TEST(IdentifierToSend, HashesTheNormalizedValue) {
  EXPECT_EQ(identifier_to_send(T::handle, "@AdsAPI").value, kAdsApiHash);
  EXPECT_EQ(identifier_to_send(T::email, " Jane@Example.com ").value, sha256_hex("jane@example.com"));
  EXPECT_EQ(identifier_to_send(T::phone_number, "+1 (415) 555-2671").value, sha256_hex("+14155552671"));
}

TEST(IdentifierToSend, APreHashedCellIsNotHashedAgainAndPartnerIdsAreNotHashed) {
  const auto prehashed = identifier_to_send(T::email, "49E0BE2AECCFB51A8DEE4C945C8A70A9AC500CF6F5CB08112575F74DB9B1470D");
  EXPECT_TRUE(prehashed.prehashed);
  EXPECT_EQ(prehashed.value, kAdsApiHash);
  EXPECT_EQ(identifier_to_send(T::partner_user_id, "crm-42").value, "crm-42");
}

// --- a row made into one operation item ---------------------------------------------

class MembersKindTest : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = members_declaration.make(context(clock));
  ScriptedApi api;
};

TEST_F(MembersKindTest, ARowIsOneItemWithEveryIdentifierHashedInOneUser) {
  auto tasks = tasks_of(*kind,
                        "audience_id,operation,email,handle,twitter_id,partner_user_id,effective_at\n"
                        "2906h,add, Jane@Example.com ,@AdsAPI,143567,crm-42,2024-05-01T12:00:00Z\n");
  ASSERT_EQ(tasks.size(), 1u);
  const std::string expected =
      std::string(R"({"operation_type":"Update","params":{"effective_at":"2024-05-01T12:00:00Z","users":[{"email":[")") +
      sha256_hex("jane@example.com") + R"("],"handle":[")" + kAdsApiHash + R"("],"twitter_id":[")" +
      sha256_hex("143567") + R"("],"partner_user_id":["crm-42"]}]}})";
  EXPECT_EQ(tasks[0].body, expected);
  EXPECT_EQ(tasks[0].batch_key, "2906h");
  EXPECT_EQ(tasks[0].batch_bytes, expected.size() + 1);
  EXPECT_EQ(boost::json::parse(tasks[0].body).at("params").at("users").as_array().size(), 1u);
  EXPECT_EQ(tasks[0].body.find("Jane"), std::string::npos);
  EXPECT_EQ(tasks[0].body.find("143567\""), std::string::npos);
}

TEST_F(MembersKindTest, RemoveIsDeleteAndAddIsTheDefault) {
  auto tasks = tasks_of(*kind, "audience_id,operation,handle\n2906h,REMOVE,@a\n2906h,,@b\n");
  EXPECT_TRUE(tasks[0].body.starts_with(R"({"operation_type":"Delete")"));
  EXPECT_TRUE(tasks[1].body.starts_with(R"({"operation_type":"Update")"));
  EXPECT_TRUE(removes(tasks[0]));
  EXPECT_FALSE(removes(tasks[1]));
  EXPECT_TRUE(tasks[0].params.empty());
}

TEST_F(MembersKindTest, InvalidRowsNameTheColumnAndWhyButNotTheValue) {
  auto e = error_of(*kind, "audience_id,email\n2906h,jane.example.com\n");
  EXPECT_EQ(e.column, "email");
  EXPECT_EQ(e.reason, "not an email address: no @");
  e = error_of(*kind, "audience_id,twitter_id\n2906h,12ab\n");
  EXPECT_EQ(e.column, "twitter_id");
  EXPECT_EQ(e.reason.find("12ab"), std::string::npos);
  e = error_of(*kind, "audience_id,email,handle\n2906h,,\n");
  EXPECT_NE(e.reason.find("no identifier"), std::string::npos);
  e = error_of(*kind, "audience_id,operation,handle\n2906h,upsert,@a\n");
  EXPECT_EQ(e.column, "operation");
  e = error_of(*kind, "audience_id,handle,effective_at\n2906h,@a,yesterday\n");
  EXPECT_EQ(e.column, "effective_at");
  e = error_of(*kind, "audience_id,handle,effective_at,expires_at\n2906h,@a,2024-05-02T00:00:00Z,2024-05-01T00:00:00Z\n");
  EXPECT_EQ(e.column, "expires_at");
  e = error_of(*kind, "audience_id,handle\n29/6h,@a\n");
  EXPECT_EQ(e.column, "audience_id");
}

TEST_F(MembersKindTest, ARowLargerThanARequestMayBeIsInvalid) {
  // Job files cap a record at 1 MiB; the guard holds for readers allowed more.
  auto reader = CsvReader::from_string("audience_id,partner_user_id\n2906h," + std::string(5'000'000, 'x') + "\n",
                                       CsvLimits{64 * 1024, 8 * 1024 * 1024});
  auto record = reader.next();
  ASSERT_TRUE(record && std::holds_alternative<Row>(*record));
  const auto result = validate_row(*kind, *record, ColumnChecker(reader.header().names, kind->columns()));
  ASSERT_TRUE(std::holds_alternative<RowError>(result));
  EXPECT_EQ(std::get<RowError>(result).column, "partner_user_id");
}

TEST_F(MembersKindTest, BatchesOneAudienceAtATimeWithinTheLimits) {
  const auto policy = kind->batching();
  EXPECT_EQ(policy.max_rows, 2500u);
  // Items' bytes with a comma each, plus the array's brackets less one comma: 5,000,000.
  EXPECT_EQ(policy.max_bytes, 4'999'999u);
}

// --- requests within the limits --------------------------------------------------------

// Single-user items as member_task writes them.
const std::string kAddA = R"({"operation_type":"Update","params":{"users":[{"a":1}]}})";
const std::string kAddB = R"({"operation_type":"Update","params":{"users":[{"b":2}]}})";
const std::string kRemoveC = R"({"operation_type":"Delete","params":{"users":[{"c":3}]}})";

std::vector<MemberItem> member_items(const std::vector<const std::string*>& texts) {
  std::vector<MemberItem> out;
  for (const auto* t : texts) out.push_back({*t, false});
  return out;
}

TEST(MemberRequests, AtMostMaxItemsAndBodyBytesCountedAsWritten) {
  const auto items = member_items({&kAddA, &kAddB, &kRemoveC, &kAddA, &kAddB, &kAddB, &kAddA});
  auto plan = plan_members_request(items, 3, 1000);
  EXPECT_EQ(plan.items, 3u);
  EXPECT_EQ(plan.operation_users, (std::vector<std::size_t>{2, 1}));
  const std::string body = members_request_body(items, plan);
  EXPECT_EQ(body, R"([{"operation_type":"Update","params":{"users":[{"a":1},{"b":2}]}},)"
                  R"({"operation_type":"Delete","params":{"users":[{"c":3}]}}])");
  EXPECT_EQ(body.size(), plan.body_bytes);
  // The body's bytes as written: exactly at the limit fits, one byte less does not.
  EXPECT_EQ(plan_members_request(items, 10, body.size()).items >= 3, true);
  EXPECT_EQ(plan_members_request(std::span(items).first(3), 10, body.size()).items, 3u);
  EXPECT_EQ(plan_members_request(std::span(items).first(3), 10, body.size() - 1).items, 2u);
  // The first item goes whatever the limits (a row too large alone is invalid before).
  EXPECT_EQ(plan_members_request(items, 10, 1).items, 1u);
}

TEST(MemberRequests, ConsecutiveItemsOfOneHeadShareAnOperationAndAloneOnesGetTheirOwn) {
  const std::string timed_a = R"({"operation_type":"Update","params":{"expires_at":"2027-01-01T00:00:00Z","users":[{"a":1}]}})";
  const std::string timed_b = R"({"operation_type":"Update","params":{"expires_at":"2027-01-01T00:00:00Z","users":[{"b":2}]}})";
  auto items = member_items({&kAddA, &timed_a, &timed_b, &kAddB, &kRemoveC, &kAddA});
  auto plan = plan_members_request(items, 2500, 5'000'000);
  EXPECT_EQ(plan.items, 6u);
  EXPECT_EQ(plan.operation_users, (std::vector<std::size_t>{1, 2, 1, 1, 1})) << "params are part of the group";
  EXPECT_EQ(members_request_body(items, plan),
            R"([{"operation_type":"Update","params":{"users":[{"a":1}]}},)"
            R"({"operation_type":"Update","params":{"expires_at":"2027-01-01T00:00:00Z","users":[{"a":1},{"b":2}]}},)"
            R"({"operation_type":"Update","params":{"users":[{"b":2}]}},)"
            R"({"operation_type":"Delete","params":{"users":[{"c":3}]}},)"
            R"({"operation_type":"Update","params":{"users":[{"a":1}]}}])");
  items = member_items({&kAddA, &kAddB, &kAddA, &kAddB});
  items[1].alone = true;
  plan = plan_members_request(items, 2500, 5'000'000);
  EXPECT_EQ(plan.operation_users, (std::vector<std::size_t>{1, 1, 2}));
  EXPECT_EQ(members_request_body(items, plan).size(), plan.body_bytes);
  EXPECT_EQ(member_item_parts(kAddA).head, R"({"operation_type":"Update","params":{"users":[)");
  EXPECT_EQ(member_item_parts(kAddA).user, R"({"a":1})");
}

// --- answers -------------------------------------------------------------------------

ApiAnswer counts(std::uint64_t success, std::uint64_t total) {
  return answer(200, R"({"data":{"success_count":)" + std::to_string(success) + R"(,"total_count":)" +
                         std::to_string(total) + R"(},"request":{"params":{}}})");
}

ApiAnswer item_errors(std::size_t items, std::initializer_list<std::size_t> bad) {
  boost::json::array list(items, boost::json::array{});
  for (auto i : bad)
    list[i].as_array().push_back(
        {{"code", "INVALID_PARAMETER"}, {"message", "partner_user_id too long"}, {"parameter", "partner_user_id"}, {"index", i}});
  return answer(400, boost::json::serialize(boost::json::object{{"operation_errors", list}, {"request", boost::json::object{}}}));
}

TEST(MembersAnswer, EqualCountsOfTheUsersSentAreApplied) {
  EXPECT_EQ(read_members_answer(counts(3, 3), 3).kind, MembersVerdict::Kind::applied);
  EXPECT_EQ(read_members_answer(counts(2, 3), 3).kind, MembersVerdict::Kind::resend);
  EXPECT_EQ(read_members_answer(counts(2, 2), 3).kind, MembersVerdict::Kind::resend);
  EXPECT_EQ(read_members_answer(answer(200, R"({"data":{}})"), 3).kind, MembersVerdict::Kind::resend);
}

TEST(MembersAnswer, OperationErrorsNameTheirItemsInEitherShape) {
  auto v = read_members_answer(item_errors(3, {1}), 3);
  ASSERT_EQ(v.kind, MembersVerdict::Kind::refused);
  EXPECT_TRUE(v.item_errors[0].empty());
  EXPECT_NE(v.item_errors[1].find("partner_user_id too long"), std::string::npos);
  EXPECT_TRUE(v.item_errors[2].empty());
  // A flat list of errors with their "index".
  v = read_members_answer(
      answer(400, R"({"operation_errors":[{"code":"INVALID_PARAMETER","message":"bad","index":2}]})"), 3);
  ASSERT_EQ(v.kind, MembersVerdict::Kind::refused);
  EXPECT_FALSE(v.item_errors[2].empty());
  EXPECT_TRUE(v.item_errors[0].empty());
}

ApiAnswer user_errors(std::size_t operations, std::initializer_list<std::pair<std::size_t, std::size_t>> bad) {
  boost::json::array list(operations, boost::json::array{});
  for (auto [op, user] : bad)
    list[op].as_array().push_back({{"code", "INVALID_PARAMETER"},
                                   {"message", "partner_user_id too long"},
                                   {"parameter", "partner_user_id"},
                                   {"index", op},
                                   {"user_index", user}});
  return answer(400, boost::json::serialize(boost::json::object{{"operation_errors", list}, {"request", boost::json::object{}}}));
}

TEST(MembersAnswer, AnErrorInsideAGroupedOperationNamesItsUser) {
  const std::vector<std::size_t> operations{2, 3};
  auto v = read_members_answer(user_errors(2, {{1, 2}}), operations);
  ASSERT_EQ(v.kind, MembersVerdict::Kind::refused);
  ASSERT_EQ(v.item_errors.size(), 5u);
  for (std::size_t k : {0, 1, 2, 3}) EXPECT_TRUE(v.item_errors[k].empty()) << k;
  EXPECT_EQ(v.item_errors[4], "HTTP 400: INVALID_PARAMETER: partner_user_id too long (partner_user_id)");
  EXPECT_EQ(std::count(v.alone.begin(), v.alone.end(), true), 0);
  // Without user_index, an error of a grouped operation names nobody: its users go again alone.
  v = read_members_answer(
      answer(400, R"({"operation_errors":[{"code":"INVALID_PARAMETER","message":"bad","index":1}]})"), operations);
  ASSERT_EQ(v.kind, MembersVerdict::Kind::refused);
  EXPECT_EQ(v.alone, (std::vector<bool>{false, false, true, true, true}));
  for (const auto& e : v.item_errors) EXPECT_TRUE(e.empty());
  // A user_index out of its operation's range names nobody either.
  v = read_members_answer(user_errors(2, {{0, 7}}), operations);
  EXPECT_EQ(v.alone, (std::vector<bool>{true, true, false, false, false}));
}

TEST(MembersAnswer, ARequestRefusedAsAWholeFailsEveryItem) {
  auto v = read_members_answer(error_answer(404, "NOT_FOUND", "no tailored audience"), 2);
  EXPECT_EQ(v.kind, MembersVerdict::Kind::failed);
  EXPECT_NE(v.error.find("NOT_FOUND"), std::string::npos);
  EXPECT_EQ(read_members_answer(stopped_answer(), 2).kind, MembersVerdict::Kind::stopped);
}

// --- the kind against a scripted API ----------------------------------------------------

std::string rows_csv(std::size_t n, const std::string& audience = "2906h", const std::string& op = "add") {
  std::string csv = "audience_id,operation,email\n";
  for (std::size_t i = 0; i < n; ++i) csv += audience + "," + op + ",user" + std::to_string(i) + "@example.com\n";
  return csv;
}

// Every user of the request's operations, and an answer counting them all.
std::size_t users_of(const ApiRequest& r) {
  std::size_t n = 0;
  const auto body = boost::json::parse(r.body);
  for (const auto& op : body.as_array()) n += op.at("params").at("users").as_array().size();
  return n;
}
ApiAnswer users_counted(const ApiRequest& r) { return counts(users_of(r), users_of(r)); }

TEST_F(MembersKindTest, SendsOneJsonRequestToTheAudiencesUsersPath) {
  api.push(counts(2, 2));
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(2)));
  ASSERT_EQ(api.sent.size(), 1u);
  const auto& r = api.sent[0];
  EXPECT_EQ(r.method, boost::beast::http::verb::post);
  EXPECT_EQ(r.url, std::string(kAudiences) + "/2906h/users");
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_TRUE(r.replay_safe);
  EXPECT_EQ(r.budgets, (std::vector<std::string>{"tw", "tw.members"}));
  EXPECT_EQ(r.rows, (std::vector<std::size_t>{1, 2}));
  // One operation carrying both users (it was one item per user before rows were grouped).
  const auto body = boost::json::parse(r.body);
  ASSERT_EQ(body.as_array().size(), 1u);
  EXPECT_EQ(body.as_array()[0].at("params").at("users").as_array().size(), 2u);
  EXPECT_EQ(r.body.find("@example.com"), std::string::npos) << "no raw identifier leaves";
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(2).id, "2906h");
  EXPECT_TRUE(sink.responses.empty());
}

TEST_F(MembersKindTest, RefusedItemsFailAndTheOthersAreSentAgainWithoutThem) {
  api.push(user_errors(1, {{0, 1}}));  // the three rows are one operation: its second user
  api.push(counts(2, 2));
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(3)));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[1].rows, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(sink.finished.at(2).status, RowStatus::failed);
  EXPECT_NE(sink.finished.at(2).error.find("partner_user_id too long"), std::string::npos);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(3).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(3).attempts, 2u);
}

TEST_F(MembersKindTest, AShortSuccessCountIsSentAgainAndNeverUnknown) {
  api.push(counts(1, 2));
  api.push(counts(2, 2));
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(2)));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[0].body, api.sent[1].body);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
}

TEST_F(MembersKindTest, AnswersThatStayShortEndFailedWithTheCounts) {
  api = ScriptedApi([](const ApiRequest&) { return counts(0, 2); });
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(2)));
  EXPECT_EQ(api.sent.size(), 9u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_NE(sink.finished.at(1).error.find("success_count 0 and total_count 2"), std::string::npos);
}

TEST_F(MembersKindTest, AStoppedRunLeavesTheRowsForTheNextRun) {
  api.push(stopped_answer());
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(2)));
  // `stopped`: the recorder writes no line for them, so the next run takes them up.
  EXPECT_EQ(sink.finished.size(), 2u);
  for (const auto& [row, result] : sink.finished) EXPECT_EQ(result.status, RowStatus::stopped) << row;
}

TEST_F(MembersKindTest, MoreThanALimitHandedAtOnceGoesInSeveralRequests) {
  api = ScriptedApi(users_counted);
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(2600)));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[0].rows.size(), 2500u);
  EXPECT_EQ(api.sent[1].rows.size(), 100u);
  EXPECT_EQ(sink.finished.size(), 2600u);
}

// --- rows grouped into operations ------------------------------------------------------------

// The operations of a request: (operation_type, users).
std::vector<std::pair<std::string, std::size_t>> operations_of(const ApiRequest& r) {
  std::vector<std::pair<std::string, std::size_t>> out;
  const auto body = boost::json::parse(r.body);
  for (const auto& op : body.as_array())
    out.emplace_back(std::string(op.at("operation_type").as_string()), op.at("params").at("users").as_array().size());
  return out;
}

TEST_F(MembersKindTest, RowsOfOneOperationAndParamsGoInOneOperationInTheFilesOrder) {
  api = ScriptedApi(users_counted);
  auto sink = run_kind(*kind, api,
                       tasks_of(*kind,
                                "audience_id,operation,email,expires_at\n"
                                "2906h,add,a@example.com,\n"
                                "2906h,add,b@example.com,\n"
                                "2906h,remove,a@example.com,\n"  // after its add, not before
                                "2906h,add,c@example.com,2027-01-01T00:00:00Z\n"
                                "2906h,add,d@example.com,2027-01-01T00:00:00Z\n"
                                "2906h,add,e@example.com,\n"));
  ASSERT_EQ(api.sent.size(), 1u);
  using Op = std::pair<std::string, std::size_t>;
  EXPECT_EQ(operations_of(api.sent[0]),
            (std::vector<Op>{{"Update", 2}, {"Delete", 1}, {"Update", 2}, {"Update", 1}}));
  const auto parsed = boost::json::parse(api.sent[0].body);
  const auto& body = parsed.as_array();
  EXPECT_EQ(body[0].at("params").at("users").at(0).at("email").at(0).as_string(), sha256_hex("a@example.com"));
  EXPECT_EQ(body[1].at("params").at("users").at(0).at("email").at(0).as_string(), sha256_hex("a@example.com"));
  EXPECT_EQ(body[2].at("params").at("expires_at").as_string(), "2027-01-01T00:00:00Z");
  EXPECT_FALSE(body[3].at("params").as_object().contains("expires_at"));
  EXPECT_EQ(sink.finished.size(), 6u);
  for (const auto& [row, result] : sink.finished) EXPECT_EQ(result.status, RowStatus::ok) << row;
}

TEST_F(MembersKindTest, AnErrorNamingOnlyAGroupedOperationSendsItsUsersAgainAloneUntilOneIsNamed) {
  api.push(answer(400, R"({"operation_errors":[[{"code":"INVALID_PARAMETER","message":"bad user","index":0}]]})"));
  api.push(user_errors(3, {{1, 0}}));  // now one operation each: the second is the one
  api.push(counts(2, 2));
  auto sink = run_kind(*kind, api, tasks_of(*kind, rows_csv(3)));
  ASSERT_EQ(api.sent.size(), 3u);
  using Op = std::pair<std::string, std::size_t>;
  EXPECT_EQ(operations_of(api.sent[0]), (std::vector<Op>{{"Update", 3}}));
  EXPECT_EQ(operations_of(api.sent[1]), (std::vector<Op>{{"Update", 1}, {"Update", 1}, {"Update", 1}}));
  EXPECT_EQ(api.sent[2].rows, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(sink.finished.at(2).status, RowStatus::failed);
  EXPECT_NE(sink.finished.at(2).error.find("partner_user_id too long"), std::string::npos);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(3).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(3).attempts, 3u);
}

TEST_F(MembersKindTest, RowsSentAgainStayAheadOfLaterRowsOfTheSamePerson) {
  // 2,500 adds and then a remove of the first person: the remove must not
  // overtake the adds while they are sent again after a short answer.
  std::string csv = rows_csv(2500);
  csv += "2906h,remove,user0@example.com\n";
  api = ScriptedApi([calls = 0](const ApiRequest& r) mutable {
    return ++calls == 1 ? counts(1, users_of(r)) : users_counted(r);
  });
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv));
  ASSERT_EQ(api.sent.size(), 3u);
  EXPECT_EQ(api.sent[0].body, api.sent[1].body);
  using Op = std::pair<std::string, std::size_t>;
  EXPECT_EQ(operations_of(api.sent[2]), (std::vector<Op>{{"Delete", 1}}));
  EXPECT_EQ(sink.finished.size(), 2501u);
}

TEST_F(MembersKindTest, AtMost2500UsersARequestCountedAcrossItsOperations) {
  std::string csv = "audience_id,operation,email\n";
  for (int i = 0; i < 2600; ++i) csv += "2906h," + std::string(i % 2 ? "remove" : "add") + ",u" + std::to_string(i) + "@example.com\n";
  api = ScriptedApi(users_counted);
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(users_of(api.sent[0]), 2500u);
  EXPECT_EQ(operations_of(api.sent[0]).size(), 2500u) << "alternating rows: one operation each";
  EXPECT_EQ(users_of(api.sent[1]), 100u);
  EXPECT_EQ(sink.finished.size(), 2600u);
}

TEST_F(MembersKindTest, AtMost5000000BytesOfGroupedBodyCountedAsWritten) {
  // One operation of n users of one partner_user_id each:
  //   [ HEAD {"partner_user_id":["…"]} ,… ]}} ]
  const std::string head = R"({"operation_type":"Update","params":{"users":[)";
  const std::size_t n = 1000, user_overhead = std::string(R"({"partner_user_id":[""]})").size();
  const auto body_size = [&](std::size_t id_bytes) { return 1 + head.size() + id_bytes + n * user_overhead + (n - 1) + 3 + 1; };
  const std::size_t each = (5'000'000 - body_size(0)) / n;
  const auto job = [&](std::size_t spare) {
    std::string csv = "audience_id,partner_user_id\n";
    for (std::size_t i = 0; i < n; ++i) {
      std::string id = std::to_string(i) + "-";
      id.resize(each + (i + 1 == n ? spare : 0), 'p');
      csv += "2906h," + id + "\n";
    }
    return csv;
  };
  const std::size_t spare = 5'000'000 - body_size(n * each);
  api = ScriptedApi(users_counted);
  run_kind(*kind, api, tasks_of(*kind, job(spare)));
  ASSERT_EQ(api.sent.size(), 1u) << "exactly 5,000,000 bytes is one request";
  EXPECT_EQ(api.sent[0].body.size(), 5'000'000u);

  api = ScriptedApi(users_counted);
  auto sink = run_kind(*kind, api, tasks_of(*kind, job(spare + 1)));
  ASSERT_EQ(api.sent.size(), 2u) << "one byte more is two";
  EXPECT_LE(api.sent[0].body.size(), 5'000'000u);
  EXPECT_EQ(users_of(api.sent[0]), n - 1);
  EXPECT_EQ(sink.finished.size(), n);
}

// --- one audience's adds and removes in the file's order --------------------------------------

TEST(AudienceTurns, RequestsOfOneKindGoTogetherAndAChangeOfKindWaits) {
  AudienceTurns turns;
  const auto add1 = turns.enter("a", AudienceTurns::kAdds);
  const auto add2 = turns.enter("a", AudienceTurns::kAdds);
  const auto other = turns.enter("b", AudienceTurns::kRemoves);
  const auto remove = turns.enter("a", AudienceTurns::kRemoves);
  const auto add3 = turns.enter("a", AudienceTurns::kAdds);
  EXPECT_TRUE(turns.may_go(add1));
  EXPECT_TRUE(turns.may_go(add2));
  EXPECT_TRUE(turns.may_go(other)) << "another audience does not wait";
  EXPECT_FALSE(turns.may_go(remove));
  EXPECT_FALSE(turns.may_go(add3)) << "an add after a remove waits for it";
  turns.leave(add1);
  EXPECT_FALSE(turns.may_go(remove));
  turns.leave(add2);
  EXPECT_TRUE(turns.may_go(remove));
  EXPECT_FALSE(turns.may_go(add3));
  turns.leave(remove);
  EXPECT_TRUE(turns.may_go(add3));
}

TEST(AudienceTurns, ARequestCarryingBothWaitsForAllBeforeItAndHoldsAllAfterIt) {
  AudienceTurns turns;
  const auto add = turns.enter("a", AudienceTurns::kAdds);
  const auto both = turns.enter("a", AudienceTurns::kAdds | AudienceTurns::kRemoves);
  const auto add2 = turns.enter("a", AudienceTurns::kAdds);
  EXPECT_FALSE(turns.may_go(both));
  turns.leave(add);
  EXPECT_TRUE(turns.may_go(both));
  EXPECT_FALSE(turns.may_go(add2));
  turns.leave(both);
  EXPECT_TRUE(turns.may_go(add2));
}

TEST(AudienceTurns, AddsWithOtherParamsWaitForEachOther) {
  AudienceTurns turns;
  const auto plain = turns.enter("a", AudienceTurns::kAdds, R"({"operation_type":"Update","params":{"users":[)");
  const auto same = turns.enter("a", AudienceTurns::kAdds, R"({"operation_type":"Update","params":{"users":[)");
  const auto expiring = turns.enter(
      "a", AudienceTurns::kAdds, R"({"operation_type":"Update","params":{"expires_at":"2027-01-01T00:00:00Z","users":[)");
  EXPECT_TRUE(turns.may_go(same));
  EXPECT_FALSE(turns.may_go(expiring));
  turns.leave(plain);
  turns.leave(same);
  EXPECT_TRUE(turns.may_go(expiring));
}

}  // namespace
}  // namespace ab::tw::testing
