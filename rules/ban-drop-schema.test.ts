import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-drop-schema';

describe(RULE, () => {
  it('is an error with CASCADE', () => {
    assert.deepEqual(findings('DROP SCHEMA public CASCADE;', RULE), [
      `1:1 ${RULE} error: DROP SCHEMA public CASCADE drops every table, view, function and type in it, with their data, without naming them: running code that uses any of them fails, and nothing can be brought back once this commits.`,
    ]);
    assert.deepEqual(underlined('DROP SCHEMA IF EXISTS public CASCADE;', RULE), ['DROP SCHEMA IF EXISTS']);
  });

  it('is a warning without CASCADE', () => {
    assert.deepEqual(findings('DROP SCHEMA old_stuff;', RULE), [
      `1:1 ${RULE} warning: Dropping schema old_stuff breaks running code that refers to it (search_path entries, qualified names); without CASCADE it only succeeds once the schema is empty, so the objects in it were dropped elsewhere.`,
    ]);
  });

  it('stays quiet for a schema created earlier in the file', () => {
    assert.deepEqual(findings('CREATE SCHEMA import_tmp;\nDROP SCHEMA import_tmp CASCADE;', RULE), []);
    assert.match(findings('CREATE SCHEMA a;\nDROP SCHEMA a, b;', RULE)[0] ?? '', /Dropping schema b breaks/);
  });
});
