#include "app/report.hpp"

#include "engine/input/csv_reader.hpp"
#include "engine/journal/journal.hpp"
#include "engine/run/runner.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <ostream>
#include <regex>
#include <set>
#include <string>

namespace ab {

namespace {

constexpr std::size_t open_rows_listed = 20;
const char* const statuses[] = {"ok", "invalid", "failed", "unknown"};

struct Final {
  std::string status;
  std::size_t file = 0;
};

// JOB.results.csv and JOB.shard-K-of-N.results.csv beside the job, in name order.
std::vector<std::filesystem::path> results_beside(const std::filesystem::path& job_file) {
  std::vector<std::filesystem::path> found;
  if (auto plain = default_results_path(job_file); std::filesystem::exists(plain)) found.push_back(plain);
  const std::string stem = default_results_path(job_file).filename().string();
  const std::string base = stem.substr(0, stem.size() - std::string(".results.csv").size());
  const std::regex shard_name(std::regex_replace(base, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                              R"(\.shard-[0-9]+-of-[0-9]+\.results\.csv)");
  const auto dir = job_file.parent_path().empty() ? std::filesystem::path(".") : job_file.parent_path();
  std::vector<std::filesystem::path> shards;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (std::regex_match(entry.path().filename().string(), shard_name)) shards.push_back(entry.path());
  std::sort(shards.begin(), shards.end());
  found.insert(found.end(), shards.begin(), shards.end());
  return found;
}

// The final line of each row in one results file (a torn last line, left by a
// crash, is not a result).
std::map<std::size_t, std::string> read_finals(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot be read");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::size_t, std::string> finals;
  std::size_t at = 0, line_number = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    if (end == std::string::npos) break;  // torn
    std::string_view line(text.data() + at, end - at);
    at = end + 1;
    if (++line_number == 1) {
      if (line != results_header) throw std::runtime_error(file.string() + ": not a results file (its header is not " + std::string(results_header) + ")");
      continue;
    }
    const auto comma = line.find(',');
    const auto next = line.find(',', comma + 1);
    std::size_t row = 0;
    auto [p, ec] = std::from_chars(line.data(), line.data() + std::min(comma, line.size()), row);
    if (ec != std::errc() || comma == std::string_view::npos || next == std::string_view::npos)
      throw std::runtime_error(file.string() + " line " + std::to_string(line_number) + ": not a result line");
    finals[row] = std::string(line.substr(comma + 1, next - comma - 1));
  }
  return finals;
}

// "K/N" from a JOB.shard-K-of-N.results.csv name, or "" for another name.
std::pair<unsigned, unsigned> shard_of_name(const std::filesystem::path& file) {
  static const std::regex pattern(R"(.*\.shard-([0-9]+)-of-([0-9]+)\.results\.csv)");
  std::smatch m;
  const auto name = file.filename().string();
  if (!std::regex_match(name, m, pattern)) return {0, 0};
  return {static_cast<unsigned>(std::stoul(m[1])), static_cast<unsigned>(std::stoul(m[2]))};
}

}  // namespace

int report_job(const std::filesystem::path& job_file, std::vector<std::filesystem::path> results, std::ostream& out,
               std::ostream& err) {
  try {
    std::set<std::size_t> rows;
    CsvReader reader(job_file);
    while (auto record = reader.next())
      rows.insert(std::visit(
          [](const auto& r) {
            if constexpr (std::is_same_v<std::decay_t<decltype(r)>, Row>)
              return r.number();
            else
              return r.row;
          },
          *record));
    if (results.empty()) results = results_beside(job_file);

    std::map<std::size_t, Final> finals;
    std::uint64_t twice = 0, strangers = 0;
    std::set<unsigned> shard_counts;
    out << "report: " << job_file.string() << ": " << rows.size() << " rows; " << results.size() << " results file"
        << (results.size() == 1 ? "" : "s") << "\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto lines = read_finals(results[i]);
      out << "  " << results[i].string() << ": " << lines.size() << " rows final\n";
      if (auto [k, n] = shard_of_name(results[i]); n) shard_counts.insert(n);
      for (const auto& [row, status] : lines) {
        if (!rows.contains(row)) ++strangers;
        auto [it, fresh] = finals.try_emplace(row, Final{status, i});
        if (!fresh && it->second.file != i) ++twice;
      }
    }

    std::map<std::string, std::uint64_t> by_status;
    std::vector<std::size_t> open;
    for (auto row : rows) {
      if (auto it = finals.find(row); it != finals.end())
        ++by_status[it->second.status];
      else
        open.push_back(row);
    }
    const auto final_rows = rows.size() - open.size();
    out << "report: " << final_rows << " final:";
    for (const char* s : statuses) out << " " << by_status[s] << " " << s << (s == statuses[3] ? "" : ",");
    for (const auto& [s, n] : by_status)
      if (std::find(std::begin(statuses), std::end(statuses), s) == std::end(statuses)) out << ", " << n << " " << s;
    out << "; " << open.size() << " still open\n";
    if (twice) out << "report: warning: " << twice << " rows are final in more than one results file\n";
    if (strangers) out << "report: warning: " << strangers << " result lines name rows the job file does not have\n";
    if (!open.empty()) {
      const unsigned n = shard_counts.size() == 1 ? *shard_counts.begin() : 0;
      out << "report: open rows:";
      for (std::size_t i = 0; i < std::min(open.size(), open_rows_listed); ++i) {
        out << (i ? ", " : " ") << open[i];
        if (n) out << " (shard " << (open[i] - 1) % n + 1 << "/" << n << ")";
      }
      if (open.size() > open_rows_listed) out << " and " << open.size() - open_rows_listed << " more";
      out << "\nreport: run " << (n ? "their shards" : "the job") << " again to finish them\n";
      return 3;
    }
    const bool all_ok = by_status["ok"] == rows.size();
    return all_ok ? 0 : 1;
  } catch (const std::exception& e) {
    err << "audience-batch: error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace ab
