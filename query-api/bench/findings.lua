-- the on-call page's findings queries: all open, per mesh, per category, second page
math.randomseed(11)
local cats = {"UNTRUSTED_ROOT", "SAN_MISMATCH", "CERT_EXPIRED", "CLIENT_CERT_MISSING", "PLAINTEXT_MISMATCH"}
request = function()
  local k = math.random(1, 4)
  local path
  if k == 1 then path = "/api/v1/findings?state=open"
  elseif k == 2 then path = string.format("/api/v1/findings?mesh=%s-%d&state=open", (math.random(0,1)==0) and "istio" or "consul", math.random(0, 7))
  elseif k == 3 then path = "/api/v1/findings?category=" .. cats[math.random(1, #cats)] .. "&since=24h"
  else path = "/api/v1/findings?page=1&size=50" end
  return wrk.format("GET", path, {["Authorization"] = "Bearer bench-token"})
end
