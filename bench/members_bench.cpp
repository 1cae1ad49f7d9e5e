// tw.members' own work per member, apart from the wire: SHA-256 of a short
// value (bytes/s, to set against `openssl speed -evp sha256 -bytes 32`),
// normalizing and hashing an email, and a whole row made into its operation
// item (column reads, normalization, hashing, JSON). bench/members.sh runs it.
#include "engine/input/csv_reader.hpp"
#include "engine/input/fields.hpp"
#include "jobs/twitter/member_identifiers.hpp"
#include "jobs/twitter/member_task.hpp"
#include "jobs/twitter/sha256.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <variant>
#include <vector>

namespace {

void BM_Sha256Hex32Bytes(benchmark::State& state) {
  const std::string value(32, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(ab::tw::sha256_hex(value));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 32);
}
BENCHMARK(BM_Sha256Hex32Bytes);

void BM_EmailNormalizedAndHashed(benchmark::State& state) {
  const std::string cell = " Customer.123456@Example.COM ";
  for (auto _ : state) benchmark::DoNotOptimize(ab::tw::identifier_to_send(ab::tw::IdentifierType::email, cell));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EmailNormalizedAndHashed);

void BM_MemberRowToItem(benchmark::State& state) {
  auto reader = ab::CsvReader::from_string(
      "audience_id,operation,email,handle,phone_number\n"
      "2906h,add, Customer.123456@Example.COM ,@Fan_123456,+1 (415) 555-2671\n");
  auto record = reader.next();
  const auto& row = std::get<ab::Row>(*record);
  ab::Fields fields;
  if (ab::ColumnChecker(reader.header().names, ab::tw::member_columns()).check(row, fields))
    state.SkipWithError("the row failed its column checks");
  for (auto _ : state) benchmark::DoNotOptimize(ab::tw::member_task(fields));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MemberRowToItem);

}  // namespace
