-- wrk scenario for bin/load-test.sh: a mix close to real use of the catalogue.
-- home 20 %, filtered list 35 %, search 20 %, sheet 25 %. Sheets come from LOAD_TEST_SHEETS.

local sheets = {}
for slug in string.gmatch(os.getenv("LOAD_TEST_SHEETS") or "", "[^,]+") do
  table.insert(sheets, "/cas-d-usage/" .. slug .. "/")
end

local lists = {
  "/cas-d-usage/",
  "/cas-d-usage/?stade=deployment",
  "/cas-d-usage/?theme=mobilites&tri=titre",
  "/cas-d-usage/?type=commune&hebergement=on_premise",
  "/cas-d-usage/?technique=ia-generative",
  "/cas-d-usage/?page=2",
  "/cas-d-usage/?region=53&stade=experiment&stade=deployment",
}
local searches = {
  "/cas-d-usage/?q=eau",
  "/cas-d-usage/?q=d%C3%A9chets+m%C3%A9nagers",
  "/cas-d-usage/?q=agent+conversationnel",
  "/cas-d-usage/?q=cantine&tri=pertinence",
  "/cas-d-usage/?q=%C3%A9clairage+public",
}

local function pick(list)
  return list[math.random(#list)]
end

local counts = {}

function setup(thread)
  thread:set("id", tostring(thread))
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local roll = math.random(100)
  local path
  if roll <= 20 then
    path = "/"
  elseif roll <= 55 then
    path = pick(lists)
  elseif roll <= 75 or #sheets == 0 then
    path = pick(searches)
  else
    path = pick(sheets)
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "requests: %d in %.1f s = %.1f req/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  io.write(string.format(
    "errors: non-2xx/3xx %d, connect %d, read %d, write %d, timeout %d\n",
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
