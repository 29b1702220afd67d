-- Test hooks for the record golden site: one of each kind.

-- Every meeting is held in Recordtown.
icp.hook("page", function(page)
  if page.kind == "meeting" then
    page.place = "Recordtown"
  end
end)

-- {{ x | shout }} in templates.
icp.filter("shout", function(v)
  return string.upper(tostring(v))
end)

-- {{< callout "Title" "text" >}} in Markdown: a quoted callout.
icp.shortcode("callout", function(args, page)
  return "> **" .. (args[1] or "Note") .. ":** " .. (args[2] or "")
end)

-- A "you said, we did" page from the answered public questions.
icp.hook("pages", function(site)
  local lines = {}
  for _, q in ipairs(site.lists.questions) do
    if q.status == "answered" then
      lines[#lines + 1] = "- You asked: " .. q.question
    end
  end
  table.insert(site.pages, {
    url = "you-said-we-did/",
    title = "You said, we did",
    parent = "questions/",
    body = table.concat(lines, "\n"),
    data = { answered = #lines },
  })
end)
