-- Headless Neovim 0.7 as a real LSP client of pg-migration-guard, for test/e2e/editors.
--
--   PGMG_LSP_CMD='["node","dist/cli.js","lsp","--stdio"]' PGMG_REPORT=report.json \
--   [PGMG_ACTION_RULE=<rule id> PGMG_ACTION_TITLE='<code action title>'] \
--   nvim --headless -i NONE -u driver.lua FILE.sql
--
-- Opens FILE with Neovim's built-in client (0.7 has no vim.lsp.start: start_client + buf_attach_client),
-- waits for the first publishDiagnostics of FILE, and records it. With PGMG_ACTION_RULE, puts the cursor
-- on that rule's diagnostic, runs the user's command (vim.lsp.buf.code_action) with vim.ui.select answered
-- by title (as a user picks from the menu), `silent write`s the buffer and waits for the diagnostics
-- published for the edited version. Everything observed goes to the JSON report; the mocha test asserts.
-- Exit: 0 report complete, 2 a wait timed out, 3 Lua error, 4 watchdog. The report is written in all cases.

local report = { editor = 'neovim', logs = {}, notifications = {}, publishes = {} }
local t0 = vim.loop.hrtime()
local finished = false

local function ms()
  return math.floor((vim.loop.hrtime() - t0) / 1e6)
end

local function finish(code)
  if finished then
    return
  end
  finished = true
  report.totalMs = ms()
  local f = assert(io.open(os.getenv('PGMG_REPORT') or 'pgmg-report.json', 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. code)
  end
end

local function fail(code, message)
  report.error = message
  finish(code)
  error(message, 0) -- unwinds run(); finish already exited
end

local function wait(timeout_ms, pred, what)
  if not vim.wait(timeout_ms, pred, 10) then
    fail(2, 'timed out after ' .. timeout_ms .. ' ms waiting for ' .. what)
  end
end

-- vim.diagnostic's own view of the buffer (what the user sees in signs and virtual text).
local function editor_diagnostics(bufnr)
  return vim.tbl_map(function(d)
    return { lnum = d.lnum, col = d.col, severity = d.severity, code = d.code, source = d.source }
  end, vim.diagnostic.get(bufnr))
end

local function run()
  local v = vim.version()
  report.version = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  local bufnr = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  report.file = path

  local cmd_json = os.getenv('PGMG_LSP_CMD')
  if not cmd_json or cmd_json == '' then
    fail(3, 'PGMG_LSP_CMD not set')
  end

  local client_start = vim.loop.hrtime()
  local client_id = vim.lsp.start_client({
    name = 'pg-migration-guard',
    cmd = vim.fn.json_decode(cmd_json),
    root_dir = vim.fn.fnamemodify(path, ':h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and vim.uri_to_fname(result.uri) == path then
          table.insert(report.publishes, {
            ms = math.floor((vim.loop.hrtime() - client_start) / 1e6),
            version = result.version,
            diagnostics = result.diagnostics,
          })
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
      ['window/logMessage'] = function(_, result)
        table.insert(report.logs, result)
      end,
      ['window/showMessage'] = function(_, result)
        table.insert(report.logs, result)
      end,
    },
    on_exit = function(code, signal)
      report.serverExit = { code = code, signal = signal }
    end,
  })
  if not client_id then
    fail(3, 'vim.lsp.start_client returned nil')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  -- The first publish for this file: a clean file must publish an empty list, not stay silent.
  wait(10000, function()
    return #report.publishes > 0 or report.serverExit ~= nil
  end, 'the first publishDiagnostics')
  if #report.publishes == 0 then
    fail(2, 'the server exited (code ' .. report.serverExit.code .. ') before publishing diagnostics')
  end
  report.msToFirstDiagnostics = report.publishes[1].ms
  report.first = report.publishes[1]
  report.editorDiagnostics = editor_diagnostics(bufnr)

  local rule = os.getenv('PGMG_ACTION_RULE')
  local title = os.getenv('PGMG_ACTION_TITLE')
  if rule and rule ~= '' then
    local target
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == rule then
        target = d
        break
      end
    end
    if not target then
      fail(3, 'no diagnostic with code ' .. rule .. ' in the buffer')
    end
    vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })

    -- The code-action menu, answered by title. vim.lsp.buf.code_action() calls vim.ui.select with every
    -- action of every client; picking the item is the user's only part.
    local chosen = nil
    vim.ui.select = function(items, opts, on_choice)
      report.offered = {}
      local pick
      for _, item in ipairs(items) do
        local label = opts.format_item and opts.format_item(item) or tostring(item)
        table.insert(report.offered, label)
        if label == title and not pick then
          pick = item
        end
      end
      chosen = pick and title or false
      on_choice(pick)
    end
    vim.notify = function(msg, level)
      table.insert(report.notifications, { message = msg, level = level })
    end

    local tick = vim.api.nvim_buf_get_changedtick(bufnr)
    vim.lsp.buf.code_action()
    wait(5000, function()
      return chosen ~= nil
    end, 'the code action menu')
    if not chosen then
      fail(3, 'no code action titled "' .. tostring(title) .. '"')
    end
    wait(5000, function()
      return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
    end, 'the workspace edit to change the buffer')
    report.applied = chosen

    vim.cmd('silent write')
    report.modifiedAfterWrite = vim.bo[bufnr].modified

    -- The analysis of the edited text: the publish carrying the buffer's current LSP version.
    local version = vim.lsp.util.buf_versions[bufnr]
    report.editedVersion = version
    wait(10000, function()
      local last = report.publishes[#report.publishes]
      return last.version == version
    end, 'publishDiagnostics for version ' .. tostring(version))
    report.after = report.publishes[#report.publishes]
    report.editorDiagnosticsAfter = editor_diagnostics(bufnr)
  end

  report.bufferText = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  report.clientOffsetEncoding = client.offset_encoding

  -- Polite shutdown (shutdown request, exit notification); the server must exit by itself.
  vim.lsp.stop_client(client_id)
  wait(5000, function()
    return report.serverExit ~= nil
  end, 'the server to exit after shutdown/exit')
  finish(0)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    vim.defer_fn(function()
      if not finished then
        report.error = 'watchdog: driver still running after 25 s'
        finish(4)
      end
    end, 25000)
    local ok, err = pcall(run)
    if not ok and not finished then
      report.error = tostring(err)
      finish(3)
    end
  end,
})
