-- Test driver (.ci/lsp.sh): with batchscale.lua loaded, opens $FORMULA, waits
-- for batchscale's diagnostics and writes one line per diagnostic to $OUT:
-- `LINE:COL-ENDLINE:ENDCOL SEVERITY CODE` (1-based, columns in bytes).
local file, out = vim.env.FORMULA, vim.env.OUT
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local arrived = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local names = { "error", "warning", "info", "hint" }
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
  table.insert(lines, string.format("%d:%d-%d:%d %s %s", d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1, names[d.severity], code))
end
table.sort(lines)
if not arrived then
  table.insert(lines, "no diagnostics arrived")
end
vim.fn.writefile(lines, out)
vim.cmd("qall!")
