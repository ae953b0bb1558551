import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-set-logged-unlogged';

describe(RULE, () => {
  it('flags SET UNLOGGED on an existing table with the lock and the rewrite', () => {
    assert.deepEqual(findings('ALTER TABLE audit_log SET UNLOGGED;', RULE), [
      `1:23 ${RULE} warning: SET UNLOGGED rewrites audit_log and all its indexes under ACCESS EXCLUSIVE: the lock blocks reads and writes until the copy is done; afterwards audit_log is emptied by crash recovery and is not replicated to standbys.`,
    ]);
    assert.deepEqual(underlined('ALTER TABLE audit_log SET UNLOGGED;', RULE), ['SET UNLOGGED']);
  });

  it('flags SET LOGGED and mentions the WAL volume', () => {
    assert.deepEqual(findings('ALTER TABLE audit_log SET LOGGED;', RULE), [
      `1:23 ${RULE} warning: SET LOGGED rewrites audit_log and all its indexes under ACCESS EXCLUSIVE: the lock blocks reads and writes until the copy is done, and the whole table is written to the WAL (a burst of WAL volume and replication lag on standbys).`,
    ]);
  });

  it('stays quiet for a table created in the same migration', () => {
    assert.deepEqual(findings('CREATE UNLOGGED TABLE events_import (id bigint);\nALTER TABLE events_import SET LOGGED;', RULE), []);
  });

  it('escalates on a table configured as large', () => {
    assert.match(
      findings('ALTER TABLE audit_log SET LOGGED;', RULE, { config: { tables: { audit_log: { rows: 5_000_000 } } } })[0] ?? '',
      / error: .*~5M rows/,
    );
  });
});
