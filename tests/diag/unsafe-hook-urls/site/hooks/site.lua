-- Hooks that try to publish script addresses; each is refused.
icp.hook("config", function(c)
  c.nav[1].url = "javascript:alert(1)"
end)

icp.hook("page", function(p)
  if p.kind == "meeting" then
    p.online = " JaVa\tScRiPt:alert(1)"
    p.recording = "data:text/html,<script>alert(1)</script>"
  elseif p.kind == "person" then
    p.interests_url = "&#106;avascript:alert(1)"
  elseif p.kind == "organisation" then
    p.website = "javascript:alert(document.cookie)"
  end
end)

-- Escape sequences in a message are shown, never obeyed by the terminal.
icp.warn("\27]0;owned\7\27[2J\r\nicpgen: build OK \226\128\174")
