// The API's timestamps ("2017-08-22T23:34:26Z") and the send-time checkpoint
// a create records before its first send, so that a resumed run knows which
// audiences its earlier sends could have made.
#pragma once

#include "engine/run/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ab::tw {

// RFC 3339 in UTC: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00). nullopt otherwise.
std::optional<SystemTime> parse_utc_timestamp(std::string_view text);

// "sent_at=1318622958" and back.
std::string send_time_checkpoint(SystemTime sent_at);
std::optional<SystemTime> parse_send_time_checkpoint(std::string_view checkpoint);

}  // namespace ab::tw
