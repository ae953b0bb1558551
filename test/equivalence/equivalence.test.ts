/**
 * Quick fixes are equivalent on real PostgreSQL (issue 4). For every fixture in fixtures/: the
 * CLI's `fix` (sequence.ts) rewrites a copy of the migrations; the original and the fixed sequence run with
 * the runner (the real dbmate binary; goose and golang-migrate by their documented semantics, see
 * runners.ts) on two copies of the same pre-filled database on Debian's PostgreSQL 15; then
 * `pg_dump --schema-only` of both must be identical (or, where the safe shape differs by design,
 * the fixture's values query must agree). The fixed sequence is replayed statement by statement
 * under the tracer on a third copy: locks on the pre-existing tables stay ≤ SHARE UPDATE EXCLUSIVE
 * except brief O(1) catalog steps (locks.ts). The original is traced too, for the "before" figures.
 * Writes test-artifacts/equivalence.json and prints a table.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { unifiedDiff } from '../../server/src/cli/diff';
import { type PgServer, startFromBinaries } from '../../server/src/trace/servers';
import { ROOT } from '../cli-helpers';
import { applySequence, buildTemplate, Cluster, templateKey } from './databases';
import { type Fixture, loadFixtures } from './fixture';
import { DEFAULT_BOUND, parseLock, traceSequence, violation } from './locks';
import { type FixtureReport, summarizeAfter, summarizeBefore, writeReport } from './report';
import { RUNNERS } from './runners';
import { type FixedCopy, makeFixedCopy, removeCopy } from './sequence';

/**
 * Fixtures whose fix is still being written (issue 4): they fail until the fix lands, and are
 * marked "[fix pending]" in the test names and "(pending)" in the report. Empty: every fix of
 * issue 4 has landed and passes. A fixture added before its fix goes here until it passes.
 */
export const PENDING_FIXES: ReadonlySet<string> = new Set<string>([]);

const DEBIAN_15 = '/usr/lib/postgresql/15/bin';
const FIXTURES = join(__dirname, 'fixtures');

interface FixtureState {
  copy?: FixedCopy;
  template?: string;
  applied?: { original: string; fixed: string };
}

/** Removes the fixture's declared by-design differences from the fixed dump; each must match something. */
function withoutDeclaredDifferences(fixture: Fixture, dump: string): string {
  let out = dump;
  for (const d of fixture.schemaDifferences) {
    const re = new RegExp(d.fixedOnly, 'g');
    assert.ok(re.test(out), `declared difference /${d.fixedOnly}/ (${d.why}) matches nothing in the fixed dump:\n${out}`);
    out = out.replace(re, '');
  }
  return out;
}

/** `EQUIVALENCE_ONLY=name,name` runs only those fixtures (while working on a fix). */
const only = process.env['EQUIVALENCE_ONLY']?.split(',').map((s) => s.trim());

describe('quick fixes are equivalent on real PostgreSQL 15 (pg_dump, values, locks)', function () {
  this.timeout(180_000);
  let server: PgServer;
  let admin: Client;
  let cluster: Cluster;
  const reports: FixtureReport[] = [];
  /** Pre-filled templates by templateKey: fixtures with the same setup share one. */
  const templates = new Map<string, string>();
  let counter = 0;

  before(async function () {
    if (!existsSync(join(DEBIAN_15, 'pg_dump'))) throw new Error(`${DEBIAN_15}/pg_dump not found: install Debian's postgresql-15`);
    server = await startFromBinaries(DEBIAN_15);
    admin = await server.connect();
    cluster = new Cluster(server, DEBIAN_15, admin);
  });

  after(async function () {
    if (server && reports.length > 0) {
      const table = writeReport(ROOT, server.description, reports);
      console.log(`\n${table}\n(test-artifacts/equivalence.json)\n`);
    }
    for (const db of templates.values()) await cluster?.drop(db).catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await server?.stop();
  });

  for (const fixture of loadFixtures(FIXTURES).filter((f) => !only || only.includes(f.name))) {
    const pending = PENDING_FIXES.has(fixture.name);
    describe(`${fixture.name}: ${fixture.title}${pending ? ' [fix pending]' : ''}`, function () {
      const state: FixtureState = {};
      const report: FixtureReport = {
        fixture: fixture.name,
        title: fixture.title,
        runner: fixture.runner,
        pending,
        fixes: [],
        files: [],
        scripts: [],
        result: 'not run',
      };
      const runner = RUNNERS[fixture.runner];
      const bound = fixture.maxLock ? parseLock(fixture.maxLock.mode) : DEFAULT_BOUND;
      const id = ++counter;
      const dbs = { original: `eq${id}_original`, fixed: `eq${id}_fixed`, traceOriginal: `eq${id}_trace_o`, traceFixed: `eq${id}_trace_f` };

      before(() => reports.push(report));
      after(async () => {
        for (const db of Object.values(dbs)) await cluster?.drop(db).catch(() => undefined);
        removeCopy(state.copy);
      });

      it('`pg-migration-guard fix` applies the fix', async () => {
        report.result = 'fix failed';
        const copy = await makeFixedCopy(fixture);
        state.copy = copy;
        report.fixes = copy.output.split('\n').filter((l) => l.includes(': '));
        report.files = copy.changed.map(({ path, status, role }) => ({ path, status, role }));
        report.scripts = copy.fixed.steps.flatMap((s) => (s.kind === 'script' ? [{ file: s.file.slice(copy.root.length + 1), placement: s.placement }] : []));
        for (const expected of fixture.expectFixes) assert.ok(copy.output.includes(expected), `expected a fix "${expected}"; fix printed:\n${copy.output}`);
        assert.ok(copy.changed.length > 0, `fix changed nothing:\n${copy.output}`);
      });

      it(`the original and the fixed sequence both run with ${fixture.runner} on ${fixture.rows} pre-filled rows`, async () => {
        const copy = state.copy;
        assert.ok(copy, 'the fix step failed');
        report.result = 'sequence failed';
        const fill = join(fixture.dir, 'fill.sql');
        const key = templateKey(runner, copy.original, fill, fixture.rows);
        let template = templates.get(key);
        if (!template) {
          template = `eq_template_${templates.size + 1}`;
          await buildTemplate(cluster, runner, copy.original, template, fill, fixture.rows);
          templates.set(key, template);
        }
        state.template = template;
        for (const db of Object.values(dbs)) await cluster.create(db, template);
        try {
          await applySequence(cluster, runner, copy.original, dbs.original);
        } catch (err) {
          throw new Error(`the ORIGINAL sequence failed (fixture bug): ${(err as Error).message}`);
        }
        await applySequence(cluster, runner, copy.fixed, dbs.fixed);
        state.applied = { original: dbs.original, fixed: dbs.fixed };
      });

      it(fixture.compare === 'schema' ? 'pg_dump --schema-only of both databases is identical' : 'both databases hold the same values', async () => {
        const applied = state.applied;
        assert.ok(applied, 'the sequences did not run');
        report.result = 'not equivalent';
        if (fixture.compare === 'schema') {
          const original = await cluster.dumpSchema(applied.original);
          const fixed = withoutDeclaredDifferences(fixture, await cluster.dumpSchema(applied.fixed));
          assert.ok(original === fixed, `schemas differ:\n${unifiedDiff('pg_dump', original, fixed)}`);
        } else {
          const q = fixture.valuesQuery ?? '';
          const [a, b] = [await cluster.query(applied.original, q), await cluster.query(applied.fixed, q)];
          assert.ok(a.length > 0, 'the values query returned no rows');
          assert.deepEqual(b, a, 'values differ between the fixed and the original database');
        }
        for (const check of fixture.checks) {
          const which: Array<'original' | 'fixed'> = check.db === 'both' ? ['original', 'fixed'] : [check.db];
          for (const db of which) {
            const rows: Array<Record<string, unknown>> = await cluster.query<Record<string, unknown>>(applied[db], check.sql);
            const got: string = rows[0] ? String(Object.values(rows[0])[0]) : '(no row)';
            assert.equal(got, check.expect, `${db}: ${check.why}: \`${check.sql}\``);
          }
        }
        report.result = fixture.compare === 'schema' ? 'identical schema' : 'identical values';
      });

      it(`the fixed sequence holds at most ${bound} on ${fixture.tables.join(', ')} except brief O(1) catalog steps`, async () => {
        const copy = state.copy;
        assert.ok(copy && state.template, 'the sequences did not run');
        const original = await traceSequence(cluster, copy.original, dbs.traceOriginal, fixture.tables);
        const breaking = original.filter((t) => violation(t, bound) !== undefined);
        const before = summarizeBefore(original, breaking);
        if (before) report.locksBefore = { ...before, violations: breaking.map((t) => violation(t, bound) ?? '') };
        const fixed = await traceSequence(cluster, copy.fixed, dbs.traceFixed, fixture.tables);
        const violations = fixed.map((t) => violation(t, bound)).filter((v): v is string => v !== undefined);
        report.locksAfter = summarizeAfter(fixed, bound, violations);
        report.traced = { original, fixed };
        assert.deepEqual(violations, []);
        // The fixture must show the hazard: the original breaks the bound the fix keeps.
        if (!fixture.originalKeepsBound) assert.ok(breaking.length > 0, `the original sequence already keeps the bound: the fixture proves nothing`);
      });
    });
  }
});
