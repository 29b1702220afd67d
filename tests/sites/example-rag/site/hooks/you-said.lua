-- A "you said, we did" page: each public question that has been
-- answered, with its answer, newest first.
--
-- Links in the Markdown of a page made by a hook are checked like
-- those of the site's files: they name a file by its path from the
-- site's root, such as /questions/2025-11-flu.md, and the build turns
-- that into the page's address (with the site's base path).

local months = { "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December" }

-- "3 December 2025" from "2025-12-03".
local function long_date(s)
  local y, m, d = tostring(s):match("^(%d+)-(%d+)-(%d+)$")
  if y == nil then
    return tostring(s)
  end
  return tonumber(d) .. " " .. months[tonumber(m)] .. " " .. y
end

-- The Markdown body of a content file: what follows its front matter.
local function body_of(path)
  local text, err = icp.read(path)
  if text == nil then
    icp.error("cannot read the answer: " .. err, path)
    return ""
  end
  local rest = text:match("^%-%-%-\r?\n.-\r?\n%-%-%-\r?\n(.*)$")
  return ((rest or text):gsub("^%s+", ""):gsub("%s+$", ""))
end

icp.hook("pages", function(site)
  local out = { "Questions from the public, and what we did about them." }
  local shown = {}
  for _, q in ipairs(site.lists.questions) do
    if q.status == "answered" then
      local answer = body_of(q.source)
      out[#out + 1] = "# " .. q.title
      out[#out + 1] = "**You said:** " .. q.question
      out[#out + 1] = "**We did:** " .. answer
      local by = {}
      if q.answered_by then
        by[#by + 1] = "by " .. q.answered_by.title
      end
      if q.answered_on then
        by[#by + 1] = "on " .. long_date(q.answered_on)
      end
      if q.meeting then
        by[#by + 1] = "at the [meeting of " .. long_date(q.meeting.date)
          .. "](/meetings/" .. q.meeting.id .. "/index.md)"
      end
      out[#out + 1] = "Answered " .. table.concat(by, " ")
        .. ". [The question and answer](/" .. q.source .. ")."
      shown[#shown + 1] = { title = q.title, url = q.url }
    end
  end
  if #shown == 0 then
    out[#out + 1] = "No questions have been answered yet."
  end
  table.insert(site.pages, {
    url = "you-said-we-did/",
    title = "You said, we did",
    parent = "questions/",
    body = table.concat(out, "\n\n") .. "\n",
    data = { questions = shown },
  })
end)
