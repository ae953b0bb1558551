import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-idempotent-ddl';
const GOOSE = { path: 'migrations/00001_x.sql' };
const noTx = (body: string): string => `-- +goose NO TRANSACTION\n-- +goose Up\n${body}`;

describe(RULE, () => {
  it('flags DDL without IF [NOT] EXISTS followed by more statements in an unwrapped section', () => {
    const sql = noTx('CREATE TABLE event_tags (tag text);\nALTER TABLE events ADD COLUMN tag_count integer;\nDROP INDEX events_kind_idx;');
    assert.deepEqual(findings(sql, RULE, GOOSE), [
      `3:1 ${RULE} info: This section is not run in a transaction: each statement commits on its own. If a later statement fails, CREATE TABLE event_tags stays applied, ` +
        `and re-running the migration stops here with 'relation "event_tags" already exists'.`,
      `4:20 ${RULE} info: This section is not run in a transaction: each statement commits on its own. If a later statement fails, ADD COLUMN tag_count to events stays applied, ` +
        `and re-running the migration stops here with 'column "tag_count" of relation "events" already exists'.`,
    ]);
    assert.deepEqual(underlined(sql, RULE, GOOSE), ['CREATE TABLE', 'ADD COLUMN tag_count']);
    assert.equal(lint(sql, GOOSE).findings.find((f) => f.rule === RULE)?.help, 'Write it so a second run is a no-op: CREATE TABLE IF NOT EXISTS event_tags ….');
  });

  it('does not flag the re-runnable forms', () => {
    const sql = noTx(
      'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE events ADD COLUMN IF NOT EXISTS x int, DROP COLUMN IF EXISTS legacy_flag;\nDROP TABLE IF EXISTS t;\nCREATE OR REPLACE VIEW v AS SELECT 1;\nSELECT 1;',
    );
    assert.deepEqual(findings(sql, RULE, GOOSE), []);
  });

  it('depends on the runner: wrapped sections and explicit transactions are not flagged', () => {
    const body = 'CREATE TABLE t (a int);\nALTER TABLE events ADD COLUMN x int;';
    assert.deepEqual(findings(`-- +goose Up\n${body}`, RULE, GOOSE), []);
    assert.deepEqual(findings(`BEGIN;\n${body}\nCOMMIT;`, RULE), []);
    assert.equal(findings(body, RULE).length, 1, 'a plain psql file commits statement by statement');
  });

  it('CREATE INDEX CONCURRENTLY needs a DROP INDEX CONCURRENTLY IF EXISTS before it, not IF NOT EXISTS', () => {
    const cic = 'CREATE INDEX CONCURRENTLY events_created_at_idx ON events (created_at);';
    assert.deepEqual(findings(noTx(cic), RULE, GOOSE), [
      `3:1 ${RULE} info: If this CREATE INDEX CONCURRENTLY fails or is cancelled part-way, it leaves an INVALID index events_created_at_idx behind, ` +
        `and re-running the migration stops with 'relation "events_created_at_idx" already exists'.`,
    ]);
    assert.deepEqual(underlined(noTx(cic), RULE, GOOSE), ['CREATE INDEX CONCURRENTLY']);
    assert.deepEqual(findings(noTx(`DROP INDEX CONCURRENTLY IF EXISTS events_created_at_idx;\n${cic}`), RULE, GOOSE), []);
    // IF NOT EXISTS is ban-concurrent-index-if-not-exists's finding, not a second one here.
    assert.deepEqual(findings(noTx(cic.replace('CONCURRENTLY', 'CONCURRENTLY IF NOT EXISTS')), RULE, GOOSE), []);
    // dbmate sends the section as one string: a DROP before it would make it one transaction.
    assert.deepEqual(findings(`-- migrate:up transaction:false\n${cic}`, RULE, { path: 'db/migrations/1_x.sql' }), []);
  });

  it('does not flag the last statement of a section (nothing after it can fail)', () => {
    assert.deepEqual(findings(noTx('CREATE TABLE t (a int);\nSET lock_timeout = 0;'), RULE, GOOSE), []);
  });
});
