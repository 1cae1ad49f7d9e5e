#include "sim/twitter/store.hpp"

#include <algorithm>
#include <cctype>

namespace ab::sim::tw {

namespace {

std::string base36(std::uint64_t number) {
  constexpr std::string_view digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), digits[number % 36]);
    number /= 36;
  } while (number != 0);
  return out;
}

// The number a lower-case base-36 id names, if it is one (no leading zeros, as base36() writes).
std::optional<std::uint64_t> from_base36(std::string_view id) {
  if (id.empty() || id.size() > 12 || (id.size() > 1 && id.front() == '0')) return std::nullopt;
  std::uint64_t number = 0;
  for (char c : id) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'z') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') digit = c - 'A' + 10;  // X's ids are case-insensitive
    if (digit < 0) return std::nullopt;
    number = number * 36 + static_cast<std::uint64_t>(digit);
  }
  return number;
}

}  // namespace

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Store::Store(std::string account_id, std::uint64_t first_id)
    : account_id_(std::move(account_id)), first_id_(first_id) {}

Audience& Store::add(Audience audience) {
  audience.sequence = audiences_.size();
  audience.id = base36(first_id_ + audience.sequence);
  if (!audience.deleted) {
    ++live_;
    if (audience.created_by_client) ++live_client_names_[audience.name];
  }
  return audiences_.emplace_back(std::move(audience));
}

Store::Created Store::create(NewAudience draft, SystemTime now, CreatedThrough through) {
  auto name_count = live_client_names_.find(draft.name);
  const bool duplicate = name_count != live_client_names_.end() && name_count->second > 0;
  Audience audience;
  audience.name = std::move(draft.name);
  audience.description = std::move(draft.description);
  audience.audience_type = std::move(draft.audience_type);
  audience.targetable_types = targetable_types_for(audience.audience_type);
  audience.reasons_not_targetable = {"PROCESSING", "TOO_SMALL"};
  audience.owner_account_id = account_id_;
  audience.created_at = now;
  audience.updated_at = now;
  audience.segments = std::move(draft.segments);
  audience.created_by_client = true;
  ++(through == CreatedThrough::single ? creates_ : batch_creates_);
  return {add(std::move(audience)), duplicate};
}

Audience* Store::find(std::string_view id) {
  // An id names its audience's place: base36(first_id + sequence), so no id -> audience table is kept.
  const auto number = from_base36(id);
  if (!number || *number < first_id_ || *number - first_id_ >= audiences_.size()) return nullptr;
  return &audiences_[*number - first_id_];
}

const Audience* Store::find(std::string_view id) const { return const_cast<Store*>(this)->find(id); }

void Store::update(Audience& audience, std::optional<std::string> name, std::optional<std::string> description,
                   SystemTime now) {
  if (name) {
    if (!audience.deleted) forget_client_name(audience);
    audience.name = std::move(*name);
    if (!audience.deleted && audience.created_by_client) ++live_client_names_[audience.name];
  }
  if (description) audience.description = std::move(*description);
  audience.updated_at = now;
}

void Store::remove(Audience& audience, SystemTime now) {
  if (audience.deleted) return;
  forget_client_name(audience);
  audience.deleted = true;
  audience.updated_at = now;
  --live_;
}

void Store::forget_client_name(const Audience& audience) {
  if (!audience.created_by_client) return;
  auto it = live_client_names_.find(audience.name);
  if (it != live_client_names_.end() && --it->second == 0) live_client_names_.erase(it);
}

}  // namespace ab::sim::tw
