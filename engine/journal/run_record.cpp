#include "engine/journal/run_record.hpp"

#include "engine/journal/journal.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <sys/stat.h>

namespace ab {

namespace {

constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t fnv_prime = 0x100000001b3ULL;

void mix(std::uint64_t& h, std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  // Eight bytes a load (the same bytes in the same order): a row's print took
  // half again as many instructions a byte at a time.
  if constexpr (std::endian::native == std::endian::little) {
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, p, 8);
#pragma GCC unroll 8
      for (int k = 0; k < 8; ++k, word >>= 8) h = (h ^ (word & 0xff)) * fnv_prime;
    }
  }
  for (; n != 0; ++p, --n) h = (h ^ static_cast<unsigned char>(*p)) * fnv_prime;
}

// Fields are separated by a byte no text can hold unescaped in one field's place.
void mix_field(std::uint64_t& h, std::string_view field) {
  mix(h, field);
  h ^= 0x1f;
  h *= fnv_prime;
}

std::uint64_t nonzero(std::uint64_t h) { return h == 0 ? 1 : h; }

void append_hex(std::string& out, std::uint64_t value) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, value, 16).ptr;
  out.append(digits, end);
}

void append_decimal(std::string& out, std::uint64_t value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

template <typename Number>
std::optional<Number> parse(std::string_view text, int base = 10) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::size_t number_of(const std::variant<Row, CsvProblem>& record) {
  if (const auto* row = std::get_if<Row>(&record)) return row->number();
  return std::get<CsvProblem>(record).row;
}

std::string_view status_word(RowStatus status) { return to_string(status); }

}  // namespace

std::uint64_t header_fingerprint(const CsvHeader& header) {
  std::uint64_t h = fnv_offset;
  for (const auto& name : header.names) mix_field(h, name);
  return nonzero(h);
}

std::uint64_t record_fingerprint(const std::variant<Row, CsvProblem>& record) {
  std::uint64_t h = fnv_offset;
  if (const auto* row = std::get_if<Row>(&record)) {
    // Each field followed by 0x1f, as mix_field has it, in one pass.
    mix(h, row->terminated_fields());
  } else {
    const auto& problem = std::get<CsvProblem>(record);
    mix_field(h, "malformed");
    mix_field(h, problem.message);
  }
  return nonzero(h);
}

std::string format_header_line(std::uint64_t print) {
  std::string line = "header ";
  append_hex(line, print);
  line += '\n';
  return line;
}

void append_rows_line(std::string& out, std::size_t first, std::span<const std::uint64_t> prints) {
  out += "rows ";
  append_decimal(out, first);
  for (const auto print : prints) {
    out += ' ';
    append_hex(out, print);
  }
  out += '\n';
}

void append_release_line(std::string& out, std::span<const std::size_t> rows) {
  out += "release";
  for (const auto row : rows) {
    out += ' ';
    append_decimal(out, row);
  }
  out += '\n';
}

bool apply_record_line(std::span<const std::string_view> tokens, RunRecord& record,
                       std::unordered_set<std::size_t>& intents) {
  if (tokens.empty()) return false;
  if (tokens[0] == "header" && tokens.size() == 2) {
    const auto print = parse<std::uint64_t>(tokens[1], 16);
    if (!print) return false;
    record.header = *print;
    return true;
  }
  if (tokens[0] == "rows" && tokens.size() >= 2) {
    const auto first = parse<std::size_t>(tokens[1]);
    if (!first || *first == 0) return false;
    const std::size_t count = tokens.size() - 2;
    // A bound on what one line may claim, so that a damaged number cannot
    // make the loader allocate without limit.
    if (*first > (std::size_t{1} << 40)) return false;
    if (record.rows.size() < *first + count) record.rows.resize(*first + count, 0);
    for (std::size_t i = 0; i < count; ++i) {
      const auto print = parse<std::uint64_t>(tokens[2 + i], 16);
      if (!print) return false;
      record.rows[*first + i] = *print;
    }
    return true;
  }
  if (tokens[0] == "release") {
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      const auto row = parse<std::size_t>(tokens[i]);
      if (!row) return false;
      intents.erase(*row);
    }
    return true;
  }
  return false;
}

void RowPrints::add(std::size_t row, std::uint64_t print) {
  if (!prints_.empty() && row != first_ + prints_.size()) flush();
  if (prints_.empty()) first_ = row;
  prints_.push_back(print);
  if (prints_.size() == 64) flush();
}

void RowPrints::flush() {
  if (prints_.empty()) return;
  std::string line;
  line.reserve(32 + 17 * prints_.size());  // "rows FIRST" and " PRINT" each: no growth on the way
  append_rows_line(line, first_, prints_);
  prints_.clear();
  write_(std::move(line));
}

std::optional<RetryStatuses> parse_retry_statuses(std::string_view list) {
  RetryStatuses statuses;
  for (std::size_t start = 0;;) {
    const auto end = std::min(list.find(',', start), list.size());
    const auto word = list.substr(start, end - start);
    bool known = false;
    for (const auto status : {RowStatus::failed, RowStatus::unknown, RowStatus::invalid}) {
      if (word == status_word(status)) {
        statuses.insert(status);
        known = true;
      }
    }
    if (!known) return std::nullopt;
    if (end == list.size()) return statuses;
    start = end + 1;
  }
}

std::optional<std::string> check_job_unchanged(const std::filesystem::path& job_file,
                                               const std::filesystem::path& results, const RecordedRows& recorded,
                                               const RetryStatuses& retry) {
  const RunRecord& record = recorded.record;
  if (record.rows.empty() && !record.header) return std::nullopt;
  struct stat st {};
  if (::stat(job_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;

  const std::string job = job_file.string(), out = results.string();
  const std::string fix =
      ": its results in " + out + " would be mapped to other rows. Put the job file back as it was, or give "
      "the changed rows a new job file (or another --out) to start afresh";
  // Whether a row's recorded state is about the content it had then.
  const auto binding = [&](std::size_t row) -> std::optional<std::string> {
    if (recorded.final_rows.contains(row)) {
      const auto it = record.not_ok.find(row);
      const RowStatus status = it == record.not_ok.end() ? RowStatus::ok : it->second;
      if (status != RowStatus::ok && retry.contains(status)) return std::nullopt;
      std::string why = "it ended " + std::string(status_word(status));
      if (status != RowStatus::ok) why += " (to send the corrected row, add --retry " + std::string(status_word(status)) + ")";
      return why;
    }
    if (recorded.intents.contains(row)) return std::string("its request may have been sent");
    if (recorded.checkpoints.contains(row)) return std::string("it was partly done");
    return std::nullopt;
  };

  CsvReader reader(job_file);
  if (record.header && *record.header != header_fingerprint(reader.header())) {
    for (std::size_t row = 1; row < record.rows.size(); ++row) {
      if (record.rows[row] == 0) continue;
      if (auto why = binding(row))
        return job + ": the header changed since row " + std::to_string(row) + " was run (" + *why + ")" + fix;
    }
  }
  std::size_t last = 0;
  while (last + 1 < record.rows.size()) {
    auto next = reader.next();
    if (!next) break;
    const std::size_t row = number_of(*next);
    last = row;
    const std::uint64_t print = record.row(row);
    if (print == 0 || print == record_fingerprint(*next)) continue;
    if (auto why = binding(row)) return job + ": row " + std::to_string(row) + " changed since it was run (" + *why + ")" + fix;
  }
  for (std::size_t row = last + 1; row < record.rows.size(); ++row) {
    if (record.rows[row] == 0) continue;
    if (auto why = binding(row))
      return job + ": row " + std::to_string(row) + " is gone (the file ends at row " + std::to_string(last) +
             ") but was run (" + *why + ")" + fix;
  }
  return std::nullopt;
}

}  // namespace ab
