// The Lua scripts that keep the shared budgets in Redis (loaded once per
// connection with SCRIPT LOAD, run with EVALSHA). Redis runs a script
// atomically, so a take by one process never interleaves with another's.
// Times are the Redis server's own clock (TIME), in microseconds: the
// processes' clocks never meet, so machines whose clocks differ still share
// one window. The one time a process brings, a reset its API published, it
// moves onto the store's clock first (store_clock.hpp, from the TIME each
// take replies with).
#pragma once

namespace ab::scripts {

// Per budget, the rules of RateCount (engine/send/rate_count.hpp) over a log
// kept here: a sorted set of the newest `limit` send times, and the server's
// window (a hash: the reset the count starts from, and the latest reset any
// process heard published). A send may go while the log holds fewer than
// `limit` in the last window plus the margin (a sliding log: safe against
// any alignment), or fewer than `limit` since the last published reset that
// has passed, less the guard band (the server's own window: a new window's
// budget is there at once). Not GCRA or a token bucket: N per window in a
// bucket lets up to 2N through in one of the server's fixed windows. A reset
// heard later than the next one known becomes the next, and the one before
// it the anchor once it has passed, or at once when the new one is nearly a
// window later: a reading less than that later may be the same reset read
// with more of its server's clock lag (server_clock.hpp), not proof that
// the server's window turned.
// Takes up to ARGV[1] sends of every budget at once, or none: replies
// {granted, wait_us, now_us}; granted 0 with wait_us the time until the
// first send fits (a park, the hold after a restart, a send leaving the
// log's window, or the next published reset); now_us the store's TIME.
// The margin (also the guard band) is each process's own (arrival_guard.hpp:
// how late its sends may reach the server); a budget uses the largest any
// process published in the last two windows, so that a slow or far process's
// late sends are counted by every other one too.
// KEYS: hold, then per budget its log, its park and its window. ARGV:
// wanted, member prefix, margin_us, then per budget:
// limit (0: no fixed rate, parks only), window_us, the latest reset this
// process heard published for a window of that limit (epoch us on the
// store's clock, 0: none).
inline constexpr const char* take = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wanted = tonumber(ARGV[1])
local mine = tonumber(ARGV[3])
local budgets = (#KEYS - 1) / 3
local margins = {}
local wait = redis.call('PTTL', KEYS[1])
for i = 1, budgets do
  local p = redis.call('PTTL', KEYS[3 * i])
  if p > wait then wait = p end
end
if wait > 0 then return {0, wait * 1000, now} end
local grant = wanted
local until_free = 0
for i = 1, budgets do
  local limit = tonumber(ARGV[1 + 3 * i])
  if limit > 0 then
    local log = KEYS[3 * i - 1]
    local win = KEYS[3 * i + 1]
    local window = tonumber(ARGV[2 + 3 * i])
    local heard = tonumber(ARGV[3 + 3 * i])
    local state = redis.call('HMGET', win, 'anchor', 'next', 'margin', 'margin_at')
    local anchor = tonumber(state[1]) or 0
    local nxt = tonumber(state[2]) or 0
    local margin = tonumber(state[3]) or 0
    if mine >= margin or now - (tonumber(state[4]) or 0) > 2 * window then
      margin = mine
      redis.call('HSET', win, 'margin', margin, 'margin_at', now)
    end
    margins[i] = margin
    local span = window + margin
    if heard > nxt + margin then
      local turned = now >= nxt + margin or heard >= nxt + window - margin
      if nxt > 0 and turned and (anchor == 0 or nxt >= anchor + window - margin) then anchor = nxt end
      nxt = heard
    elseif heard > nxt then
      nxt = heard
    end
    if nxt > 0 and now >= nxt + margin and (anchor == 0 or nxt >= anchor + window - margin) then anchor = nxt end
    if nxt > 0 then redis.call('HSET', win, 'anchor', anchor, 'next', nxt) end
    redis.call('PEXPIRE', win, math.ceil(2 * span / 1000) + 1000)
    local keep_from = now - span
    if anchor > 0 and anchor - margin < keep_from then keep_from = anchor - margin end
    redis.call('ZREMRANGEBYSCORE', log, '-inf', keep_from - 1)
    redis.call('ZREMRANGEBYRANK', log, 0, -limit - 1)
    local sliding = redis.call('ZCOUNT', log, now - span, '+inf')
    local room = limit - sliding
    if anchor > 0 then
      local fixed = limit - redis.call('ZCOUNT', log, anchor - margin, '+inf')
      if fixed > room then room = fixed end
    end
    if room <= 0 then
      local oldest = redis.call('ZRANGEBYSCORE', log, now - span, '+inf', 'WITHSCORES', 'LIMIT', sliding - limit, 1)
      local free_in = tonumber(oldest[2]) + span - now
      if nxt > anchor and (anchor == 0 or nxt >= anchor + window - margin) and nxt + margin - now < free_in then
        free_in = nxt + margin - now
      end
      if free_in > until_free then until_free = free_in end
      grant = 0
    elseif room < grant then
      grant = room
    end
  end
end
if grant == 0 then return {0, math.max(1, math.ceil(until_free)), now} end
for i = 1, budgets do
  local limit = tonumber(ARGV[1 + 3 * i])
  if limit > 0 then
    local log = KEYS[3 * i - 1]
    for j = 1, grant do redis.call('ZADD', log, now, ARGV[2] .. ':' .. j) end
    redis.call('ZREMRANGEBYRANK', log, 0, -limit - 1)
    redis.call('PEXPIRE', log, math.ceil((tonumber(ARGV[2 + 3 * i]) + margins[i]) / 1000) + 1000)
  end
end
return {grant, 0, now}
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
