-- batchscale lsp in Neovim (0.7 and later): formula files, and the Bicep,
-- Terraform and JSON files that carry formulas. Put this file in your config
-- (e.g. ~/.config/nvim/plugin/batchscale.lua). On Neovim 0.7, also set
-- `vim.g.do_filetype_lua = 1` before it so that `*.formula` is recognised.
local cmd = { vim.env.BATCHSCALE_BIN or "batchscale", "lsp" }

vim.filetype.add({ extension = { formula = "azure-batch-autoscale" } })

local client_id
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "azure-batch-autoscale", "bicep", "terraform", "tf", "json", "jsonc" },
  callback = function(args)
    if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
      client_id = vim.lsp.start_client({
        name = "batchscale",
        cmd = cmd,
        root_dir = vim.fn.getcwd(),
      })
    end
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})
