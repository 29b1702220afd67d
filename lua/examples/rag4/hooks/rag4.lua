-- Rate every value of every outcome measure on this site's own four
-- levels (see lua/rag4.lua), in place of the ratings written in the
-- files, and explain the levels to readers.

local rag4 = require("rag4")

-- page: re-rate each value of a measure.  The build turns "rag" into
-- words ("needs-attention" becomes "Needs attention") after this hook.
icp.hook("page", function(page)
  if page.kind ~= "measure" then
    return
  end
  if page.target == nil then
    icp.warn("measure '" .. page.id .. "' has no target, so no value "
      .. "can be rated 'achieved'", page.source)
  end
  for _, v in ipairs(page.values or {}) do
    local level, reason = rag4.rate(page, v)
    v.rag = level
    -- A reason written in the file is kept: it says more.
    if v.reason == nil then
      v.reason = reason
    end
  end
  page.rag_scheme = "rag4"
end)

-- {{ v.rag | rag_words }}: "Achieved: the target has been met";
-- {{ v.rag | rag_words("short") }}: "Achieved".
icp.filter("rag_words", function(key, form)
  local l = rag4.by_key[key]
  if l == nil then
    return key
  end
  if form == "short" then
    return l.words
  end
  return l.words .. ": " .. l.means
end)

-- {{< rag_key >}} on a line of its own: the levels, as a list.
icp.shortcode("rag_key", function(args, page)
  local lines = {}
  for _, l in ipairs(rag4.levels) do
    lines[#lines + 1] = "- **" .. l.words .. "**: " .. l.means
  end
  return table.concat(lines, "\n") .. "\n"
end)
