-- A four-level rating of outcome measures, worked out from the
-- figures instead of written by hand:
--
--   achieved         the value meets the target
--   on-track         it meets the planned value for its date
--   needs-attention  it misses the planned value by no more than the
--                    tolerance
--   off-track        it misses it by more
--   no-data          there is no figure
--
-- The planned value for a date is read off the line through the
-- baseline, the trajectory and the target.  The tolerance is a fifth of
-- the improvement from baseline to target, unless the measure sets its
-- own under "data: tolerance:" (in the measure's unit).

local rag4 = {}

rag4.levels = {
  { key = "achieved", words = "Achieved",
    means = "the target has been met" },
  { key = "on-track", words = "On track",
    means = "at or better than the planned trajectory" },
  { key = "needs-attention", words = "Needs attention",
    means = "a little behind the planned trajectory" },
  { key = "off-track", words = "Off track",
    means = "well behind the planned trajectory" },
  { key = "no-data", words = "No data",
    means = "there is no figure for this period" },
}
rag4.by_key = {}
for _, l in ipairs(rag4.levels) do
  rag4.by_key[l.key] = l
end

-- Days since 1970-01-01 of "YYYY-MM-DD" (no time zones involved).
function rag4.days(date)
  local y, m, d = tostring(date):match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  if y == nil then
    return nil
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then
    y = y - 1
  end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- The points {day, value} of a measure's plan, in date order.
local function plan(measure)
  local pts = {}
  local function add(p)
    if type(p) == "table" and type(p.value) == "number" then
      local day = rag4.days(p.date)
      if day ~= nil then
        pts[#pts + 1] = { day = day, value = p.value }
      end
    end
  end
  add(measure.baseline)
  for _, p in ipairs(measure.trajectory or {}) do
    add(p)
  end
  add(measure.target)
  table.sort(pts, function(a, b) return a.day < b.day end)
  return pts
end

-- The planned value on day: linear between the points of the plan.
function rag4.planned(measure, day)
  local pts = plan(measure)
  if #pts == 0 then
    return nil
  end
  if day <= pts[1].day then
    return pts[1].value
  end
  for i = 2, #pts do
    local a, b = pts[i - 1], pts[i]
    if day <= b.day then
      return a.value + (b.value - a.value) * (day - a.day) / (b.day - a.day)
    end
  end
  return pts[#pts].value
end

-- "92.8%" or "412 per 100,000 people": a figure in the measure's unit.
function rag4.figure(measure, x)
  local s = string.format("%.1f", x):gsub("%.0$", "")
  local unit = measure.unit or ""
  if unit == "" or unit == "%" then
    return s .. unit
  end
  return s .. " " .. unit
end

-- A difference between two figures: "1.4 percentage points" for a
-- measure in %, else a figure.
function rag4.difference(measure, x)
  if measure.unit == "%" then
    local s = string.format("%.1f", x):gsub("%.0$", "")
    return s .. " percentage points"
  end
  return rag4.figure(measure, x)
end

-- The level of one value, and the reason for it.
function rag4.rate(measure, v)
  if type(v.value) ~= "number" then
    return "no-data", nil
  end
  local hib = measure.higher_is_better
  -- better(a, b): a is at least as good as b.
  local function better(a, b)
    if hib then
      return a >= b - 1e-9
    end
    return a <= b + 1e-9
  end
  local target = measure.target and measure.target.value
  if type(target) == "number" and better(v.value, target) then
    return "achieved", "The target is " .. rag4.figure(measure, target)
      .. "."
  end
  local day = rag4.days(v.date)
  local want = day and rag4.planned(measure, day)
  if want == nil then
    return "needs-attention", "There is no plan to compare with."
  end
  local wanted = "The plan for this date was " .. rag4.figure(measure, want)
  if better(v.value, want) then
    return "on-track", wanted .. "."
  end
  local tol = measure.data and measure.data.tolerance
  if type(tol) ~= "number" then
    local base = measure.baseline and measure.baseline.value
    tol = type(base) == "number" and type(target) == "number"
      and math.abs(target - base) / 5 or 0
  end
  if math.abs(v.value - want) <= tol + 1e-9 then
    return "needs-attention", wanted .. ", and this is within "
      .. rag4.difference(measure, tol) .. " of it."
  end
  return "off-track", wanted .. ", and this is more than "
    .. rag4.difference(measure, tol) .. " away."
end

return rag4
