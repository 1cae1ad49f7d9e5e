// The Lua scripts that keep the shared budgets in Redis (loaded once per
// connection with SCRIPT LOAD, run with EVALSHA). Redis runs a script
// atomically, so a take by one process never interleaves with another's.
// Times are the Redis server's own clock (TIME), in microseconds: the
// processes' clocks never meet, so machines whose clocks differ still share
// one window.
#pragma once

namespace ab::scripts {

// A sliding log per budget (a sorted set of send times, at most `limit`
// inside any window), chosen over GCRA because a GCRA/token bucket of N per
// window lets up to 2N through in one window at the wrong moment, and the
// servers count fixed windows of N. Takes up to ARGV[1] sends of every budget
// at once, or none: replies {granted, wait_us}; granted 0 with wait_us the
// time until the first send fits (a park, the hold after a restart, or the
// oldest send leaving its window). Each send is kept for its window plus a
// margin (ARGV[3]) that covers the way from Redis to the API's server.
// KEYS: hold, then per budget its log and its park. ARGV: wanted, member
// prefix, margin_us, then per budget: limit (0: no fixed rate, parks only),
// window_us.
inline constexpr const char* take = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wanted = tonumber(ARGV[1])
local margin = tonumber(ARGV[3])
local budgets = (#KEYS - 1) / 2
local wait = redis.call('PTTL', KEYS[1])
for i = 1, budgets do
  local p = redis.call('PTTL', KEYS[2 * i + 1])
  if p > wait then wait = p end
end
if wait > 0 then return {0, wait * 1000} end
local grant = wanted
local until_free = 0
for i = 1, budgets do
  local limit = tonumber(ARGV[2 + 2 * i])
  if limit > 0 then
    local log = KEYS[2 * i]
    local span = tonumber(ARGV[3 + 2 * i]) + margin
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - span)
    local used = redis.call('ZCARD', log)
    if used >= limit then
      local oldest = redis.call('ZRANGE', log, used - limit, used - limit, 'WITHSCORES')
      local free_in = tonumber(oldest[2]) + span - now
      if free_in > until_free then until_free = free_in end
      grant = 0
    elseif limit - used < grant then
      grant = limit - used
    end
  end
end
if grant == 0 then return {0, math.max(1, math.ceil(until_free))} end
for i = 1, budgets do
  local limit = tonumber(ARGV[2 + 2 * i])
  if limit > 0 then
    local log = KEYS[2 * i]
    for j = 1, grant do redis.call('ZADD', log, now, ARGV[2] .. ':' .. j) end
    redis.call('PEXPIRE', log, math.ceil((tonumber(ARGV[3 + 2 * i]) + margin) / 1000) + 1000)
  end
end
return {grant, 0}
)lua";

// A time the server named (Retry-After, the reset of a spent window) parks
// the budget for every process: KEYS are park keys, ARGV[1] milliseconds.
// A later park is kept over an earlier one.
inline constexpr const char* park = R"lua(
local ms = tonumber(ARGV[1])
for i = 1, #KEYS do
  if redis.call('PTTL', KEYS[i]) < ms then redis.call('SET', KEYS[i], '1', 'PX', ms) end
end
return 0
)lua";

// Joining the store on (re)connection. The store carries an id; a process
// that knew another id (or finds none) is talking to a store that restarted
// empty: the first such process holds every budget for ARGV[3] ms, and each
// puts back its own sends still inside their windows, so that once the hold
// ends the logs know what was sent before the restart.
// KEYS: store id, hold, then the logs. ARGV: the id known ('' at first), a
// new id for an empty store, hold ms, member prefix, each log's expiry in ms,
// then pairs (log index from 1, age in microseconds). Replies {id, restarted}.
inline constexpr const char* rejoin = R"lua(
local known = ARGV[1]
local id = redis.call('GET', KEYS[1])
if id == known then return {id, 0} end
if not id then
  id = ARGV[2]
  redis.call('SET', KEYS[1], id)
  if known ~= '' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
end
if known == '' then return {id, 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local logs = #KEYS - 2
local i = 5 + logs
local n = 0
while i < #ARGV do
  n = n + 1
  redis.call('ZADD', KEYS[2 + tonumber(ARGV[i])], now - tonumber(ARGV[i + 1]), ARGV[4] .. ':r' .. n)
  i = i + 2
end
for k = 1, logs do redis.call('PEXPIRE', KEYS[2 + k], ARGV[4 + k]) end
return {id, 1}
)lua";

}  // namespace ab::scripts
