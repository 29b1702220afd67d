-- Site hooks for the Northshire and Vale ICP portal.
--
-- For every meeting page, add two fields that templates may use:
--   is_joint          true when the full partnership (the joint
--                     committee, id "icp") meets, false for its
--                     assembly and place board
--   has_exempt_items  true when any agenda item is exempt, so a
--                     template can explain that some papers are withheld
-- Other pages are left unchanged.

icp.hook("page", function(page)
  if page.kind ~= "meeting" then
    return
  end
  local committee = page.committee
  if type(committee) == "table" then
    committee = committee.id     -- after linking: {id, title, url}
  end
  page.is_joint = (committee == "icp")
  page.has_exempt_items = false
  for _, item in ipairs(page.agenda or {}) do
    if item.exempt == true or item.exempt == "true" then
      page.has_exempt_items = true
      break
    end
  end
end)
