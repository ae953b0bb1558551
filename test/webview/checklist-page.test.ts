/**
 * The checklist page (media/checklist) alone in Debian's chromium: the real page script and style,
 * the real HTML shell and CSP from client/src/checklist/checklist-html.ts, and data built by the
 * real engine from a migration whose names and comments are HTML/JS payloads. The only test double
 * is `acquireVsCodeApi` (the VS Code host), which records what the page posts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { ChecklistData } from '../../protocol/protocol';
import { checklistHtml } from '../../client/src/checklist/checklist-html';
import { ChecklistStateStore } from '../../client/src/checklist/checklist-state';
import { type ChecklistState, isPageMessage, type PageMessage } from '../../client/src/checklist/page-messages';
import { checklistData, costCommentText } from '../../server/src/engine';
import { lint } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'https://webview.test';
const NONCE = 'testNonce0123456789';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** What the test server serves: the page's real files. */
const FILES: Record<string, { path: string; type: string }> = {
  '/checklist.js': { path: join(ROOT, 'media', 'checklist', 'checklist.js'), type: 'text/javascript' },
  '/checklist.css': { path: join(ROOT, 'media', 'checklist', 'checklist.css'), type: 'text/css' },
  '/codicon.css': { path: join(ROOT, 'node_modules', '@vscode', 'codicons', 'dist', 'codicon.css'), type: 'text/css' },
  '/codicon.ttf': { path: join(ROOT, 'node_modules', '@vscode', 'codicons', 'dist', 'codicon.ttf'), type: 'font/ttf' },
};

// ---- a migration made of payloads ------------------------------------------------------------------------
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>window.__pwned=2</script>';
const SVG = "'><svg onload=alert(4)>";
const JS_URL = 'javascript:alert(3)';
const ATTR = '" autofocus onfocus="window.__pwned=5';
const FILE_NAME = '20240101000000_"><img src=x onerror=alert(6)>.sql';
const MIGRATION = [
  '-- migrate:up',
  '-- <script>window.__pwned = "comment"</script>',
  `ALTER TABLE "${IMG}" /* <iframe src="javascript:alert(7)"></iframe> */ ADD COLUMN "x"" onmouseover=""window.__pwned=1" text GENERATED ALWAYS AS ('<b>' || id) STORED;`,
  `ALTER TABLE "${SCRIPT.replace(/"/g, '""')}" ADD COLUMN note text DEFAULT '${JS_URL}';`,
  `CREATE INDEX "${JS_URL}" ON "${SVG}" (id);`,
  `CREATE TABLE "${ATTR.replace(/"/g, '""')}" (id int);`,
  '',
  '-- migrate:down',
  '',
].join('\n');
const NEXT = `-- migrate:up\nINSERT INTO "${ATTR.replace(/"/g, '""')}" (id) VALUES (1);\n`;

function hostileData(): ChecklistData {
  const config = { tables: { [IMG]: { rows: 2_000_000 }, [SVG]: { rows: 900_000 }, [SCRIPT]: { rows: 10 } } };
  const analysis = lint(MIGRATION, { path: `db/migrations/${FILE_NAME}`, config });
  const next = lint(NEXT, { path: 'db/migrations/20240102000000_next.sql' });
  const data = checklistData(analysis, {
    uri: `file:///w/db/migrations/${encodeURIComponent(FILE_NAME)}`,
    next: { fileName: `20240102000000_${IMG}.sql`, statements: next.statements },
  });
  data.trace = { source: `PostgreSQL ${SCRIPT}`, columns: ['relation', 'lock'], rows: [[IMG, 'ACCESS EXCLUSIVE']] };
  return data;
}

// ---- the page under test -----------------------------------------------------------------------------------
interface Opened {
  page: Page;
  dialogs: string[];
  errors: string[];
  requests: string[];
}

let browser: Browser;

async function openPage(options: { csp: boolean } = { csp: true }): Promise<Opened> {
  const page = await browser.newPage();
  const opened: Opened = { page, dialogs: [], errors: [], requests: [] };
  let html = checklistHtml({
    cspSource: ORIGIN,
    nonce: NONCE,
    scriptUri: `${ORIGIN}/checklist.js`,
    styleUri: `${ORIGIN}/checklist.css`,
    codiconUri: `${ORIGIN}/codicon.css`,
    title: `Migration checklist: ${FILE_NAME}`,
  });
  if (!options.csp) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') opened.errors.push(m.text());
  });
  page.on('pageerror', (e) => opened.errors.push(e.message));
  page.on('request', (r) => opened.requests.push(r.url()));
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    const file = FILES[url.pathname];
    if (!file) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ status: 200, contentType: file.type, body: readFileSync(file.path) });
  });
  // A string, not a function: tsx's name helpers do not exist in the page.
  await page.addInitScript(`
    window.__posted = [];
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
  `);
  await page.goto(`${ORIGIN}/index.html`);
  await until(page, "window.__posted.some((m) => m.type === 'ready')");
  return opened;
}

/**
 * Browser-side code is passed as strings: the project compiles without the DOM library, and tsx's
 * helpers for function names do not exist in the page.
 */
const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
const posted = (page: Page): Promise<PageMessage[]> => inPage(page, 'window.__posted');
/** Polls an expression from the test side (page.waitForFunction would evaluate strings in the page, which the CSP forbids). */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await inPage<boolean>(page, `Boolean(${expression})`))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const post = (page: Page, message: unknown): Promise<void> => inPage(page, `window.postMessage(${JSON.stringify(message)}, '*')`);
const computed = (page: Page, testid: string, property: string): Promise<string> =>
  inPage(page, `getComputedStyle(document.querySelector('[data-testid="${testid}"]'))[${JSON.stringify(property)}]`);

async function render(page: Page, data: ChecklistData, state: ChecklistState = { checked: {} }): Promise<void> {
  await post(page, { type: 'render', data, state });
  await until(page, `document.querySelector('[data-testid="title"]')?.textContent === ${JSON.stringify(`Migration checklist: ${data.fileName}`)}`);
}

/** Nothing a payload could have produced: no executed script, no element or request from the data. */
async function assertNothingExecuted(o: Opened): Promise<void> {
  const { page } = o;
  const facts = await inPage<{ pwned: unknown; injected: number; scripts: string[]; onAttributes: string[] }>(
    page,
    `({
      pwned: window.__pwned,
      injected: document.querySelectorAll('img, svg, iframe, object, embed, a, b, form, base, meta:not([charset]):not([name]):not([http-equiv])').length,
      scripts: [...document.scripts].map((s) => s.src),
      onAttributes: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
    })`,
  );
  assert.equal(facts.pwned, undefined);
  assert.equal(facts.injected, 0);
  assert.deepEqual(facts.scripts, [`${ORIGIN}/checklist.js`]);
  assert.deepEqual(facts.onAttributes, []);
  assert.deepEqual(o.dialogs, []);
  assert.deepEqual(o.errors, []);
  const allowed = new Set(['/index.html', ...Object.keys(FILES)]);
  for (const r of o.requests) assert.ok(r.startsWith(ORIGIN) && allowed.has(new URL(r).pathname), `unexpected request ${r}`);
}

describe('checklist page in chromium', function () {
  this.timeout(60_000);

  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  it('renders a hostile migration as text: names, comments and the file name never become HTML, and nothing runs (with the CSP)', async () => {
    const o = await openPage();
    const data = hostileData();
    await render(o.page, data);
    const { page } = o;

    assert.equal(await page.title(), `Migration checklist: ${FILE_NAME}`);
    assert.deepEqual(await page.locator('h2').allTextContents(), [
      '1. Time it against prod-sized data',
      "2. Write the observed timing in the migration's header comment",
      '3. Compare against statement_timeout',
      '4. State the recovery plan',
      '5. Boot-time schema-version check',
    ]);
    const tableNames = await page.locator('[data-testid="touched-tables"] [data-testid="table-name"]').allTextContents();
    assert.deepEqual([...tableNames].sort(), [IMG, SCRIPT, SVG, ATTR].sort());
    assert.equal(await page.locator('[data-testid="recovery-snippet"]').textContent(), data.recovery.text);
    assert.ok(data.recovery.text.includes('<script>window.__pwned = "comment"</script>') || data.recovery.text.includes(IMG));
    const reasons = await page.locator('[data-testid="eligibility-reasons"] li').allTextContents();
    assert.ok(reasons.some((r) => r.includes(IMG)) && reasons.some((r) => r.includes(SVG)), reasons.join('\n'));
    assert.match(
      (await page.locator('[data-testid="next-migration"]').textContent()) ?? '',
      new RegExp(`table ${ATTR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.deepEqual(await page.locator('[data-testid="trace-table"] td').allTextContents(), [IMG, 'ACCESS EXCLUSIVE']);
    assert.ok(((await page.locator('[data-testid="statements"]').textContent()) ?? '').includes('<iframe src="javascript:alert(7)"></iframe>'));

    await assertNothingExecuted(o);
    assert.deepEqual(await inPage(page, 'window.__violations'), []);
    // The state the page keeps for a reload is its file, nothing else.
    assert.deepEqual(await inPage(page, 'window.__state'), { uri: data.uri });
    await page.close();
  });

  it('escapes without relying on the CSP: the same page with the policy removed still runs nothing', async () => {
    const o = await openPage({ csp: false });
    await render(o.page, hostileData());
    await assertNothingExecuted(o);
    await o.page.close();
  });

  it('the CSP is in force: an inline script added to the page is blocked and reported', async () => {
    const o = await openPage();
    await inPage(o.page, `document.body.append(Object.assign(document.createElement('script'), { textContent: 'window.__inline = 1' }))`);
    await until(o.page, 'window.__violations.length > 0');
    assert.equal(await inPage(o.page, 'window.__inline'), undefined);
    assert.match((await inPage<string[]>(o.page, 'window.__violations'))[0] ?? '', /^script-src/);
    await o.page.close();
  });

  it('ignores malformed messages from the host', async () => {
    const o = await openPage();
    const data = hostileData();
    await render(o.page, data);
    const before = await o.page.locator('#app').innerHTML();
    const broken: unknown[] = [
      { type: 'render', data: { ...data, tables: [{ name: { toString: null } }] }, state: { checked: {} } },
      { type: 'render', data: { ...data, recovery: { text: 42 } }, state: { checked: {} } },
      { type: 'render', data, state: { checked: { __proto__x: true } } },
      { type: 'eval', code: 'window.__pwned = 1' },
      `<img src=x onerror=alert(1)>`,
      null,
    ];
    for (const m of broken) await post(o.page, m);
    await o.page.waitForTimeout(100);
    assert.equal(await o.page.locator('#app').innerHTML(), before);
    await assertNothingExecuted(o);
    await o.page.close();
  });

  it('checkbox changes are posted, kept by the extension-side store, and restored by a re-render and a reload', async () => {
    const memento = new Map<string, unknown>();
    const store = new ChecklistStateStore({ get: <T>(k: string) => memento.get(k) as T | undefined, update: async (k, v) => void memento.set(k, v) });
    const data = hostileData();
    const o = await openPage();
    await render(o.page, data, store.get(data.uri));
    assert.equal(await o.page.locator('[data-testid="check-recovery"]').isChecked(), false);
    await o.page.locator('[data-testid="check-recovery"]').check();
    await o.page.locator('[data-testid="check-time"]').check();
    await o.page.locator('[data-testid="check-time"]').uncheck();

    const messages = (await posted(o.page)).filter((m) => m.type === 'setChecked');
    assert.deepEqual(messages, [
      { type: 'setChecked', item: 'recovery', checked: true },
      { type: 'setChecked', item: 'time', checked: true },
      { type: 'setChecked', item: 'time', checked: false },
    ]);
    // What the panel does with them (client/src/checklist/checklist-panel.ts): validate, then store.
    for (const m of messages) {
      assert.ok(isPageMessage(m));
      if (m.type === 'setChecked') await store.setChecked(data.uri, m.item, m.checked);
    }

    await render(o.page, data, store.get(data.uri));
    assert.equal(await o.page.locator('[data-testid="check-recovery"]').isChecked(), true);
    assert.equal(await o.page.locator('[data-testid="check-time"]').isChecked(), false);
    await o.page.close();

    const reloaded = await openPage();
    await render(reloaded.page, data, store.get(data.uri));
    assert.equal(await reloaded.page.locator('[data-testid="check-recovery"]').isChecked(), true);
    await reloaded.page.close();
  });

  it('the statement_timeout margin turns red within 50% of the timeout, and a SET in the file wins over the setting', async () => {
    const analysis = lint("-- migrate:up\nALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;\n", {
      path: 'db/migrations/20251104093000_search.sql',
      config: { tables: { events: { rows: 1_150_000 } } },
    });
    const data = checklistData(analysis, { uri: 'file:///w/db/migrations/20251104093000_search.sql', statementTimeout: '60s' });
    const o = await openPage();
    const { page } = o;
    // A theme colour, set through the CSSOM (the CSP forbids inline styles, not this).
    await inPage(page, `document.documentElement.style.setProperty('--vscode-errorForeground', 'rgb(255, 0, 0)')`);
    await render(page, data);
    const margin = page.locator('[data-testid="timeout-margin"]');
    assert.equal(await margin.getAttribute('data-state'), 'unknown');

    await page.locator('[data-testid="measured-seconds"]').fill('29');
    assert.equal(await margin.getAttribute('data-state'), 'ok');
    assert.match((await margin.textContent()) ?? '', /Measured 29 s of 1 min: margin 31 s \(52%\)/);

    await page.locator('[data-testid="measured-seconds"]').fill('30');
    assert.equal(await margin.getAttribute('data-state'), 'danger');
    assert.equal(await computed(page, 'timeout-margin', 'color'), 'rgb(255, 0, 0)');

    await page.locator('[data-testid="measured-seconds"]').fill('75');
    assert.match((await margin.textContent()) ?? '', /over the 1 min timeout by 15 s/);
    // The measurement reaches the extension (debounced).
    await until(page, "window.__posted.some((m) => m.type === 'setMeasured' && m.seconds === 75)");

    // While the field has focus a re-render keeps what is typed; leave it before the host sends new state.
    await render(page, data, { checked: {}, measuredSeconds: 1 });
    assert.equal(await page.locator('[data-testid="measured-seconds"]').inputValue(), '75');
    await page.locator('[data-testid="measured-seconds"]').blur();

    // The file's own SET statement_timeout = '5min' applies instead of the role's 60 s.
    const withSet = checklistData(
      lint("-- migrate:up\nSET statement_timeout = '5min';\nALTER TABLE events ADD COLUMN a int;\n", { path: 'db/migrations/20251104093001_set.sql' }),
      { uri: 'file:///w/db/migrations/20251104093001_set.sql', statementTimeout: '60s' },
    );
    await render(page, withSet, { checked: {}, measuredSeconds: 75 });
    assert.equal(await margin.getAttribute('data-state'), 'ok');
    await render(page, withSet, { checked: {}, measuredSeconds: 150 });
    assert.equal(await margin.getAttribute('data-state'), 'danger');
    await assertNothingExecuted(o);
    await page.close();
  });

  it('the cost-comment button posts the measured values; its preview is the comment the server writes', async () => {
    const o = await openPage();
    const { page } = o;
    const data = hostileData();
    await render(page, data);
    const button = page.locator('[data-testid="write-cost-comment"]');
    assert.equal(await button.isDisabled(), true);
    await page.locator('[data-testid="measured-seconds"]').fill('38');
    await page.locator('[data-testid="measured-rows"]').fill('1150000');
    assert.equal(await button.isDisabled(), false);
    const date = await inPage<string>(
      page,
      `(() => { const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()`,
    );
    assert.equal(await page.locator('[data-testid="cost-preview"]').textContent(), costCommentText({ seconds: 38, rows: 1_150_000, date }));
    await button.click();
    const writes = (await posted(page)).filter((m) => m.type === 'writeCostComment');
    assert.deepEqual(writes, [{ type: 'writeCostComment', seconds: 38, rows: 1_150_000 }]);
    assert.ok(isPageMessage(writes[0]));

    // A cost comment already in the file prefills the fields.
    const withComment = checklistData(
      lint('-- cost: 12 s measured on 300k rows, 2025-01-01\n-- migrate:up\nALTER TABLE events ADD COLUMN a int;\n', {
        path: 'db/migrations/20250101000000_a.sql',
      }),
      {
        uri: 'file:///w/db/migrations/20250101000000_a.sql',
      },
    );
    await render(page, withComment);
    assert.equal(await page.locator('[data-testid="measured-seconds"]').inputValue(), '12');
    assert.equal(await page.locator('[data-testid="measured-rows"]').inputValue(), '300000');
    await page.close();
  });

  it('is keyboard-usable: Tab reaches every checkbox and button in order, Space toggles a checkbox', async () => {
    const o = await openPage();
    const { page } = o;
    await render(page, hostileData());
    const order: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const id = await inPage<string>(page, `document.activeElement?.dataset.testid ?? document.activeElement?.tagName.toLowerCase() ?? ''`);
      if (order.includes(id) && id !== 'summary') break;
      order.push(id);
    }
    const wanted = [
      'check-time',
      'measured-seconds',
      'measured-rows',
      'check-costComment',
      'check-timeout',
      'copy-recovery',
      'insert-recovery',
      'check-recovery',
      'check-bootCheck',
    ];
    const reached = order.filter((id) => wanted.includes(id));
    assert.deepEqual(
      reached,
      [
        'measured-seconds',
        'measured-rows',
        'check-time',
        'check-costComment',
        'check-timeout',
        'copy-recovery',
        'insert-recovery',
        'check-recovery',
        'check-bootCheck',
      ],
      order.join(' → '),
    );
    await page.locator('[data-testid="check-bootCheck"]').focus();
    await page.keyboard.press('Space');
    assert.equal(await page.locator('[data-testid="check-bootCheck"]').isChecked(), true);
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'setChecked'),
      [{ type: 'setChecked', item: 'bootCheck', checked: true }],
    );
    // Keyboard focus is visible (theme focus border).
    const outline = await computed(page, 'check-bootCheck', 'outlineStyle');
    assert.equal(outline, 'solid');
    await page.close();
  });
});
