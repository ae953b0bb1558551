import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-not-valid-foreign-key';

describe(RULE, () => {
  it('flags ADD CONSTRAINT … FOREIGN KEY with the locks on both tables', () => {
    const sql = 'ALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);';
    assert.deepEqual(findings(sql, RULE), [
      `1:24 ${RULE} warning: Adding foreign key events_account_id_fkey checks every existing row of events against accounts before the statement ends, holding SHARE ROW EXCLUSIVE on events (blocks writes (reads continue)) and SHARE ROW EXCLUSIVE on accounts (blocks writes (reads continue)) for the whole scan.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);']);
    assert.equal(
      lint(sql).findings.find((f) => f.rule === RULE)?.help,
      'Add the key with `ALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID` (only a brief lock: new rows are checked from then on), and in a later migration run `ALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey`, which scans under SHARE UPDATE EXCLUSIVE while reads and writes continue.',
    );
  });

  it('flags inline REFERENCES on ADD COLUMN, naming the ACCESS EXCLUSIVE lock and the default constraint name', () => {
    const sql = 'ALTER TABLE events ADD COLUMN owner_id bigint REFERENCES users (id);';
    assert.match(
      findings(sql, RULE)[0] ?? '',
      /foreign key events_owner_id_fkey .* ACCESS EXCLUSIVE on events \(blocks reads and writes\) and SHARE ROW EXCLUSIVE on users/,
    );
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /^Add the column owner_id without REFERENCES/);
  });

  it('does not flag NOT VALID, nor a child table created in this migration', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE n (id int, event_id bigint);\nALTER TABLE n ADD FOREIGN KEY (event_id) REFERENCES events (id);', RULE), []);
  });

  it('escalates with a known child size', () => {
    const f = findings('ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id);', RULE, {
      config: { tables: { events: { rows: 5_000_000 } } },
    });
    assert.match(f[0] ?? '', / error: .*\(events: ~5M rows per pg-migration-guard\.json\)/);
  });
});
