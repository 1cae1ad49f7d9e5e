// The reader is a byte-level state machine over fixed-size chunks: nothing but
// the current chunk and the record being built is ever held, so a file of any
// size (or a single runaway record) reads in constant memory. Bytes move in
// runs: the hot loops look for the next special byte a word at a time and
// append the whole run at once.
#include "engine/input/csv_reader.hpp"

#include "engine/input/utf8.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ab {

Row::Row(std::shared_ptr<const CsvHeader> header, std::size_t number, std::size_t line,
         std::string bytes, std::span<const std::uint32_t> ends)
    : header_(std::move(header)), number_(number), line_(line), bytes_(std::move(bytes)), fields_(ends.size()) {
  bytes_.append(reinterpret_cast<const char*>(ends.data()), ends.size() * sizeof ends[0]);
}

std::optional<std::string_view> Row::get(std::string_view column) const {
  if (!header_) return std::nullopt;
  // A linear scan of a job file's dozen names beats hashing a temporary string.
  constexpr std::size_t kScanLimit = 24;
  const auto& names = header_->names;
  std::size_t index = names.size();
  if (names.size() <= kScanLimit) {
    // Length and first byte first: most names differ there, without a memcmp call.
    auto same = [&](const std::string& name) {
      return name.size() == column.size() && (column.empty() || name.front() == column.front()) && name == column;
    };
    // From just after the last name found: a kind reads its columns in its
    // table's order, which is most files' order too, so most looks take one step.
    const std::size_t start = next_hint_ < names.size() ? next_hint_ : 0;
    for (std::size_t k = 0; k < names.size(); ++k) {
      const std::size_t i = start + k < names.size() ? start + k : start + k - names.size();
      if (same(names[i])) {
        index = i;
        next_hint_ = i + 1;
        break;
      }
    }
  } else if (auto it = header_->index.find(std::string(column)); it != header_->index.end()) {
    index = it->second;
  }
  if (index >= names.size() || index >= fields_) return std::nullopt;
  return field(index);
}

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// After each field of a record in memory (Row): the byte record_fingerprint
// mixes in after each field, so that a row's print is one pass over its bytes.
constexpr char kSeparator = '\x1f';

// Bytes that end a run: in an unquoted field, and inside quotes.
constexpr std::array<bool, 256> special_bytes(bool quoted) {
  std::array<bool, 256> table{};
  table[static_cast<unsigned char>('"')] = true;
  table[static_cast<unsigned char>('\r')] = true;
  table[static_cast<unsigned char>('\n')] = true;
  if (!quoted) table[static_cast<unsigned char>(',')] = true;
  return table;
}
constexpr auto kEndsUnquoted = special_bytes(false);
constexpr auto kEndsQuoted = special_bytes(true);

// Bit 7 of each byte of the result is set where `word` has byte `c` (exact for
// the lowest such byte, which is all that is asked of it).
constexpr std::uint64_t bytes_equal(std::uint64_t word, char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));
  return (x - kOnes) & ~x & kHighs;
}

// The first special byte in [p, end), or end. Eight bytes per step while it
// can, then a table for the tail: cells are short and runs of them long.
template <bool Quoted>
const char* find_special(const char* p, const char* end) {
  static_assert(std::endian::native == std::endian::little, "the word scan assumes little-endian loads");
  while (end - p >= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    std::uint64_t hits = bytes_equal(word, '"') | bytes_equal(word, '\r') | bytes_equal(word, '\n');
    if (!Quoted) hits |= bytes_equal(word, ',');
    if (hits) return p + std::countr_zero(hits) / 8;
    p += 8;
  }
  const auto& table = Quoted ? kEndsQuoted : kEndsUnquoted;
  while (p != end && !table[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

bool is_line_end(char c) { return c == '\r' || c == '\n'; }

// CR, LF and CRLF each end one line.
std::size_t count_line_ends(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') ++n;
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) ++n;
  }
  return n;
}

std::string describe_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  constexpr std::string_view kHex = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xF];
}

// A chunk of at least one byte; a record short enough for 32-bit field offsets.
CsvLimits usable(CsvLimits limits) {
  limits.chunk_bytes = std::max<std::size_t>(limits.chunk_bytes, 1);
  limits.max_record_bytes = std::min<std::size_t>(limits.max_record_bytes, std::numeric_limits<std::uint32_t>::max());
  return limits;
}

std::string trim_blanks(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

struct CsvReader::Impl {
  enum class State { record_start, field_start, unquoted, quoted, quote_in_quoted };

  // --- the source: a file descriptor, or a string handed out in chunks
  std::string name;
  int fd = -1;
  std::string text;
  std::size_t text_offset = 0;
  std::vector<char> buffer;
  CsvLimits limits;
  std::uint64_t size = 0;
  const char* chunk_begin = nullptr;
  const char* cur = nullptr;
  const char* lim = nullptr;
  std::uint64_t consumed_before_chunk = 0;

  // --- position
  std::shared_ptr<CsvHeader> header;
  std::size_t line = 1;
  bool after_cr = false;  // an LF right after a CR belongs to the same line end
  std::size_t rows = 0;
  std::size_t field_limit = std::numeric_limits<std::size_t>::max();  // the header's count, once read

  // --- the record being read
  std::string bytes;
  std::vector<std::uint32_t> ends;
  std::size_t fields = 0;
  std::size_t record_line = 0;
  std::size_t quote_line = 0;
  bool discarding = false;  // after a problem: read to the record's end, keep nothing
  bool ascii = false;       // the record is known to be ASCII (plain_record saw every byte)
  std::optional<CsvProblem> problem;
  std::size_t expected_record_bytes = 64;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  std::runtime_error error(const std::string& reason) const { return std::runtime_error(name + ": " + reason); }

  void open_file(const std::filesystem::path& file) {
    name = file.string();
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw error(std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
    buffer.resize(std::max<std::size_t>(limits.chunk_bytes, kBom.size()));
    // The byte-order mark must be seen whole: read until three bytes are in.
    std::size_t filled = 0;
    while (filled < kBom.size()) {
      const std::size_t n = read_some(buffer.data() + filled, buffer.size() - filled);
      if (n == 0) break;
      filled += n;
    }
    chunk_begin = cur = buffer.data();
    lim = cur + filled;
    if (std::string_view(cur, filled).starts_with(kBom)) cur += kBom.size();
  }

  void open_text(std::string data) {
    name = "input";
    text = std::move(data);
    size = text.size();
    if (std::string_view(text).starts_with(kBom)) text_offset = consumed_before_chunk = kBom.size();
  }

  std::size_t read_some(char* into, std::size_t capacity) {
    for (;;) {
      const ssize_t n = ::read(fd, into, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) throw error(std::strerror(errno));
    }
  }

  // Makes the next chunk current; false at end of input.
  bool refill() {
    consumed_before_chunk += static_cast<std::uint64_t>(lim - chunk_begin);
    std::size_t n = 0;
    if (fd >= 0) {
      n = read_some(buffer.data(), limits.chunk_bytes);
      chunk_begin = buffer.data();
    } else {
      n = std::min(limits.chunk_bytes, text.size() - text_offset);
      chunk_begin = text.data() + text_offset;
      text_offset += n;
    }
    cur = chunk_begin;
    lim = chunk_begin + n;
    return n != 0;
  }

  std::uint64_t bytes_read() const { return consumed_before_chunk + static_cast<std::uint64_t>(cur - chunk_begin); }

  // --- building the record

  void fail(std::size_t at_line, std::size_t column, std::string message) {
    if (!problem) problem = CsvProblem{0, at_line, column, std::move(message)};
    discarding = true;
  }

  void fail_too_long() {
    fail(record_line, 0, "record longer than " + std::to_string(limits.max_record_bytes) + " bytes");
  }

  // A field's separator counts one byte towards the cap, so that a record of
  // commas alone is capped too.
  bool fits(std::size_t more) const { return bytes.size() + more <= limits.max_record_bytes; }

  // store() and end_field() run for every run and field: forced inline.
  [[gnu::always_inline]] void store(const char* p, std::size_t n) {
    if (!discarding && fits(n)) [[likely]]
      bytes.append(p, n);
    else if (!discarding)
      fail_too_long();
  }

  [[gnu::always_inline]] void end_field() {
    ++fields;
    if (discarding) return;
    ends.push_back(static_cast<std::uint32_t>(bytes.size()));
    bytes += kSeparator;
    // Fields past the header's count are only counted, for the message.
    if (fields >= field_limit)
      discarding = true;
    else if (!fits(0)) [[unlikely]]
      fail_too_long();
  }

  // Consumes one CR or LF; a following LF is absorbed by `after_cr`.
  void consume_line_end() {
    if (*cur == '\r') after_cr = true;
    ++cur;
    ++line;
  }

  void begin_record() {
    bytes.clear();
    ends.clear();
    bytes.reserve(expected_record_bytes);
    if (header) ends.reserve(header->names.size());
    fields = 0;
    ascii = false;
    discarding = false;
    problem.reset();
  }

  // A record on one line of the current chunk with no quote (nearly every
  // row of a job file) is read in one scan for its commas and line end and
  // one append, each comma turned into the separator in place: the state
  // machine below spent ~15 instructions a byte. Anything else (a quote, a
  // blank line, a record across chunks, one too long or with too many fields)
  // returns false having consumed nothing, for the state machine to read.
  bool plain_record() {
    if (after_cr || !header || cur == lim || is_line_end(*cur)) return false;
    const char* p = cur;
    const char* end = nullptr;  // the line end found
    unsigned high = 0;          // non-zero: a byte of the record is not ASCII
    // One bit per byte of the block that may be special: checked one by one.
    auto take = [&](const char* block, unsigned mask) {
      for (; mask != 0; mask &= mask - 1) {
        const char* q = block + std::countr_zero(mask);
        if (*q == ',') {
          if (ends.size() + 1 >= field_limit) return false;  // too many fields: counted by the state machine
          ends.push_back(static_cast<std::uint32_t>(q - cur));
        } else if (*q == '\n' || *q == '\r') {
          end = q;
          return true;
        } else if (*q == '"') {
          return false;
        }
      }
      return true;
    };
#if defined(__SSE2__)
    for (; lim - p >= 16 && !end; p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                                        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
      if (!take(p, static_cast<unsigned>(_mm_movemask_epi8(hits)))) return abandon();
      auto top_bits = static_cast<unsigned>(_mm_movemask_epi8(v));
      if (end) top_bits &= (1u << (end - p)) - 1;  // the record's bytes only
      high |= top_bits;
    }
#endif
    for (; p != lim && !end; ++p) {
      high |= static_cast<unsigned char>(*p) & 0x80u;
      if (kEndsUnquoted[static_cast<unsigned char>(*p)] && !take(p, 1)) return abandon();
    }
    if (!end) return abandon();  // the record goes on in the next chunk
    const auto length = static_cast<std::size_t>(end - cur);
    if (length + 1 > limits.max_record_bytes) return abandon();
    bytes.append(cur, length);
    bytes += kSeparator;
    char* const data = bytes.data();
    for (const std::uint32_t at : ends) data[at] = kSeparator;
    ascii = high == 0;
    ends.push_back(static_cast<std::uint32_t>(length));
    fields = ends.size();
    record_line = line;
    ++line;
    cur = end + 1;
    // CRLF is one line end; a CR at the chunk's end leaves its LF to the next record.
    if (*end == '\r') {
      if (cur == lim)
        after_cr = true;
      else if (*cur == '\n')
        ++cur;
    }
    return true;
  }

  bool abandon() {
    ends.clear();
    return false;
  }

  // Reads one record into `bytes`/`ends` (or `problem`). False at end of input.
  bool parse_record() {
    begin_record();
    if (plain_record()) return true;
    State state = State::record_start;
    for (;;) {
      if (cur == lim && !refill()) return finish_at_end(state);
      if (after_cr) {
        after_cr = false;
        if (*cur == '\n') {
          if (state == State::quoted) store(cur, 1);
          ++cur;
          continue;
        }
      }
      switch (state) {
        case State::record_start:
          // Blank lines between records are skipped: they hold no record and
          // use up no row number (a trailing newline at the end of a file is
          // one, and spreadsheets often leave more).
          if (is_line_end(*cur)) {
            consume_line_end();
            break;
          }
          record_line = line;
          state = State::field_start;
          break;
        case State::field_start:
          if (*cur == '"') {
            quote_line = line;
            ++cur;
            state = State::quoted;
          } else if (*cur == ',') {
            ++cur;
            end_field();
          } else if (is_line_end(*cur)) {
            end_field();
            consume_line_end();
            return true;
          } else {
            state = State::unquoted;
          }
          break;
        case State::unquoted: {
          const char* run_end = find_special<false>(cur, lim);
          store(cur, static_cast<std::size_t>(run_end - cur));
          cur = run_end;
          if (cur == lim) break;
          if (*cur == ',') {
            ++cur;
            end_field();
            state = State::field_start;
          } else if (*cur == '"') {
            if (!discarding)
              fail(line, fields + 1, "quote inside an unquoted field (quote the whole field and double the quote)");
            ++cur;
          } else {
            end_field();
            consume_line_end();
            return true;
          }
          break;
        }
        case State::quoted: {
          const char* run_end = find_special<true>(cur, lim);
          store(cur, static_cast<std::size_t>(run_end - cur));
          cur = run_end;
          if (cur == lim) break;
          if (*cur == '"') {
            ++cur;
            state = State::quote_in_quoted;
          } else {
            store(cur, 1);  // a quoted line end is data
            consume_line_end();
          }
          break;
        }
        case State::quote_in_quoted:
          if (*cur == '"') {
            store(cur, 1);
            ++cur;
            state = State::quoted;
          } else if (*cur == ',') {
            ++cur;
            end_field();
            state = State::field_start;
          } else if (is_line_end(*cur)) {
            end_field();
            consume_line_end();
            return true;
          } else {
            if (!discarding) fail(line, fields + 1, describe_byte(*cur) + " after a closing quote");
            state = State::unquoted;  // the rest of the field is skipped as text
          }
          break;
      }
    }
  }

  bool finish_at_end(State state) {
    switch (state) {
      case State::record_start:
        return false;
      case State::quoted:
        fail(quote_line, fields + 1, "unclosed quote opened on line " + std::to_string(quote_line));
        [[fallthrough]];
      default:
        end_field();
        return true;
    }
  }

  // A problem of a record that parsed: its field count or its encoding.
  std::optional<CsvProblem> check_record() const {
    const std::size_t expected = header->names.size();
    if (fields != expected)
      return CsvProblem{0, record_line, 0,
                        std::to_string(fields) + (fields == 1 ? " field" : " fields") + ", header has " +
                            std::to_string(expected)};
    if (ascii || is_ascii(bytes)) return std::nullopt;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < ends.size(); ++i) {
      const std::string_view field = std::string_view(bytes).substr(begin, ends[i] - begin);
      if (const std::size_t at = invalid_utf8_offset(field); at != std::string_view::npos) {
        const std::size_t at_line = record_line + count_line_ends(std::string_view(bytes).substr(0, begin + at));
        return CsvProblem{0, at_line, i + 1,
                          "invalid UTF-8: " + describe_byte(field[at]) + " at offset " + std::to_string(at) +
                              " in the field"};
      }
      begin = ends[i] + 1;
    }
    return std::nullopt;
  }

  void read_header() {
    if (!parse_record()) throw error("no header row (the file is empty)");
    if (problem) throw error("header, line " + std::to_string(problem->line) + ": " + problem->message);
    auto h = std::make_shared<CsvHeader>();
    std::size_t begin = 0;
    for (std::size_t i = 0; i < ends.size(); ++i) {
      const std::string_view raw = std::string_view(bytes).substr(begin, ends[i] - begin);
      begin = ends[i] + 1;
      if (const std::size_t at = invalid_utf8_offset(raw); at != std::string_view::npos)
        throw error("header column " + std::to_string(i + 1) + " is not valid UTF-8 (" + describe_byte(raw[at]) +
                    " at offset " + std::to_string(at) + ")");
      std::string column = trim_blanks(raw);
      if (column.empty()) throw error("header column " + std::to_string(i + 1) + " has no name");
      if (auto [it, added] = h->index.emplace(column, i); !added)
        throw error("header names column \"" + column + "\" twice (columns " + std::to_string(it->second + 1) +
                    " and " + std::to_string(i + 1) + ")");
      h->names.push_back(std::move(column));
    }
    field_limit = h->names.size();
    header = std::move(h);
  }

  std::optional<std::variant<Row, CsvProblem>> next() {
    if (!parse_record()) return std::nullopt;
    const std::size_t number = ++rows;
    if (!problem) problem = check_record();
    if (problem) {
      problem->row = number;
      return std::move(*problem);
    }
    // Room for the next record's bytes and its field ends (Row keeps them in one block).
    const std::size_t held = bytes.size() + ends.size() * sizeof ends[0];
    expected_record_bytes = held + held / 2 + 16;
    return Row(header, number, record_line, std::move(bytes), ends);
  }
};

CsvReader::CsvReader() : impl_(std::make_unique<Impl>()) {}

CsvReader::CsvReader(const std::filesystem::path& file, CsvLimits limits) : CsvReader() {
  impl_->limits = usable(limits);
  impl_->open_file(file);
  impl_->read_header();
}

CsvReader CsvReader::from_string(std::string data, CsvLimits limits) {
  CsvReader reader;
  reader.impl_->limits = usable(limits);
  reader.impl_->open_text(std::move(data));
  reader.impl_->read_header();
  return reader;
}

CsvReader::~CsvReader() = default;
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;

const CsvHeader& CsvReader::header() const { return *impl_->header; }
std::shared_ptr<const CsvHeader> CsvReader::shared_header() const { return impl_->header; }
std::optional<std::variant<Row, CsvProblem>> CsvReader::next() { return impl_->next(); }
std::uint64_t CsvReader::bytes_read() const { return impl_->bytes_read(); }
std::uint64_t CsvReader::file_size() const { return impl_->size; }

}  // namespace ab
