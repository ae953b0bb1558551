// The migration checklist page. Plain browser JavaScript, no framework. It receives the checklist
// data from the extension (`render` messages), validates every message, and builds the DOM with
// createElement/textContent only: names from the SQL file are never parsed as HTML.
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();
  const ITEMS = ['time', 'costComment', 'timeout', 'recovery', 'bootCheck'];
  const app = document.getElementById('app');
  const notice = document.getElementById('notice');
  /** The last valid render message's data and state. */
  let data = null;
  let state = { checked: {} };
  let measuredTimer = 0;

  // ---- validation of messages from the extension ---------------------------------------------------
  const isObj = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
  const isStr = (x) => typeof x === 'string';
  const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
  const isBool = (x) => typeof x === 'boolean';
  const isArr = (x, item) => Array.isArray(x) && x.every(item);
  const opt = (x, check) => x === undefined || check(x);
  const isMode = (x) => x === 'transactional' || x === 'non-transactional';

  function isTable(t) {
    return (
      isObj(t) &&
      isStr(t.name) &&
      isStr(t.lock) &&
      isBool(t.rewrite) &&
      isBool(t.scan) &&
      isBool(t.indexBuild) &&
      isStr(t.relationKind) &&
      isBool(t.createdInFile) &&
      isBool(t.large) &&
      opt(t.rows, isNum)
    );
  }
  function isStatement(s) {
    return (
      isObj(s) &&
      isNum(s.index) &&
      isNum(s.line) &&
      isStr(s.excerpt) &&
      isStr(s.kind) &&
      isStr(s.transaction) &&
      isBool(s.concurrently) &&
      isStr(s.cost) &&
      isArr(s.tables, isTable)
    );
  }
  function isData(d) {
    if (!isObj(d) || !isStr(d.uri) || !isStr(d.fileName)) return false;
    if (!isObj(d.runner) || !isStr(d.runner.id) || !isStr(d.runner.reason) || !opt(d.runner.version, isStr)) return false;
    if (!isObj(d.transaction) || !isMode(d.transaction.mode) || !isStr(d.transaction.summary)) return false;
    const e = d.eligibility;
    if (!isObj(e) || !isBool(e.eligible) || !isNum(e.thresholdRows) || !isArr(e.reasons, isStr) || !isArr(e.unknownSizes, isStr)) return false;
    if (!isArr(d.concurrently, (c) => isObj(c) && isNum(c.line) && isStr(c.excerpt))) return false;
    if (!isArr(d.statements, isStatement) || !isArr(d.tables, isTable)) return false;
    const t = d.statementTimeout;
    if (!isObj(t) || !isStr(t.setting) || !(t.ms === null || isNum(t.ms))) return false;
    if (!opt(t.inFile, (f) => isObj(f) && isNum(f.line) && isStr(f.value) && (f.ms === null || isNum(f.ms)))) return false;
    const r = d.recovery;
    if (!isObj(r) || !isStr(r.text) || !isMode(r.mode) || !isArr(r.warnings, isStr)) return false;
    if (!opt(d.costComment, (c) => isObj(c) && isNum(c.line) && isStr(c.text) && opt(c.seconds, isNum) && opt(c.rows, isNum) && opt(c.date, isStr)))
      return false;
    if (!opt(d.nextMigration, (n) => isObj(n) && isStr(n.fileName) && isArr(n.references, isStr))) return false;
    if (!opt(d.trace, (tr) => isObj(tr) && isStr(tr.source) && isArr(tr.columns, isStr) && isArr(tr.rows, (row) => isArr(row, isStr)))) return false;
    return true;
  }
  function isState(s) {
    return (
      isObj(s) &&
      isObj(s.checked) &&
      Object.keys(s.checked).every((k) => ITEMS.includes(k) && isBool(s.checked[k])) &&
      opt(s.measuredSeconds, isNum) &&
      opt(s.measuredRows, isNum)
    );
  }
  function isHostMessage(m) {
    if (!isObj(m)) return false;
    if (m.type === 'render') return isData(m.data) && isState(m.state);
    if (m.type === 'notice') return isStr(m.text) && (m.level === 'info' || m.level === 'error');
    return false;
  }

  // ---- DOM helpers: text only ------------------------------------------------------------------------
  /** `h('p', { className: 'x' }, 'text', child)`: attributes from a fixed set, children as text nodes or elements. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'className') node.className = v;
      else if (k === 'testid') node.dataset.testid = v;
      else if (k === 'text') node.textContent = v;
      else if (['id', 'type', 'for', 'role', 'scope', 'min', 'step', 'inputmode', 'title', 'aria-label', 'aria-hidden', 'aria-labelledby'].includes(k))
        node.setAttribute(k, String(v));
      else if (k === 'disabled' || k === 'checked') node[k] = Boolean(v);
      else if (k === 'value') node.value = String(v);
      else throw new Error('unsupported attribute ' + k);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const icon = (name) => h('span', { className: 'codicon codicon-' + name, 'aria-hidden': 'true' });
  const code = (text) => h('code', {}, text);

  function formatRows(rows) {
    // Only zeros after the decimal point go: 100k stays 100k, 1.50M becomes 1.5M.
    const trim = (s) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
    if (rows >= 1e9) return trim((rows / 1e9).toFixed(rows >= 1e10 ? 0 : 2)) + 'B';
    if (rows >= 1e6) return trim((rows / 1e6).toFixed(rows >= 1e7 ? 0 : 2)) + 'M';
    if (rows >= 1e3) return trim((rows / 1e3).toFixed(rows >= 1e4 ? 0 : 1)) + 'k';
    return String(rows);
  }
  function formatSeconds(s) {
    if (s < 1) return Math.round(s * 1000) + ' ms';
    if (s < 60) return (s < 10 ? Math.round(s * 10) / 10 : Math.round(s)) + ' s';
    const min = Math.floor(s / 60);
    const rest = Math.round(s - min * 60);
    return rest > 0 ? min + ' min ' + rest + ' s' : min + ' min';
  }
  function work(t) {
    const parts = [];
    if (t.rewrite) parts.push('rewrite');
    if (t.indexBuild) parts.push('index build');
    if (t.scan) parts.push('scan');
    return parts.length ? parts.join(', ') : 'catalog only';
  }
  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  }

  // ---- state changes -----------------------------------------------------------------------------------
  function post(message) {
    vscode.postMessage(message);
  }
  function measured() {
    return { seconds: state.measuredSeconds, rows: state.measuredRows };
  }
  /** A number field's value, or null when empty or not a non-negative number. */
  function fieldNumber(input) {
    if (input.value.trim() === '') return null;
    const n = Number(input.value);
    return Number.isFinite(n) && n >= 0 ? n : null;
  }

  // ---- rendering ---------------------------------------------------------------------------------------
  function checkbox(item, label) {
    const id = 'check-' + item;
    const box = h('input', { type: 'checkbox', id, testid: 'check-' + item, checked: state.checked[item] === true });
    box.addEventListener('change', () => {
      state.checked[item] = box.checked;
      post({ type: 'setChecked', item, checked: box.checked });
    });
    return h('div', { className: 'done' }, box, h('label', { for: id }, label));
  }

  function section(item, number, title, ...body) {
    const hid = 'heading-' + item;
    return h(
      'section',
      { className: 'item' + (state.checked[item] ? ' is-done' : ''), testid: 'item-' + item, 'aria-labelledby': hid },
      h('h2', { id: hid, testid: 'heading-' + item }, number + '. ' + title),
      ...body,
      checkbox(item, 'Done'),
    );
  }

  function tableRows(columns, rows, testid) {
    return h(
      'table',
      { testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, rows),
    );
  }

  function renderFacts() {
    const dl = h('dl', { className: 'facts', testid: 'facts' });
    const fact = (term, ...desc) => dl.append(h('dt', {}, term), h('dd', {}, ...desc));
    fact(
      'Runner',
      code(data.runner.id),
      data.runner.version ? ', version ' + data.runner.version : '',
      h('span', { className: 'muted' }, ' — ' + data.runner.reason),
    );
    fact('Transaction', data.transaction.mode + '. ' + data.transaction.summary);
    fact(
      'CONCURRENTLY',
      data.concurrently.length === 0
        ? 'none'
        : h(
            'ul',
            { testid: 'concurrently' },
            data.concurrently.map((c) => h('li', {}, 'line ' + c.line + ': ', code(c.excerpt))),
          ),
    );
    const e = data.eligibility;
    const why = e.eligible
      ? h(
          'ul',
          { testid: 'eligibility-reasons' },
          e.reasons.map((r) => h('li', {}, r)),
        )
      : h(
          'span',
          {},
          'no rewrite, scan or index build on a table of ' + formatRows(e.thresholdRows) + '+ known rows',
          e.unknownSizes.length ? '; sizes unknown for ' + e.unknownSizes.join(', ') + ' (add them to tables in pg-migration-guard.json)' : '',
        );
    fact('Needs this checklist', h('strong', { testid: 'eligibility', className: e.eligible ? 'warn' : '' }, e.eligible ? 'yes' : 'not required'), ' — ', why);
    return dl;
  }

  function renderTime() {
    const touched = tableRows(
      ['Table', 'Strongest lock', 'Work', 'Known rows'],
      data.tables.map((t) =>
        h(
          'tr',
          { className: t.large ? 'large' : '' },
          h('td', {}, h('span', { testid: 'table-name' }, t.name), t.createdInFile ? h('span', { className: 'muted' }, ' (new in this file)') : ''),
          h('td', {}, t.lock),
          h('td', {}, work(t)),
          h('td', {}, t.rows === undefined ? 'unknown' : formatRows(t.rows)),
        ),
      ),
      'touched-tables',
    );
    const perStatement = tableRows(
      ['Line', 'Statement', 'Relation', 'Lock', 'Work', 'Known rows'],
      data.statements.flatMap((s) => {
        const go = h('button', { type: 'button', className: 'link', title: 'Go to line ' + s.line, 'aria-label': 'Go to line ' + s.line }, String(s.line));
        go.addEventListener('click', () => post({ type: 'revealLine', line: s.line }));
        const tables = s.tables.length ? s.tables : [null];
        return tables.map((t, i) =>
          h(
            'tr',
            {},
            h('td', {}, i === 0 ? go : ''),
            h('td', {}, i === 0 ? code(s.excerpt) : ''),
            h('td', {}, t ? t.name : ''),
            h('td', {}, t ? t.lock : ''),
            h('td', {}, t ? work(t) : ''),
            h('td', {}, t && t.rows !== undefined ? formatRows(t.rows) : ''),
          ),
        );
      }),
      'statements',
    );
    const seconds = h('input', { type: 'number', id: 'measured-seconds', testid: 'measured-seconds', min: '0', step: 'any', inputmode: 'decimal' });
    const rows = h('input', { type: 'number', id: 'measured-rows', testid: 'measured-rows', min: '0', step: '1', inputmode: 'numeric' });
    if (state.measuredSeconds !== undefined) seconds.value = String(state.measuredSeconds);
    if (state.measuredRows !== undefined) rows.value = String(state.measuredRows);
    const onInput = () => {
      const s = fieldNumber(seconds);
      const r = fieldNumber(rows);
      if (s === null) delete state.measuredSeconds;
      else state.measuredSeconds = s;
      if (r === null) delete state.measuredRows;
      else state.measuredRows = r;
      updateDerived();
      clearTimeout(measuredTimer);
      measuredTimer = setTimeout(() => post({ type: 'setMeasured', seconds: s, rows: r }), 250);
    };
    seconds.addEventListener('input', onInput);
    rows.addEventListener('input', onInput);
    const trace = data.trace
      ? h(
          'div',
          { className: 'trace' },
          h('h3', {}, 'Trace results'),
          h('p', { className: 'muted' }, data.trace.source),
          tableRows(
            data.trace.columns,
            data.trace.rows.map((r) =>
              h(
                'tr',
                {},
                r.map((c) => h('td', {}, c)),
              ),
            ),
            'trace-table',
          ),
        )
      : h('p', { className: 'muted', testid: 'trace-empty' }, 'No trace results for this file yet.');
    return section(
      'time',
      1,
      'Time it against prod-sized data',
      h('p', {}, 'Run the migration on a copy of production (or a table of the same size) and record how long it took.'),
      data.tables.length ? touched : h('p', { className: 'muted' }, 'The up section touches no table.'),
      data.statements.length ? h('details', {}, h('summary', {}, 'Per statement'), perStatement) : '',
      trace,
      h(
        'div',
        { className: 'fields' },
        h('label', { for: 'measured-seconds' }, 'Measured time (seconds)'),
        seconds,
        h('label', { for: 'measured-rows' }, 'Rows it was measured on'),
        rows,
      ),
    );
  }

  function renderCostComment() {
    const button = h('button', { type: 'button', testid: 'write-cost-comment' }, icon('edit'), ' Write to header comment');
    button.addEventListener('click', () => {
      const m = measured();
      if (m.seconds === undefined || m.rows === undefined) return;
      post({ type: 'writeCostComment', seconds: m.seconds, rows: m.rows });
    });
    const existing = data.costComment
      ? h('p', {}, 'Line ' + data.costComment.line + ': ', code(data.costComment.text))
      : h('p', { className: 'muted' }, 'The file has no ', code('-- cost:'), ' header comment yet.');
    return section(
      'costComment',
      2,
      "Write the observed timing in the migration's header comment",
      existing,
      h('p', {}, 'Will write: ', h('code', { testid: 'cost-preview' })),
      button,
    );
  }

  function renderTimeout() {
    const t = data.statementTimeout;
    const lines = [
      h(
        'p',
        {},
        'Migration role: ',
        code('statement_timeout = ' + t.setting),
        t.ms === null ? ' (no timeout)' : '',
        h('span', { className: 'muted' }, ' (setting pgMigrationGuard.statementTimeout)'),
      ),
    ];
    if (t.inFile)
      lines.push(
        h(
          'p',
          {},
          'The file sets ',
          code('statement_timeout = ' + t.inFile.value),
          ' on line ' + t.inFile.line + ', which applies instead',
          t.inFile.ms === null ? ' (no timeout).' : '.',
        ),
      );
    return section('timeout', 3, 'Compare against statement_timeout', ...lines, h('p', { className: 'margin', testid: 'timeout-margin', role: 'status' }));
  }

  function renderRecovery() {
    const copy = h('button', { type: 'button', testid: 'copy-recovery' }, icon('copy'), ' Copy');
    copy.addEventListener('click', () => post({ type: 'copyRecoverySnippet' }));
    const insert = h('button', { type: 'button', testid: 'insert-recovery' }, icon('new-file'), ' Open as SQL document');
    insert.addEventListener('click', () => post({ type: 'insertRecoverySnippet' }));
    const r = data.recovery;
    return section(
      'recovery',
      4,
      'State the recovery plan',
      h('p', {}, 'If this migration fails in production, this recipe finishes it by hand (' + r.mode + ').'),
      r.warnings.length
        ? h(
            'ul',
            { className: 'warnings', testid: 'recovery-warnings' },
            r.warnings.map((w) => h('li', {}, w)),
          )
        : '',
      h('pre', { testid: 'recovery-snippet', className: 'snippet' }, r.text),
      h('div', { className: 'buttons' }, copy, insert),
    );
  }

  function renderBootCheck() {
    const n = data.nextMigration;
    const next = !n
      ? h('p', { testid: 'next-migration' }, 'No later migration in this folder.')
      : n.references.length === 0
        ? h('p', { testid: 'next-migration' }, 'The next migration, ', code(n.fileName), ', does not use objects this one creates.')
        : h(
            'div',
            { testid: 'next-migration' },
            h('p', { className: 'warn' }, 'The next migration, ', code(n.fileName), ', depends on this one: it uses'),
            h(
              'ul',
              {},
              n.references.map((r) => h('li', {}, r)),
            ),
          );
    return section(
      'bootCheck',
      5,
      'Boot-time schema-version check',
      h(
        'p',
        {},
        'Make the application check at startup that the schema version it needs is applied (read the runner’s ledger), so a deploy whose migration failed does not serve traffic on the old schema.',
      ),
      next,
    );
  }

  /** Parts that follow the measured fields without a full re-render (keeps focus while typing). */
  function updateDerived() {
    const preview = app.querySelector('[data-testid="cost-preview"]');
    const button = app.querySelector('[data-testid="write-cost-comment"]');
    const m = measured();
    const ready = m.seconds !== undefined && m.rows !== undefined;
    if (preview)
      preview.textContent = ready
        ? '-- cost: ' +
          (m.seconds >= 10 ? Math.round(m.seconds) : Math.round(m.seconds * 100) / 100) +
          ' s measured on ' +
          formatRows(Math.round(m.rows)) +
          ' rows, ' +
          today()
        : '(fill in both measured fields above)';
    if (button) button.disabled = !ready;
    const margin = app.querySelector('[data-testid="timeout-margin"]');
    if (!margin) return;
    const inFile = data.statementTimeout.inFile;
    const timeoutMs = inFile ? inFile.ms : data.statementTimeout.ms;
    let status;
    let text;
    if (timeoutMs === null) {
      status = 'none';
      text = 'No statement_timeout applies: a slow statement holds its locks until it finishes.';
    } else if (m.seconds === undefined) {
      status = 'unknown';
      text = 'Enter the measured time in item 1 to see the margin to ' + formatSeconds(timeoutMs / 1000) + '.';
    } else {
      const left = timeoutMs / 1000 - m.seconds;
      status = m.seconds * 1000 >= timeoutMs * 0.5 ? 'danger' : 'ok';
      text =
        left <= 0
          ? 'Measured ' + formatSeconds(m.seconds) + ': over the ' + formatSeconds(timeoutMs / 1000) + ' timeout by ' + formatSeconds(-left) + '. It will fail.'
          : 'Measured ' +
            formatSeconds(m.seconds) +
            ' of ' +
            formatSeconds(timeoutMs / 1000) +
            ': margin ' +
            formatSeconds(left) +
            ' (' +
            Math.round((left * 100000) / timeoutMs) +
            '%)' +
            (status === 'danger' ? ', within 50% of the timeout.' : '.');
    }
    margin.textContent = '';
    margin.append(icon(status === 'danger' ? 'warning' : status === 'ok' ? 'pass' : 'info'), ' ', text);
    margin.className = 'margin margin-' + status;
    margin.dataset.state = status;
  }

  function render() {
    // Keep the field being edited (and the caret) across a re-render caused by an edit of the file.
    const active = document.activeElement;
    const activeId = active && active.id ? active.id : null;
    app.textContent = '';
    app.append(
      h('h1', { testid: 'title' }, 'Migration checklist: ' + data.fileName),
      renderFacts(),
      renderTime(),
      renderCostComment(),
      renderTimeout(),
      renderRecovery(),
      renderBootCheck(),
    );
    updateDerived();
    if (activeId) {
      const again = document.getElementById(activeId);
      if (again) again.focus();
    }
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!isHostMessage(m)) return; // not ours, or malformed: ignore
    if (m.type === 'notice') {
      notice.textContent = m.text;
      notice.className = 'notice-' + m.level;
      return;
    }
    data = m.data;
    // While a measured field is being typed in, the page's values are newer than the extension's.
    const typing = document.activeElement && ['measured-seconds', 'measured-rows'].includes(document.activeElement.id);
    const local = measured();
    const cost = data.costComment || {};
    const seconds = typing ? local.seconds : m.state.measuredSeconds !== undefined ? m.state.measuredSeconds : cost.seconds;
    const rows = typing ? local.rows : m.state.measuredRows !== undefined ? m.state.measuredRows : cost.rows;
    state = { checked: Object.assign({}, m.state.checked) };
    if (seconds !== undefined) state.measuredSeconds = seconds;
    if (rows !== undefined) state.measuredRows = rows;
    vscode.setState({ uri: data.uri });
    render();
  });

  post({ type: 'ready' });
})();
