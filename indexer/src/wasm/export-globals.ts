/**
 * Rewrites a wasm binary so that every mutable global is also exported (as `__um_global_<index>`).
 * The runtime uses this to reset a reused instance to its post-`_start` state between handler
 * calls: restoring linear memory and these globals gives the same state as a fresh instance.
 * Only the export section changes; code, data and names stay byte-identical.
 */

export const GLOBAL_EXPORT_PREFIX = '__um_global_';

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new Error('unexpected end of wasm binary');
    return b;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }
  skipSigned(): void {
    while (this.byte() & 0x80) {
      /* skip LEB128 bytes */
    }
  }
  skip(n: number): void {
    this.pos += n;
  }
}

function u32leb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Skips a constant expression (global initialiser) up to and including its `end`. */
function skipInitExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42) r.skipSigned();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x23 || op === 0xd2) r.u32();
    else if (op === 0xd0) r.byte();
    else if (op === 0xfd) {
      r.u32();
      r.skip(16);
    } else if (
      op === 0x6a ||
      op === 0x6b ||
      op === 0x6c ||
      op === 0x7c ||
      op === 0x7d ||
      op === 0x7e
    ) {
      /* extended-const arithmetic */
    } else throw new Error(`unsupported opcode 0x${op.toString(16)} in a global initialiser`);
  }
}

function skipLimits(r: Reader): void {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
}

export interface GlobalExports {
  readonly wasm: Uint8Array;
  /** Indices (in the global index space) of the exported mutable globals. */
  readonly globals: readonly number[];
}

export function exportMutableGlobals(wasm: Uint8Array): GlobalExports {
  const r = new Reader(wasm);
  r.skip(8); // magic + version
  const sections: { id: number; start: number; end: number; contentStart: number }[] = [];
  let importedGlobals = 0;
  const mutable: number[] = [];
  while (r.pos < wasm.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const contentStart = r.pos;
    const end = contentStart + size;
    sections.push({ id, start, end, contentStart });
    if (id === 2) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        r.skip(r.u32()); // module
        r.skip(r.u32()); // name
        const kind = r.byte();
        if (kind === 0) r.u32();
        else if (kind === 1) {
          r.byte();
          skipLimits(r);
        } else if (kind === 2) skipLimits(r);
        else if (kind === 3) {
          r.byte();
          r.byte();
          importedGlobals++;
        } else if (kind === 4) {
          r.byte();
          r.u32();
        }
      }
    } else if (id === 6) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        r.byte(); // value type
        const mut = r.byte();
        skipInitExpr(r);
        if (mut === 1) mutable.push(importedGlobals + i);
      }
    }
    r.pos = end;
  }
  const exportSection = sections.find((s) => s.id === 7);
  const entries: number[] = [];
  for (const index of mutable) {
    const name = new TextEncoder().encode(`${GLOBAL_EXPORT_PREFIX}${index}`);
    entries.push(...u32leb(name.length), ...name, 0x03, ...u32leb(index));
  }
  let body: Uint8Array;
  if (exportSection) {
    const er = new Reader(wasm);
    er.pos = exportSection.contentStart;
    const count = er.u32();
    const rest = wasm.subarray(er.pos, exportSection.end);
    body = Uint8Array.from([...u32leb(count + mutable.length), ...rest, ...entries]);
  } else {
    body = Uint8Array.from([...u32leb(mutable.length), ...entries]);
  }
  const section = Uint8Array.from([7, ...u32leb(body.length), ...body]);
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let inserted = false;
  for (const s of sections) {
    if (s.id === 7) {
      parts.push(section);
      inserted = true;
      continue;
    }
    // without an export section, insert it before the start/element/code sections (ids 8, 9, 10, 12)
    if (!inserted && s.id !== 0 && [8, 9, 10, 11, 12].includes(s.id)) {
      parts.push(section);
      inserted = true;
    }
    parts.push(wasm.subarray(s.start, s.end));
  }
  if (!inserted) parts.push(section);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return { wasm: out, globals: mutable };
}
