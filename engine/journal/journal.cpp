// The journal's line formats and load_journal. The writer thread is in
// journal_writer.cpp.
#include "engine/journal/journal.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>

namespace ab {

void append_csv_field(std::string& out, std::string_view text) {
  bool breaks = false, quote = false;
  for (const char c : text) {
    breaks |= c == '\n' || c == '\r';
    quote |= c == ',' || c == '"';
  }
  if (!breaks && !quote) {
    out += text;
    return;
  }
  if (quote) out += '"';
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

namespace {

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

// Splits one RFC 4180 record that holds no line break; nullopt when malformed.
std::optional<std::vector<std::string>> split_csv_record(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  for (;;) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) return std::nullopt;  // unterminated quote
        if (line[i] != '"') {
          field += line[i];
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          ++i;
          break;
        }
      }
      if (i < line.size() && line[i] != ',') return std::nullopt;  // text after a closing quote
    } else {
      const auto end = std::min(line.find(',', i), line.size());
      field = line.substr(i, end - i);
      if (field.find('"') != std::string::npos) return std::nullopt;
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return fields;
    ++i;  // the comma
  }
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<RowStatus> parse_status(std::string_view text) {
  for (RowStatus status : {RowStatus::ok, RowStatus::invalid, RowStatus::failed, RowStatus::unknown})
    if (to_string(status) == text) return status;
  return std::nullopt;
}

struct FinalLine {
  std::size_t row = 0;
  RowStatus status = RowStatus::failed;
};

std::optional<FinalLine> parse_result_line(std::string_view line, std::size_t echo_columns) {
  const auto fields = split_csv_record(line);
  if (!fields || fields->size() != 6 + echo_columns) return std::nullopt;
  const auto& f = *fields;
  const auto row = parse_number<std::size_t>(f[0]);
  const auto status = parse_status(f[1]);
  const bool http_ok = f[2].empty() || parse_number<unsigned>(f[2]);
  if (!row || !status || !http_ok || !parse_number<unsigned>(f[4])) return std::nullopt;
  return FinalLine{*row, *status};
}

bool escaped_in_token(unsigned char c) { return c <= ' ' || c > '~' || c == '%'; }

std::string percent_escape(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (!escaped_in_token(c)) {
      out += ch;
      continue;
    }
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 0xF];
  }
  return out;
}

std::optional<std::string> percent_unescape(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '%') {
      out += token[i];
      continue;
    }
    unsigned value = 0;
    const auto digits = token.substr(i + 1, 2);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
    if (digits.size() != 2 || ec != std::errc{} || end != digits.data() + 2) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> tokens;
  for (std::size_t start = 0;;) {
    const auto end = std::min(line.find(' ', start), line.size());
    tokens.push_back(line.substr(start, end - start));
    if (end == line.size()) return tokens;
    start = end + 1;
  }
}

// Every line a sidecar may hold, by its first word.
const std::set<std::string_view> sidecar_words{"version", "header", "rows",       "intent",  "wait", "sent",
                                               "marks",   "mark",   "boot",       "checkpoint", "release"};

// The number of a `version N` line, 0 for a malformed one.
unsigned version_of(std::span<const std::string_view> tokens) {
  const auto number = tokens.size() == 2 ? parse_number<unsigned>(tokens[1]) : std::nullopt;
  return number.value_or(0);
}

// Reads sidecar lines into `state`. An intent joins its group, which its
// "wait", "sent" or "mark SLOT" line closes: a group marked sent counts, and
// so does one left unmarked by another boot than `boot` (whose page cache a
// mark may not have reached) or with no boot named, one whose marks file is
// gone or short, and one with no mark line at all (a journal from before
// marks, or a commit torn by a crash).
class SidecarReader {
 public:
  SidecarReader(JournalState& state, std::string_view boot, const std::filesystem::path& marks_directory)
      : state_(state), boot_(boot), marks_directory_(marks_directory) {}

  // False when the line does not parse.
  bool apply(std::string_view line) {
    const auto tokens = split_spaces(line);
    if (tokens[0] == "intent") {
      for (std::size_t i = 1; i < tokens.size(); ++i) {
        const auto row = parse_number<std::size_t>(tokens[i]);
        if (!row) return false;
        group_.push_back(*row);
      }
      return true;
    }
    if ((tokens[0] == "wait" || tokens[0] == "sent") && tokens.size() == 1) {
      if (tokens[0] == "wait" && on_this_boot()) group_.clear();
      close_group();
      return true;
    }
    if (tokens[0] == "mark" && tokens.size() == 2) {
      const auto slot = parse_number<std::uint64_t>(tokens[1]);
      if (!slot) return false;
      if (on_this_boot() && marks_ && *slot < marks_->size() && (*marks_)[*slot] == '\0') group_.clear();
      close_group();
      return true;
    }
    if (tokens[0] == "marks" && tokens.size() == 2 && is_marks_file_name(tokens[1])) {
      close_group();
      marks_ = read_sent_marks(marks_directory_, tokens[1]);
      state_.marks_files.emplace_back(tokens[1]);
      return true;
    }
    if (tokens[0] == "version") return version_of(tokens) > 0;  // a later one is refused before (load_sidecar)
    if (tokens[0] == "boot" && tokens.size() == 2 && !tokens[1].empty()) {
      close_group();
      written_on_ = std::string(tokens[1]);
      return true;
    }
    if (tokens[0] == "checkpoint" && tokens.size() == 3) {
      const auto row = parse_number<std::size_t>(tokens[1]);
      auto value = percent_unescape(tokens[2]);
      if (!row || !value) return false;
      state_.checkpoints[*row] = std::move(*value);
      return true;
    }
    if (tokens[0] == "release") std::erase_if(group_, [&](std::size_t row) { return released(tokens, row); });
    return apply_record_line(tokens, state_.record, state_.intents);
  }

  // At the end of the file: a group with no mark line counts.
  void finish() { close_group(); }

 private:
  JournalState& state_;
  std::string_view boot_;
  const std::filesystem::path& marks_directory_;
  std::string written_on_;          // the boot the lines since the last `boot` were written on
  std::vector<std::size_t> group_;  // intents since the last mark line
  std::optional<std::string> marks_;  // the bytes of the last `marks` line's file, if it is there

  // Whether an unmarked group was left by this boot, whose page cache kept every mark.
  bool on_this_boot() const { return !boot_.empty() && written_on_ == boot_; }

  void close_group() {
    state_.intents.insert(group_.begin(), group_.end());
    group_.clear();
  }
  static bool released(std::span<const std::string_view> tokens, std::size_t row) {
    for (std::size_t i = 1; i < tokens.size(); ++i)
      if (parse_number<std::size_t>(tokens[i]) == row) return true;
    return false;
  }
};

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& why) {
  throw std::runtime_error(file.string() + why);
}

// Calls `on_line(text, number)` for every '\n'-terminated line before the
// first NUL byte and returns the bytes they span; a last line without '\n'
// is torn and left in `torn`.
template <typename OnLine>
std::uint64_t read_complete_lines(const std::filesystem::path& file, std::string& torn, OnLine on_line) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, ": cannot open: " + std::string(std::strerror(errno)));
  std::uint64_t bytes = 0;
  std::size_t number = 0;
  std::string line;
  while (std::getline(in, line)) {
    // A crash can leave zeros where a write had not landed, and the sidecar
    // keeps zeros ahead of its lines: the first NUL ends what was written.
    if (const auto nul = line.find('\0'); nul != std::string::npos) {
      line.resize(nul);
      torn = std::move(line);
      break;
    }
    if (in.eof()) {
      torn = std::move(line);
      break;
    }
    bytes += line.size() + 1;
    ++number;
    std::string_view text = line;
    if (text.ends_with('\r')) text.remove_suffix(1);  // a file that passed through an editor
    on_line(text, number);
  }
  if (in.bad()) fail(file, ": cannot read: " + std::string(std::strerror(errno)));
  return bytes;
}

bool exists_as_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status)) return false;
  // A device or pipe could be endless (/dev/zero) and cannot be resumed anyway.
  if (!std::filesystem::is_regular_file(status)) fail(file, " is not a regular file");
  return true;
}

void load_results(const std::filesystem::path& file, JournalState& state,
                  std::unordered_map<std::size_t, RowStatus>& finals) {
  state.results_exists = exists_as_file(file);
  if (!state.results_exists) return;
  const auto not_ours = [&] { fail(file, " is not an audience-batch results file"); };
  std::string torn;
  state.results_bytes = read_complete_lines(file, torn, [&](std::string_view line, std::size_t number) {
    if (number == 1) {
      // The header, and after `error` the columns --echo named when the file began.
      if (!line.starts_with(results_header)) not_ours();
      const auto echo = line.substr(results_header.size());
      if (echo.empty()) return;
      auto names = echo.starts_with(',') ? split_csv_record(echo.substr(1)) : std::nullopt;
      if (!names) not_ours();
      state.echo_columns = std::move(*names);
      return;
    }
    if (line.empty()) return;
    const auto parsed = parse_result_line(line, state.echo_columns.size());
    if (!parsed) fail(file, " line " + std::to_string(number) + ": not a result line");
    finals[parsed->row] = parsed->status;
  });
  // A header torn by a crash is ours to repair; anything else is someone's file.
  if (state.results_bytes == 0 && !results_header.starts_with(torn) && !torn.starts_with(results_header)) not_ours();
}

void load_sidecar(const std::filesystem::path& file, JournalState& state, std::string_view boot,
                  const std::filesystem::path& marks_directory) {
  state.journal_exists = exists_as_file(file);
  if (!state.journal_exists) return;
  std::string torn;
  SidecarReader reader(state, boot, marks_directory);
  state.journal_bytes = read_complete_lines(file, torn, [&](std::string_view line, std::size_t number) {
    const auto where = [number] { return " line " + std::to_string(number) + ": "; };
    // Lines after it may mean what this version cannot know: nothing is read past it.
    if (line.starts_with("version ")) {
      const unsigned version = version_of(split_spaces(line));
      if (version > journal_version)
        fail(file, where() + "written by a later version of audience-batch (journal version " +
                       std::to_string(version) + "; this one reads versions up to " +
                       std::to_string(journal_version) + "): finish the night with the version that began it");
    }
    if (line.empty() || reader.apply(line)) return;
    const auto word = line.substr(0, line.find(' '));
    if (sidecar_words.contains(word)) fail(file, where() + "not a valid \"" + std::string(word) + "\" line");
    // Each version reads the lines of those before it, not of those after.
    fail(file, where() + "\"" + std::string(word.substr(0, 40)) +
                   "\" is not a line this version of audience-batch writes: the journal was written by "
                   "another version (finish the night with the version that began it) or is damaged");
  });
  reader.finish();
}

}  // namespace

std::string_view to_string(RowStatus status) {
  switch (status) {
    case RowStatus::ok: return "ok";
    case RowStatus::invalid: return "invalid";
    case RowStatus::failed: return "failed";
    case RowStatus::unknown: return "unknown";
    case RowStatus::stopped: return "stopped";  // never written: a stopped row has no line
  }
  return "failed";
}

std::string results_header_for(std::span<const std::string> echo_columns) {
  std::string header(results_header);
  for (const auto& name : echo_columns) {
    header += ',';
    append_csv_field(header, name);
  }
  return header;
}

namespace {

// A cell that goes into a results line as it is: no quote, comma or line break.
bool plain_csv(std::string_view text) {
  for (const char c : text)
    if (c == ',' || c == '"' || c == '\n' || c == '\r') return false;
  return true;
}

// A line built on the stack and added to the writer's buffer at once: each
// small append to that string costs a capacity check and a call.
class StackLine {
 public:
  static constexpr std::size_t size = 512;
  void put(std::string_view text) {
    end_ = std::copy(text.begin(), text.end(), end_);  // an empty view's data() may be null: no memcpy
  }
  void put(char c) { *end_++ = c; }
  void put_number(std::uint64_t value) { end_ = std::to_chars(end_, text_ + size, value).ptr; }
  void append_to(std::string& out) const { out.append(text_, static_cast<std::size_t>(end_ - text_)); }

 private:
  char text_[size];
  char* end_ = text_;
};

}  // namespace

void append_result_line(std::string& out, std::size_t row, const RowResult& result, std::string_view echo) {
  // Three numbers of at most 20 digits, a status of at most 7 letters, 5 commas and a line break.
  constexpr std::size_t fixed_most = 3 * 20 + 7 + 6;
  if (fixed_most + result.id.size() + result.error.size() + echo.size() <= StackLine::size &&
      plain_csv(result.id) && plain_csv(result.error)) {
    StackLine line;
    line.put_number(row);
    line.put(',');
    line.put(to_string(result.status));
    line.put(',');
    if (result.http_status != 0) line.put_number(result.http_status);
    line.put(',');
    line.put(result.id);
    line.put(',');
    line.put_number(result.attempts);
    line.put(',');
    line.put(result.error);
    line.put(echo);
    line.put('\n');
    line.append_to(out);
    return;
  }
  append_number(out, row);
  out += ',';
  out += to_string(result.status);
  out += ',';
  if (result.http_status != 0) append_number(out, result.http_status);
  out += ',';
  append_csv_field(out, result.id);
  out += ',';
  append_number(out, result.attempts);
  out += ',';
  append_csv_field(out, result.error);
  out += echo;
  out += '\n';
}

std::string format_result_line(std::size_t row, const RowResult& result, std::string_view echo) {
  std::string line;
  append_result_line(line, row, result, echo);
  return line;
}

void append_intent_line(std::string& out, std::span<const std::size_t> rows) {
  if (rows.size() <= 16) {
    StackLine line;
    line.put("intent");
    for (std::size_t row : rows) {
      line.put(' ');
      line.put_number(row);
    }
    line.put('\n');
    line.append_to(out);
    return;
  }
  out += "intent";
  for (std::size_t row : rows) {
    out += ' ';
    append_number(out, row);
  }
  out += '\n';
}

std::string format_intent_line(std::span<const std::size_t> rows) {
  std::string line;
  append_intent_line(line, rows);
  return line;
}

std::string format_checkpoint_line(std::size_t row, std::string_view value) {
  return "checkpoint " + std::to_string(row) + ' ' + percent_escape(value) + '\n';
}

std::filesystem::path sidecar_path(const std::filesystem::path& results) {
  std::filesystem::path sidecar = results;
  sidecar += ".journal";
  return sidecar;
}

const std::string& this_boot() {
  static const std::string boot = [] {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    // One token of the sidecar: anything else is no id we could compare.
    const bool plain = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c <= '~'; });
    return plain ? id : std::string();
  }();
  return boot;
}

JournalState load_journal(const std::filesystem::path& results, std::string_view boot,
                          const std::filesystem::path& marks_directory) {
  JournalState state;
  std::unordered_map<std::size_t, RowStatus> finals;  // last line of a row wins
  load_results(results, state, finals);
  load_sidecar(sidecar_path(results), state, boot, marks_directory);
  for (const auto& [row, status] : finals) {
    state.final_rows.insert(row);
    state.intents.erase(row);
    state.checkpoints.erase(row);
    if (status != RowStatus::ok) {
      ++state.final_not_ok;
      state.record.not_ok.emplace(row, status);
    }
  }
  return state;
}

}  // namespace ab
