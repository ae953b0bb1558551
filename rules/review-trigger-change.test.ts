import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'review-trigger-change';
const CREATE = 'CREATE TRIGGER t BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION noop_trigger();';

describe(RULE, () => {
  it('reports CREATE TRIGGER as info with the engine lock', () => {
    assert.deepEqual(findings(CREATE, RULE), [
      `1:1 ${RULE} info: CREATE TRIGGER t takes SHARE ROW EXCLUSIVE on events (blocks writes (reads continue)). The change itself is quick, but the lock waits for every open transaction on events, and while it waits all writes on events queue behind it.`,
    ]);
    assert.deepEqual(underlined(CREATE, RULE), ['CREATE TRIGGER']);
  });

  it('reports DROP TRIGGER as a warning: its ACCESS EXCLUSIVE queues reads too', () => {
    assert.deepEqual(findings('DROP TRIGGER orders_noop ON orders;', RULE), [
      `1:1 ${RULE} warning: DROP TRIGGER orders_noop takes ACCESS EXCLUSIVE on orders (blocks reads and writes). The change itself is quick, but the lock waits for every open transaction on orders, and while it waits all queries on orders queue behind it.`,
    ]);
  });

  it('reports DISABLE TRIGGER with its effect on writes, and ENABLE TRIGGER', () => {
    const f = findings('ALTER TABLE orders DISABLE TRIGGER orders_noop;', RULE);
    assert.match(f[0] ?? '', /^1:20 .* info: DISABLE TRIGGER orders_noop takes SHARE ROW EXCLUSIVE on orders .* every write skips the trigger's logic\.$/);
    assert.deepEqual(underlined('ALTER TABLE orders ENABLE ALWAYS TRIGGER orders_noop;', RULE), ['ENABLE ALWAYS TRIGGER']);
  });

  it('is quiet after a non-zero lock_timeout in the same section, not after 0 or RESET', () => {
    assert.deepEqual(findings(`SET lock_timeout = '3s';\n${CREATE}`, RULE), []);
    assert.deepEqual(findings(`BEGIN;\nSET LOCAL lock_timeout TO 2000;\n${CREATE}\nCOMMIT;`, RULE), []);
    assert.equal(findings(`SET lock_timeout = 0;\n${CREATE}`, RULE).length, 1);
    assert.equal(findings(`SET lock_timeout = '3s';\nRESET lock_timeout;\n${CREATE}`, RULE).length, 1);
  });

  it('does not flag triggers on a table created in this migration', () => {
    assert.deepEqual(
      findings('CREATE TABLE t2 (a int);\nCREATE TRIGGER x BEFORE INSERT ON t2 FOR EACH ROW EXECUTE FUNCTION noop_trigger();\nDROP TRIGGER x ON t2;', RULE),
      [],
    );
  });
});
