// `npm run bench`: our CLI against squawk and pgfence on the same inputs (alternating runs), then the
// language server driven over stdio with scripted edits. Prints one table per section and writes
// bench/RESULTS.md. Not a test: numbers depend on the machine.
//   BENCH_RUNS=7 (default)   BENCH_EDITS=1000, BENCH_BIG_EDITS=1000 (defaults)   BENCH_ONLY=cli|lsp
//   BENCH_SERVER_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (node flags for the language server)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, 'bench', '.data');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
// Edits per document: 1,000 each, so a leak shows in the RSS columns.
const EDITS = Number(process.env.BENCH_EDITS ?? 1000);
const BIG_EDITS = Number(process.env.BENCH_BIG_EDITS ?? 1000);
const ONLY = process.env.BENCH_ONLY;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
execFileSync(process.execPath, ['bench/generate.mjs', DATA], { cwd: ROOT, stdio: 'inherit' });

const squawk = join(ROOT, 'node_modules', '@squawk-cli', 'linux-x64', 'bin', 'squawk');
const pgfence = join(ROOT, 'node_modules', '@flvmnt', 'pgfence', 'dist', 'index.js');
const big = join(DATA, 'big.sql');
const many = join(DATA, 'many', 'migrations');
const small = join(ROOT, 'examples', 'goose', 'migrations', '00001_create_orders.sql');

const tools = {
  ours: (target) => [process.execPath, join(ROOT, 'dist', 'cli.js'), 'lint', target, '--format', 'json'],
  squawk: (target) => [squawk, '--reporter', 'json', target === many ? `${many}/*.sql` : target],
  pgfence: (target) => [process.execPath, pgfence, 'analyze', '--output', 'json', ...(target === many ? listSql(many) : [target])],
};

function listSql(dir) {
  return execFileSync('sh', ['-c', `ls ${dir}/*.sql`], { encoding: 'utf8' }).trim().split('\n');
}

/** One run: wall seconds, CPU seconds (user+sys) and peak RSS (MB) via GNU time when present. */
function measure(argv) {
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%U %S %M', ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  if (!TIME) return { wall, cpu: NaN, rss: NaN };
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [u, s, kb] = last.split(' ').map(Number);
  return { wall, cpu: u + s, rss: kb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cases = [
  ['big.sql (1.8 MB, 20,000 statements)', big, ['ours', 'squawk', 'pgfence']],
  ['many/ (1,000 files × 20 statements)', many, ['ours', 'squawk', 'pgfence']],
  ['one small file (startup)', small, ['ours', 'squawk']],
];

const rows = [];
for (const [label, target, names] of ONLY === 'lsp' ? [] : cases) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < RUNS; i++) for (const n of names) samples[n].push(measure(tools[n](target))); // alternate tools
  const squawkWall = median(samples.squawk.map((x) => x.wall));
  const pgfenceWall = samples.pgfence ? median(samples.pgfence.map((x) => x.wall)) : NaN;
  for (const n of names) {
    const w = samples[n].map((x) => x.wall);
    rows.push({
      case: label,
      tool: n,
      median: median(w),
      min: Math.min(...w),
      max: Math.max(...w),
      cpu: median(samples[n].map((x) => x.cpu)),
      rss: median(samples[n].map((x) => x.rss)),
      vsSquawk: median(w) / squawkWall,
      vsPgfence: median(w) / pgfenceWall,
    });
  }
}

const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const cliTable = [
  '| case | tool | wall median s | min | max | CPU s | peak RSS MB | ÷ squawk | ÷ pgfence |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.case} | ${r.tool} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${fmt(r.cpu, 2)} | ${fmt(r.rss, 0)} | ${fmt(r.vsSquawk, 2)}× | ${fmt(r.vsPgfence, 2)}× |`),
];
console.log(`\n${cliTable.join('\n')}\n`);

// ---- language server over stdio ----------------------------------------------------------------
function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function lspSession(file, edits) {
  // BENCH_SERVER_FLAGS: node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...flags, join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiters = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiters.get(p.version);
    if (w) {
      waiters.delete(p.version);
      w(performance.now());
    }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ maxFileSize: 50 * 1024 * 1024 })));
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification('initialized', {});
  const text = readFileSync(file, 'utf8');
  const uri = `file://${file}`;
  const published = (version) => new Promise((r) => waiters.set(version, r));
  let t0 = performance.now();
  let wait = published(1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
  const first = (await wait) - t0;
  const lines = text.split('\n');
  const latencies = [];
  const rssStart = rssOf(proc.pid);
  let rssWarm = NaN;
  for (let v = 2; v < edits + 2; v++) {
    // a one-character edit inside a statement, at a deterministic line
    const line = (v * 7919) % lines.length;
    const character = Math.min(5, lines[line].length);
    wait = published(v);
    t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: v % 2 ? 'x' : ' ' }],
    });
    latencies.push((await wait) - t0);
    // After the first 100 edits the server has warmed up (code compiled, heap sized to its garbage):
    // growth from there on would be a leak.
    if (v === 101) rssWarm = rssOf(proc.pid);
  }
  const rssEnd = rssOf(proc.pid);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { first, p50: pct(50), p99: pct(99), rssStart, rssWarm, rssEnd };
}

const lspRows = [];
for (const [label, file, edits] of ONLY === 'cli'
  ? []
  : [
      ['big.sql (1.8 MB)', big, BIG_EDITS],
      ['5 KB migration', join(DATA, 'many', 'migrations', '0000_step.sql'), EDITS],
    ]) {
  const r = await lspSession(file, edits);
  lspRows.push(`| ${label} | ${edits} | ${fmt(r.first, 0)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.rssStart, 0)} | ${fmt(r.rssWarm, 0)} | ${fmt(r.rssEnd, 0)} |`);
}
const lspTable = ['| document | edits | first diagnostics ms | p50 ms | p99 ms | RSS after open MB | RSS after 100 edits MB | RSS after all edits MB |', '|---|---|---|---|---|---|---|---|', ...lspRows];
console.log(`${lspTable.join('\n')}\n`);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
if (ONLY) {
  console.log(`BENCH_ONLY=${ONLY}: bench/RESULTS.md left as it was`);
  process.exit(0);
}
writeFileSync(
  join(ROOT, 'bench', 'RESULTS.md'),
  `# Benchmark results\n\n${new Date().toISOString().slice(0, 10)} · ${machine} · ${RUNS} runs per case (tools alternated), medians.\n` +
    `Peers: squawk 2.66.0 (native binary from npm), pgfence 0.1.5. Inputs from bench/generate.mjs (deterministic).\n\n` +
    `## CLI, whole process\n\n${cliTable.join('\n')}\n\n## Language server over stdio\n\nOne-character edits inside statements; latency = didChange → publishDiagnostics for that version.\n\n${lspTable.join('\n')}\n`,
);
console.log('wrote bench/RESULTS.md');
