import assert from 'node:assert/strict';
import { buildBaseline } from '../server/src/engine';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-rename-schema';

describe(RULE, () => {
  it('flags ALTER SCHEMA … RENAME TO and underlines it', () => {
    const sql = 'ALTER SCHEMA billing RENAME TO payments;';
    assert.deepEqual(findings(sql, RULE), [
      `1:22 ${RULE} error: Renaming schema billing to payments moves every object in it at once: queries that qualify names with billing., ` +
        `search_path settings (per role, per database, in connection strings) and function bodies naming billing stop finding them the moment it commits.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['RENAME TO']);
    assert.match(lint(sql).findings[0]?.help ?? '', /search_path = payments, billing/);
  });

  it('names the known tables from earlier migrations', () => {
    const baseline = buildBaseline([
      { path: 'db/migrations/1_a.sql', text: 'CREATE TABLE billing.invoices (id int);\nCREATE TABLE billing.payments (id int);' },
    ]);
    assert.match(findings('ALTER SCHEMA billing RENAME TO payments;', RULE, { baseline })[0] ?? '', /\(2 known tables: billing\.invoices, billing\.payments\)/);
  });

  it('does not flag a schema created earlier in the migration', () => {
    assert.deepEqual(findings('CREATE SCHEMA reporting_v2;\nALTER SCHEMA reporting_v2 RENAME TO reporting;', RULE), []);
  });
});
