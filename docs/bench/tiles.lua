-- wrk script for docs/bench/http.sh: requests distinct paths from a list, each thread its
-- own share, so that a tile server renders every request instead of answering from its
-- cache.
--
--   wrk ... -s docs/bench/tiles.lua http://HOST:PORT -- LIST THREADS [OFFSET]
--
-- LIST holds one path per line; thread i (from 0) asks for lines OFFSET+i, OFFSET+i+THREADS,
-- OFFSET+i+2*THREADS, ... and starts over at the end of the list.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local paths, pos, stride

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  stride = tonumber(args[2]) or 1
  pos = (tonumber(args[3]) or 0) + id
end

function request()
  local p = paths[(pos % #paths) + 1]
  pos = pos + stride
  return wrk.format("GET", p)
end
