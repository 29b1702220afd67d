-- The places of the partnership, read from icpgen.yaml:
--
--   data:
--     places:
--       - id: castlemoor        # lower-case words and hyphens: its address
--         name: Castlemoor      # as people say it
--         board: castlemoor     # the committee (board) of that place
--
-- Loaded by require("places") from hooks/places.lua.  A module is run
-- once per build, so the table below is shared by every hook call.

local places = { list = {}, by_id = {}, by_board = {} }

-- Read the list from the configuration; report what is wrong with it.
function places.load(config)
  local list = config.data and config.data.places
  if type(list) ~= "table" then
    icp.warn("icpgen.yaml has no 'data: places:' list, so no place pages "
      .. "are made", "icpgen.yaml")
    return
  end
  for i, p in ipairs(list) do
    if type(p.id) ~= "string" or not p.id:match("^[a-z0-9]+[a-z0-9-]*$")
        or type(p.name) ~= "string" then
      icp.error("place " .. i .. " in 'data: places:' needs an 'id' of "
        .. "lower-case letters, digits and hyphens and a 'name'",
        "icpgen.yaml")
    elseif places.by_id[p.id] then
      icp.error("place '" .. p.id .. "' is listed twice in 'data: places:'",
        "icpgen.yaml")
    else
      places.list[#places.list + 1] = p
      places.by_id[p.id] = p
      if p.board then
        places.by_board[p.board] = p
      end
    end
  end
end

-- The ids of all places, for messages: "'castlemoor', 'fenby'".
function places.names()
  local n = {}
  for _, p in ipairs(places.list) do
    n[#n + 1] = "'" .. p.id .. "'"
  end
  return table.concat(n, ", ")
end

-- The place of a meeting, committee or measure: "place:" under its
-- "data:" if it has one, else the place whose board it belongs to.
-- Returns nil when it has none; reports an unknown place.
function places.of(page)
  local id = page.data and page.data.place
  if id ~= nil then
    local p = places.by_id[id]
    if p == nil then
      icp.error("unknown place '" .. tostring(id) .. "' under 'data:' "
        .. "(places are " .. places.names() .. ")", page.source)
    end
    return p
  end
  if page.kind == "committee" then
    return places.by_board[page.id]
  end
  if type(page.committee) == "string" then
    return places.by_board[page.committee]
  end
  return nil
end

-- The address of a place's page, below the site's base path.
function places.url(p)
  return "places/" .. p.id .. "/"
end

return places
