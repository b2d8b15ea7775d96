-- wrk script for bench/run.sh. Two modes, chosen by environment variables:
--
--   GET a page:    BENCH_COOKIE (optional) is sent as the Cookie header; wrk's URL is the page.
--   Save answers:  BENCH_PAIRS.BENCH_PHASE names a file of "reviewId itemId" lines, each an item with no answer
--                  yet in the review's current round; BENCH_TOKEN is a personal access token.
--                  Every request PUTs a different pair with version 0, so each save is a real insert
--                  and none can conflict. The lines are dealt out between wrk's threads, never shared.
--
-- wrk counts only socket errors and 4xx/5xx; a redirect to the sign-in page would look like success.
-- So every response that is not 2xx is counted here, and done() prints one line that run.sh reads:
--   RESULT requests=... seconds=... rps=... p50_ms=... p99_ms=... non2xx=... socket_errors=... exhausted=...

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

-- One Lua state per wrk thread: these globals are per thread, and done() collects them.
non2xx = 0
exhausted = 0
local pairs_file = os.getenv("BENCH_PAIRS") and (os.getenv("BENCH_PAIRS") .. "." .. os.getenv("BENCH_PHASE"))
local work = {}
local next_index = 1

-- A realistic answer: a position, a paragraph of reasoning, evidence, and whose voices were heard.
local positions = { "Addressed", "PartlyAddressed", "Concern" }
local voices = { '["Practitioners"]', '["Families","Practitioners"]', '["ChildrenAndYoungPeople","Carers"]' }
local reasoning = "Discussed with practitioners and the parents' group at the design workshop; the plan "
   .. "covers this for the pilot and we will look at it again before the service is embedded."

function init(args)
   local cookie = os.getenv("BENCH_COOKIE")
   if cookie and cookie ~= "" then
      wrk.headers["Cookie"] = cookie
   end
   if pairs_file then
      local threads_total = tonumber(os.getenv("BENCH_THREADS") or "1")
      local n = 0
      for line in io.lines(pairs_file) do
         if n % threads_total == id then
            work[#work + 1] = line
         end
         n = n + 1
      end
      wrk.method = "PUT"
      wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
      wrk.headers["Content-Type"] = "application/json"
   end
end

if pairs_file then
   function request()
      local line = work[next_index]
      if line == nil then
         -- Out of fresh pairs: resend the first, which the server must refuse (409); counted as an error.
         exhausted = exhausted + 1
         line = work[1]
      end
      local i = next_index
      next_index = next_index + 1
      local review, item = line:match("^(%S+) (%S+)$")
      local body = '{"position":"' .. positions[i % 3 + 1] .. '","reasoning":"' .. reasoning
         .. '","evidence":"Workshop notes, 12 March","voices":' .. voices[i % 3 + 1]
         .. ',"dissent":null,"version":0}'
      return wrk.format(nil, "/api/v1/reviews/" .. review .. "/answers/" .. item, nil, body)
   end
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad, short = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non2xx")
      short = short + thread:get("exhausted")
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d exhausted=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      bad, e.connect + e.read + e.write + e.timeout, short))
end
