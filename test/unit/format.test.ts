import assert from 'node:assert/strict';
import { formatRows } from '../../server/src/engine/lint/helpers';

describe('row counts in messages', () => {
  it('drops trailing zeros only after a decimal point', () => {
    assert.deepEqual([999, 1000, 1200, 20_000, 100_000, 1_150_000, 1_500_000, 10_000_000, 2_000_000_000].map(formatRows), [
      '999',
      '1k',
      '1.2k',
      '20k',
      '100k',
      '1.15M',
      '1.5M',
      '10M',
      '2B',
    ]);
  });
});
