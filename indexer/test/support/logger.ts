import type { Logger } from '../../src/wasm/context.js';

export interface Line {
  readonly level: string;
  readonly msg: string;
  readonly fields: object;
}

/** A logger that keeps lines for assertions (and prints them with DEBUG_INDEXER=1). */
export function memoryLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (fields: object, msg: string): void => {
      lines.push({ level, msg, fields });
      if (process.env.DEBUG_INDEXER) console.log(level, msg, JSON.stringify(fields));
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
