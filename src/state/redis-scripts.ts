/**
 * The Lua scripts that make each StateStore step atomic on the Redis server. Keys of one namespace
 * share a hash tag ({ns}), so every script touches one slot.
 *
 * An entry stored with put is three things: the value key (expires by itself), its member in the
 * namespace's "due" sorted set (score: dueAt) and in its "forget" sorted set (score: dueAt + keepMs).
 * Both sets expire with their longest-lived entry; members whose time has passed are pruned by the
 * next due() or count(), which is what keeps count() at ZCARD cost.
 */

/** Removes members whose forget time is at or before ARGV[1] from both sets (KEYS[1] due, KEYS[2] forget). */
const PRUNE = `
local function prune(now)
  while true do
    local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 500)
    if #gone == 0 then return end
    redis.call('ZREM', KEYS[1], unpack(gone))
    redis.call('ZREM', KEYS[2], unpack(gone))
  end
end
`;

export interface ScriptDef {
  numberOfKeys: number;
  lua: string;
}

export const SCRIPTS = {
  /** KEYS value, due, forget; ARGV id, value, dueAt, ttlMs, forgetAt. */
  rwPut: {
    numberOfKeys: 3,
    lua: `
local ttl = tonumber(ARGV[4])
if ttl <= 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
for i = 2, 3 do
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`,
  },
  /** KEYS value, due, forget; ARGV id. Returns the value, or nil. */
  rwTake: {
    numberOfKeys: 3,
    lua: `
local v = redis.call('GET', KEYS[1])
if v then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
return v
`,
  },
  /** KEYS value; ARGV expected, next. The key keeps its time to live. */
  rwSwap: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
`,
  },
  /** KEYS due, forget; ARGV storeNow, now, limit, value key prefix. IDs due at or before now, soonest first. */
  rwDue: {
    numberOfKeys: 2,
    lua: `${PRUNE}
prune(ARGV[1])
local out = {}
local limit = tonumber(ARGV[3])
while #out < limit do
  local batch = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', #out, limit - #out)
  if #batch == 0 then break end
  for _, id in ipairs(batch) do
    if redis.call('EXISTS', ARGV[4] .. id) == 1 then
      out[#out + 1] = id
    else
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZREM', KEYS[2], id)
    end
  end
end
return out
`,
  },
  /** KEYS due, forget; ARGV storeNow. Live entries of the namespace. */
  rwCount: {
    numberOfKeys: 2,
    lua: `${PRUNE}
prune(ARGV[1])
return redis.call('ZCARD', KEYS[2])
`,
  },
  /**
   * KEYS window; ARGV now, windowMs, limit, record (1/0), member (unique, so equal times all count).
   * Returns 0 when under the limit (recording one event when asked), else ms until the oldest leaves.
   */
  rwAcquire: {
    numberOfKeys: 1,
    lua: `
local now = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if oldest[2] == nil then return math.ceil(win) end
  return math.ceil(tonumber(oldest[2]) + win - now)
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil(win))
end
return 0
`,
  },
} as const satisfies Record<string, ScriptDef>;
