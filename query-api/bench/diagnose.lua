-- random "why can't A reach B?" pairs over the benchmark's 200 services
math.randomseed(7)
request = function()
  local path = string.format("/api/v1/diagnose?from=svc-%d&to=svc-%d", math.random(0, 199), math.random(0, 199))
  return wrk.format("GET", path, {["Authorization"] = "Bearer bench-token"})
end
