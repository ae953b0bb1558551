import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allRules } from '../../rules';
import { analyze, buildBaseline, defaultConfig, type SchemaModel, typeChangeVerdict, type TypeRef } from '../../server/src/engine';
import { compareVersions, HistoryCache, migrationOrder } from '../../server/src/node/history';
import { tempTree } from '../cli-helpers';

const t = (name: string, ...mods: number[]): TypeRef => ({ name, mods, array: false });

describe('schema model from earlier migrations', () => {
  let base: SchemaModel;
  before(() => {
    base = buildBaseline([
      {
        path: 'db/migrations/001_a.sql',
        text: '-- migrate:up\nCREATE TABLE events (id bigint PRIMARY KEY, title varchar(50), amount numeric(10,2), at timestamp);\n-- migrate:down\nDROP TABLE events;\n',
      },
      {
        path: 'db/migrations/002_b.sql',
        text: '-- migrate:up\nALTER TABLE events ADD COLUMN kind text;\nCREATE INDEX events_kind_idx ON events (kind);\nALTER TABLE events RENAME COLUMN at TO happened_at;\n',
      },
    ]);
  });

  it('knows tables, columns with types, and indexes (down sections ignored)', () => {
    assert.deepEqual([...(base.table('events')?.columns.keys() ?? [])], ['id', 'title', 'amount', 'kind', 'happened_at']);
    assert.equal(base.column('events', 'title')?.type?.mods[0], 50);
    assert.ok(base.hasIndexLeadingWith('events', ['kind']));
    assert.ok(base.hasIndexLeadingWith('public.events', ['id']));
    assert.equal(base.sources, 2);
  });

  it('decides ALTER COLUMN TYPE rewrites from the real old type', () => {
    const run = (sql: string): string => {
      const a = analyze(sql, { path: 'db/migrations/003_c.sql', config: defaultConfig(), rules: allRules, baseline: base });
      const act = a.statements[0]?.actions[0];
      return `${act?.rewrite ? 'rewrite' : 'no rewrite'}: ${act?.fromType} → ${act?.toType} (${act?.reason})`;
    };
    assert.equal(
      run('ALTER TABLE events ALTER COLUMN title TYPE varchar(100);'),
      'no rewrite: varchar(50) → varchar(100) (widening the length limit is binary-coercible)',
    );
    assert.equal(run('ALTER TABLE events ALTER COLUMN title TYPE text;'), 'no rewrite: varchar(50) → text (widening the length limit is binary-coercible)');
    assert.equal(
      run('ALTER TABLE events ALTER COLUMN title TYPE varchar(20);'),
      'rewrite: varchar(50) → varchar(20) (varchar(50) → varchar(20) is not binary-coercible)',
    );
    assert.equal(
      run('ALTER TABLE events ALTER COLUMN amount TYPE numeric(12,2);'),
      'no rewrite: numeric(10,2) → numeric(12,2) (raising numeric precision at the same scale is binary-coercible)',
    );
    assert.equal(run('ALTER TABLE events ALTER COLUMN id TYPE int;'), 'rewrite: int8 → int4 (int8 → int4 is not binary-coercible)');
    assert.match(
      run('ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;'),
      /^rewrite: timestamp → timestamptz \(timestamp → timestamptz rewrites unless the server's TimeZone is UTC/,
    );
    assert.match(run('ALTER TABLE events ALTER COLUMN nope TYPE bigint;'), /^rewrite: unknown → int8 \(the column’s current type is unknown/);
    assert.match(run('ALTER TABLE events ALTER COLUMN title TYPE varchar(100) USING upper(title);'), /^rewrite: .*USING expression computes/);
  });

  it('typeChangeVerdict covers the binary-coercible cases', () => {
    assert.equal(typeChangeVerdict(t('varchar', 10), t('varchar'), undefined, 'c').rewrite, false);
    assert.equal(typeChangeVerdict(t('text'), t('varchar'), undefined, 'c').rewrite, false);
    assert.equal(typeChangeVerdict(t('text'), t('varchar', 10), undefined, 'c').rewrite, true);
    assert.equal(typeChangeVerdict(t('cidr'), t('inet'), undefined, 'c').rewrite, false);
    assert.equal(typeChangeVerdict(t('timestamptz', 3), t('timestamptz', 6), undefined, 'c').rewrite, false);
    assert.equal(typeChangeVerdict(t('int4'), t('int8'), undefined, 'c').rewrite, true);
    assert.equal(typeChangeVerdict(t('numeric', 10, 2), t('numeric', 12, 3), undefined, 'c').rewrite, true);
  });
});

describe('migration history on disk', () => {
  it('orders versions numerically', () => {
    assert.deepEqual(['10_b.sql', '2_a.sql', '001_z.sql'].sort(compareVersions), ['001_z.sql', '2_a.sql', '10_b.sql']);
    assert.ok(compareVersions('V1.10', 'V1.2') > 0);
  });

  it('follows each runner’s layout', () => {
    const dir = tempTree({
      'gm/000002_b.up.sql': '',
      'gm/000002_b.down.sql': '',
      'gm/000010_c.up.sql': '',
      'fw/V1__a.sql': '',
      'fw/V1_10__c.sql': '',
      'fw/V1_2__b.sql': '',
      'fw/R__views.sql': '',
      'prisma/migrations/20250201000000_b/migration.sql': '',
      'prisma/migrations/20250101000000_a/migration.sql': '',
      'sq/deploy/orders.sql': '',
      'sq/deploy/appschema.sql': '',
      'sq/sqitch.plan': '%project=x\nappschema 2025-01-01T00:00:00Z a <a@b>\norders [appschema] 2025-01-02T00:00:00Z a <a@b>\n',
    });
    const rel = (ps: string[]): string[] => ps.map((p) => p.slice(dir.length + 1));
    assert.deepEqual(rel(migrationOrder(join(dir, 'gm/000010_c.up.sql'), 'golang-migrate')), ['gm/000002_b.up.sql', 'gm/000010_c.up.sql']);
    assert.deepEqual(rel(migrationOrder(join(dir, 'fw/V1__a.sql'), 'flyway')), ['fw/V1__a.sql', 'fw/V1_2__b.sql', 'fw/V1_10__c.sql']);
    assert.deepEqual(rel(migrationOrder(join(dir, 'prisma/migrations/20250201000000_b/migration.sql'), 'prisma')), [
      'prisma/migrations/20250101000000_a/migration.sql',
      'prisma/migrations/20250201000000_b/migration.sql',
    ]);
    assert.deepEqual(rel(migrationOrder(join(dir, 'sq/deploy/orders.sql'), 'sqitch')), ['sq/deploy/appschema.sql', 'sq/deploy/orders.sql']);
  });

  it('builds the baseline of a file from the files before it, incrementally and cached', () => {
    const dir = tempTree({
      'db/migrations/001_a.sql': '-- migrate:up\nCREATE TABLE events (id bigint, title varchar(50));\n',
      'db/migrations/002_b.sql': '-- migrate:up\nCREATE INDEX CONCURRENTLY events_title_idx ON events (title);\n',
      'db/migrations/003_c.sql': '-- migrate:up\nALTER TABLE events ALTER COLUMN title TYPE varchar(80);\n',
    });
    const h = new HistoryCache();
    const b3 = h.baselineFor(join(dir, 'db/migrations/003_c.sql'), 'dbmate');
    assert.equal(b3?.sources, 2);
    assert.ok(b3?.hasIndexLeadingWith('events', ['title']));
    assert.equal(h.baselineFor(join(dir, 'db/migrations/001_a.sql'), 'dbmate'), undefined);
    assert.equal(h.baselineFor(join(dir, 'db/migrations/003_c.sql'), 'dbmate'), b3, 'cached');
  });
});

describe('regressions found on the peers’ published cases', () => {
  it('a NOT NULL check validated in an earlier migration spares SET NOT NULL its scan (eugene W14)', () => {
    const baseline = buildBaseline([
      { path: 'm/1.sql', text: 'CREATE TABLE authors (id int PRIMARY KEY, name text);' },
      { path: 'm/2.sql', text: 'ALTER TABLE authors ADD CONSTRAINT check_name_not_null CHECK (name IS NOT NULL) NOT VALID;' },
      { path: 'm/3.sql', text: 'ALTER TABLE authors VALIDATE CONSTRAINT check_name_not_null;' },
    ]);
    const a = analyze('ALTER TABLE authors ALTER name SET NOT NULL;', { path: 'm/4.sql', config: defaultConfig(), rules: allRules, baseline });
    assert.equal(a.statements[0]?.effects[0]?.scan, false);
    assert.ok(!a.findings.some((f) => f.rule === 'require-validated-check-for-set-not-null'));
  });

  it('public.authors and authors are the same table', () => {
    const a = analyze('ALTER TABLE authors ADD COLUMN name text;\nALTER TABLE public.authors ADD COLUMN email text;', {
      path: 'm/1.sql',
      config: defaultConfig(),
      rules: allRules,
    });
    assert.deepEqual(
      a.statements.map((s) => s.effects[0]?.relation),
      ['authors', 'authors'],
    );
  });

  it('a type set by an earlier ALTER … TYPE in the file is known to the next one', () => {
    const sql =
      'ALTER TABLE core_recipe ALTER COLUMN foo TYPE varchar(255) USING foo::varchar(255);\nALTER TABLE core_recipe ALTER COLUMN foo TYPE text USING foo::text;';
    const a = analyze(sql, { path: 'm/1.sql', config: defaultConfig(), rules: allRules });
    assert.deepEqual(
      a.statements.map((s) => s.actions[0]?.rewrite),
      [true, false],
    );
  });

  it('ADD PRIMARY KEY USING INDEX on a nullable column is reported: it verifies NOT NULL under the lock', () => {
    const baseline = buildBaseline([
      { path: 'm/1.sql', text: 'CREATE TABLE authors (id int, name text);\nCREATE UNIQUE INDEX authors_name_key ON authors (name);' },
    ]);
    const a = analyze('ALTER TABLE authors ADD CONSTRAINT authors_name_pkey PRIMARY KEY USING INDEX authors_name_key;', {
      path: 'm/2.sql',
      config: defaultConfig(),
      rules: allRules,
      baseline,
    });
    assert.ok(a.findings.some((f) => f.rule === 'prefer-primary-key-using-index' && /not known to be NOT NULL/.test(f.message)));
    const safe = buildBaseline([
      { path: 'm/1.sql', text: 'CREATE TABLE authors (id int, name text NOT NULL);\nCREATE UNIQUE INDEX authors_name_key ON authors (name);' },
    ]);
    const b = analyze('ALTER TABLE authors ADD CONSTRAINT authors_name_pkey PRIMARY KEY USING INDEX authors_name_key;', {
      path: 'm/2.sql',
      config: defaultConfig(),
      rules: allRules,
      baseline: safe,
    });
    assert.ok(!b.findings.some((f) => f.rule === 'prefer-primary-key-using-index'));
  });
});
