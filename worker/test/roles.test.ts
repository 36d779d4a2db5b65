import { describe, expect, it } from 'vitest';
import { ConfigError, parseRoles } from '../src/index.js';

describe('parseRoles', () => {
  it('combines roles and drops duplicates', () => {
    expect(parseRoles('train, verify,train')).toEqual(['train', 'verify']);
  });

  it('names the unknown role', () => {
    expect(() => parseRoles('train,mine')).toThrowError(ConfigError);
    expect(() => parseRoles('train,mine')).toThrowError(/unknown role "mine"/);
  });

  it('rejects an empty list', () => {
    expect(() => parseRoles(' , ')).toThrowError(/at least one/);
  });
});
