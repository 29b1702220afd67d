-- This site calls its committees "boards", and has a page for each
-- place (town) listing the meetings held there and its measures.
-- The places are listed in icpgen.yaml under data: places: (see
-- lua/places.lua).

local places = require("places")
local base = "/"	-- the site's base path ("/" or "/icp/"), for templates

-- config: the words the templates use, and the list of places.
icp.hook("config", function(config)
  config.data = config.data or {}
  config.data.labels = {
    committee = "board",
    committees = "boards",
    Committee = "Board",
    Committees = "Boards",
  }
  base = (config.base_url or ""):match("^https?://[^/]+(/.*)$") or "/"
  if base:sub(-1) ~= "/" then
    base = base .. "/"
  end
  places.load(config)
end)

-- page: boards instead of committees, and each meeting, committee
-- and measure gets "place" = {id, name, url}.
icp.hook("page", function(page)
  if page.kind == "committee" then
    page.title = page.title:gsub(" Committee$", " Board")
    page.label = "Board"
  elseif page.kind == "meeting" then
    page.label = "Board meeting"
  elseif page.kind ~= "measure" then
    return
  end
  local p = places.of(page)
  if p ~= nil then
    page.place = { id = p.id, name = p.name, url = base .. places.url(p) }
  end
end)

-- A short summary of a meeting for a place page.
local function meeting_ref(m)
  return {
    title = m.title, url = m.url, date = m.date, status = m.status,
  }
end

-- "1 meeting", "2 meetings".
local function count(n, what)
  return n .. " " .. what .. (n == 1 and "" or "s")
end

-- pages: /places/ and /places/ID/ for each place.
icp.hook("pages", function(site)
  local index = {}
  local top = {
    url = "places/", title = "Places",
    data = { places = places.list },
  }
  table.insert(site.pages, top)
  for _, p in ipairs(places.list) do
    local upcoming, past, measures = {}, {}, {}
    for _, m in ipairs(site.lists.upcoming_meetings) do
      if m.place and m.place.id == p.id then
        upcoming[#upcoming + 1] = meeting_ref(m)
      end
    end
    for _, m in ipairs(site.lists.past_meetings) do
      if m.place and m.place.id == p.id then
        past[#past + 1] = meeting_ref(m)
      end
    end
    for _, m in ipairs(site.lists.measures) do
      if m.place and m.place.id == p.id then
        measures[#measures + 1] = {
          title = m.title, url = m.url,
          latest = m.latest_value and m.latest_value.value_text,
          date = m.latest_value and m.latest_value.date,
          rag_text = m.latest and m.latest.rag_text,
        }
      end
    end
    table.insert(site.pages, {
      url = places.url(p), title = p.name, template = "place.html",
      parent = "places/",
      data = { place = p, upcoming = upcoming, past = past,
        measures = measures },
    })
    -- Markdown links name pages from the site's root, without the base
    -- path: the build checks them and adds it.
    index[#index + 1] = string.format("- [%s](/%s): %s, %s", p.name,
      places.url(p), count(#upcoming + #past, "meeting"),
      count(#measures, "measure"))
  end
  top.body = "Our boards meet in each of these places.\n\n"
    .. table.concat(index, "\n") .. "\n"
end)
