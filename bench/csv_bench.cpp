// Reading job files: CsvReader throughput on an nf.create-like file (quoted
// cells, some with embedded newlines, a few non-ASCII names) and parse_decimal,
// the cell parser every gender split goes through four times.
#include "engine/input/cells.hpp"
#include "engine/input/csv_reader.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

namespace {

constexpr std::size_t kRows = 200'000;

std::string nf_create_file(std::size_t rows) {
  std::mt19937_64 random(42);
  const std::array<const char*, 4> splits = {"0.5,0.4,0.07,0.03", "0.7,0.1,0.1,0.1", "0.35,0.35,0.21,0.09", "1,0,0,0"};
  const std::array<const char*, 5> countries = {"DE", "US", "FR", "ES", "GB"};
  std::string text =
      "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests,needs,painPoints,"
      "nativeLanguage,residence,shared\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const auto pick = random();
    text += (pick % 10 == 0) ? "\"Städter, \"\"urban\"\" " + std::to_string(i) + "\"" : "Audience " + std::to_string(i);
    text += ',';
    text += splits[pick % splits.size()];
    text += ',';
    text += countries[(pick >> 8) % countries.size()];
    text += ',' + std::to_string(18 + pick % 20) + ',' + std::to_string(40 + pick % 30) + ',';
    text += "sports|travel|food,\"saving time, money\",";
    text += (pick % 25 == 0) ? "\"too many tools\nno overview\"" : "\"no overview\"";
    text += ",de,\"Berlin, Germany\",";
    text += (pick & 1) ? "true\n" : "false\n";
  }
  return text;
}

const std::string& job_text() {
  static const std::string text = nf_create_file(kRows);
  return text;
}

void count_records(ab::CsvReader& reader, benchmark::State& state) {
  std::size_t rows = 0;
  while (auto record = reader.next()) {
    if (!std::holds_alternative<ab::Row>(*record)) state.SkipWithError("the generated file has a bad record");
    ++rows;
  }
  if (rows != kRows) state.SkipWithError("wrong row count");
}

void BM_CsvReaderFile(benchmark::State& state) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("csv_bench_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path, std::ios::binary) << job_text();
  for (auto _ : state) {
    ab::CsvReader reader(path);
    count_records(reader, state);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * job_text().size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  std::filesystem::remove(path);
}
BENCHMARK(BM_CsvReaderFile)->Unit(benchmark::kMillisecond);

void BM_CsvReaderMemory(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::string copy = job_text();
    state.ResumeTiming();
    ab::CsvReader reader = ab::CsvReader::from_string(std::move(copy));
    count_records(reader, state);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * job_text().size()));
}
BENCHMARK(BM_CsvReaderMemory)->Unit(benchmark::kMillisecond);

void BM_ParseDecimal(benchmark::State& state) {
  const std::array<std::string_view, 8> cells = {"0.5", "0.07", "0.35", "1", "0", "0.333333333333333333", "-2.50", "12.5"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ab::parse_decimal(cells[i++ % cells.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseDecimal);

}  // namespace
