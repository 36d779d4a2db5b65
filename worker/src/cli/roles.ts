import { ConfigError } from '../errors.js';

/** What one um-worker process can do; roles combine (`--roles train,verify`). */
export const roles = ['train', 'verify', 'evaluate', 'aggregate'] as const;
export type Role = (typeof roles)[number];

/** Parses a comma-separated role list; rejects unknown and empty lists, drops duplicates. */
export function parseRoles(text: string): readonly Role[] {
  const requested = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (requested.length === 0)
    throw new ConfigError(`--roles needs at least one of ${roles.join(', ')}`);
  const unknown = requested.filter((role) => !(roles as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown role ${unknown.map((r) => `"${r}"`).join(', ')}; expected ${roles.join(', ')}`,
    );
  }
  return [...new Set(requested as Role[])];
}
