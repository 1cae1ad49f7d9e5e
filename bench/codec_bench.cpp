// T6 of issue 7, the per-request work apart from the wire: building an
// nf.create body from a row (column checks, cell parsing, the decimal gender
// split, JSON serialisation), parsing the answer the API sends back and taking
// its id, and signing one X Ads request with OAuth 1.0a (HMAC-SHA1).
#include "engine/input/columns.hpp"
#include "engine/input/csv_reader.hpp"
#include "engine/input/fields.hpp"
#include "engine/send/answer_json.hpp"
#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/audience_fields.hpp"
#include "jobs/twitter/oauth1_signer.hpp"

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <variant>
#include <vector>

namespace {

// Rows like bench/gen_job.py's: lists, optional cells empty, decimal splits.
std::vector<ab::Row> create_rows() {
  std::string text =
      "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests,needs,painPoints,"
      "nativeLanguage,residence,shared\n"
      "Bench audience 1,0.7,0.1,0.1,0.1,FR,38,55,AI|finance|fitness,scale content production,manual workflows,it,"
      "Hamburg,true\n"
      "Bench audience 2,0.35,0.35,0.21,0.09,NL,23,41,e-commerce,scale content production,"
      "slow approvals|manual workflows,it,Berlin,true\n"
      "Bench audience 3,0.25,0.25,0.25,0.25,,30,47,SEO|travel,save time,,de,,false\n"
      "\"Bench audience 4, \"\"quoted\"\"\",0.48,0.47,0.03,0.02,US,19,33,gaming,reach new markets,"
      "small team|tight budget,en,New York,true\n";
  std::vector<ab::Row> rows;
  ab::CsvReader reader = ab::CsvReader::from_string(std::move(text));
  while (auto record = reader.next())
    if (auto* row = std::get_if<ab::Row>(&*record)) rows.push_back(std::move(*row));
  return rows;
}

// The bench rows in turn, each checked and typed as a run checks its columns first.
class CheckedRows {
 public:
  explicit CheckedRows(benchmark::State& state)
      : state_(state), rows_(create_rows()), checker_(rows_.front().header().names, ab::nf::create_columns()) {
    if (rows_.size() != 4) state.SkipWithError("the rows did not parse");
  }
  const ab::Fields& next() {
    const ab::Row& row = rows_[i_++ % rows_.size()];
    if (checker_.check(row, fields_)) state_.SkipWithError("a row failed its column checks");
    return fields_;
  }

 private:
  benchmark::State& state_;
  std::vector<ab::Row> rows_;
  ab::ColumnChecker checker_;
  ab::Fields fields_;
  std::size_t i_ = 0;
};

// What a run does with each nf.create row: the column checks, then the body
// written as JSON text straight from the row.
void BM_BuildCreateBody(benchmark::State& state) {
  CheckedRows rows(state);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto body = ab::nf::create_body(rows.next());
    auto* text = std::get_if<ab::nf::CreateBody>(&body);
    if (!text) {
      state.SkipWithError("a row was refused");
      break;
    }
    bytes += text->json.size();
    benchmark::DoNotOptimize(text->json);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_BuildCreateBody);

// The same through a JSON object and Boost.JSON's serializer (what nf.update
// does, and what nf.create did until it wrote text): the reference.
void BM_BuildCreateBodyThroughDom(benchmark::State& state) {
  CheckedRows rows(state);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto fields = ab::nf::audience_fields(rows.next(), ab::nf::FieldMode::create);
    auto* body = std::get_if<boost::json::object>(&fields);
    if (!body) {
      state.SkipWithError("a row was refused");
      break;
    }
    std::string text = boost::json::serialize(*body);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_BuildCreateBodyThroughDom);

// What the simulator answers to an nf.create (API.md §A4): the stored audience.
constexpr std::string_view kCreateAnswer =
    R"({"id":"16e6678d-39fe-4f00-8e61-bd8674b6331b","name":"Bench audience 1","country":"FR",)"
    R"("genderDistribution":{"female":7E-1,"male":1E-1,"nonBinary":1E-1,"preferNotToSay":1E-1},)"
    R"("interests":["AI","finance","fitness"],"maxAge":55,"minAge":38,"nativeLanguage":"it",)"
    R"("needs":["scale content production"],"painPoints":["manual workflows"],"residence":"Hamburg",)"
    R"("shared":true,"workspaceId":"2245bd5f-bb68-4f68-a2eb-92502318fa4e","createdBy":"user-sim-client",)"
    R"("createdAt":"2026-11-30T04:15:51Z","updatedAt":"2026-11-30T04:15:51Z",)"
    R"("permissions":{"canUpdate":true,"canDelete":true}})";

// Reads the create answer's id by `read_id` (answer -> optional id) per iteration.
template <class ReadId>
void read_create_answer_id(benchmark::State& state, ReadId read_id) {
  for (auto _ : state) {
    auto id = read_id(kCreateAnswer);
    if (!id) state.SkipWithError("no id in the answer");
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kCreateAnswer.size()));
}

// Parsed into an arena of its own by Boost.JSON's parse.
void BM_ParseCreateAnswer(benchmark::State& state) {
  read_create_answer_id(state, [](std::string_view body) {
    const auto answer = boost::json::parse(body, boost::json::make_shared_resource<boost::json::monotonic_resource>());
    return ab::nf::text_field(answer, "id");
  });
}
BENCHMARK(BM_ParseCreateAnswer);

// Through the engine's own parse (engine/send/answer_json.hpp), as nf.create
// with --responses reads it.
void BM_ParseCreateAnswerAsTheEngine(benchmark::State& state) {
  read_create_answer_id(state,
                        [](std::string_view body) { return ab::nf::text_field(ab::parse_answer_json(body), "id"); });
}
BENCHMARK(BM_ParseCreateAnswerAsTheEngine);

// As nf.create reads it without --responses: the id alone, no document built.
void BM_ReadCreateAnswerId(benchmark::State& state) {
  read_create_answer_id(state, [](std::string_view body) { return ab::answer_text_member(body, "id"); });
}
BENCHMARK(BM_ReadCreateAnswerId);

// One tw.count request (B1 with with_total_count) signed as the engine signs it.
void BM_OAuth1Sign(benchmark::State& state) {
  const ab::tw::OAuth1Credentials credentials{"sim-consumer-key", "sim-consumer-secret", "sim-access-token",
                                              "sim-access-token-secret"};
  const std::string url =
      "https://ads-api.twitter.com/8/accounts/18ce54d4x5t/custom_audiences?q=bench-00042&with_total_count=true"
      "&permission_scope=OWNER&count=1";
  std::int64_t n = 0;
  for (auto _ : state) {
    ab::tw::OAuth1Stamp stamp{"bench-nonce-" + std::to_string(n), 1'796'000'000 + n};
    ++n;
    std::string header = ab::tw::oauth1_authorization(credentials, "GET", url, "", stamp);
    benchmark::DoNotOptimize(header);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OAuth1Sign);

}  // namespace
