/**
 * Turns a failed transaction or call into words a voter can act on. Custom errors are decoded with
 * the contracts' ABIs (viem's decodeErrorResult); wallet rejections, wrong chains and plain
 * require strings get their own kinds so the page can say what happened and what to do.
 */
import { BaseError, decodeErrorResult, type Abi, type Hex } from 'viem';

export type DecodedRevert =
  | { kind: 'custom'; errorName: string; args: readonly unknown[]; message: string }
  | { kind: 'reason'; message: string }
  | { kind: 'panic'; code: number; message: string }
  | { kind: 'rejected'; message: string }
  | { kind: 'wrong-chain'; message: string }
  | { kind: 'unknown'; message: string };

const PANIC_REASONS: Record<number, string> = {
  0x01: 'assertion failed',
  0x11: 'arithmetic overflow or underflow',
  0x12: 'division by zero',
  0x21: 'invalid enum value',
  0x32: 'array index out of bounds',
  0x41: 'out of memory',
};

function findRevertData(err: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const o = cur as { data?: unknown; raw?: unknown; cause?: unknown };
    if (typeof o.raw === 'string' && o.raw.startsWith('0x')) return o.raw as Hex;
    if (typeof o.data === 'string' && o.data.startsWith('0x') && o.data.length >= 10)
      return o.data as Hex;
    if (
      o.data &&
      typeof o.data === 'object' &&
      typeof (o.data as { data?: unknown }).data === 'string'
    ) {
      return (o.data as { data: Hex }).data;
    }
    cur = o.cause;
  }
  return undefined;
}

function errorCode(err: unknown): number | undefined {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function formatArg(v: unknown): string {
  return typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Decodes any error thrown by viem (or an EIP-1193 provider) against the given ABI. */
export function decodeRevert(err: unknown, abi: Abi): DecodedRevert {
  const code = errorCode(err);
  if (code === 4001)
    return { kind: 'rejected', message: 'You rejected the request in your wallet.' };
  if (
    code === 4902 ||
    (err instanceof BaseError && err.walk((e) => (e as Error).name === 'ChainMismatchError'))
  ) {
    return {
      kind: 'wrong-chain',
      message:
        'Your wallet is on another network. Switch to the network this portal reads from and try again.',
    };
  }
  const data = findRevertData(err);
  if (data && data !== '0x') {
    try {
      const decoded = decodeErrorResult({ abi, data });
      if (decoded.errorName === 'Error') {
        return { kind: 'reason', message: String(decoded.args?.[0] ?? '') };
      }
      if (decoded.errorName === 'Panic') {
        const panicCode = Number(decoded.args?.[0] ?? 0);
        return {
          kind: 'panic',
          code: panicCode,
          message: `The contract panicked: ${PANIC_REASONS[panicCode] ?? `code 0x${panicCode.toString(16)}`}.`,
        };
      }
      const args = (decoded.args ?? []) as readonly unknown[];
      return {
        kind: 'custom',
        errorName: decoded.errorName,
        args,
        message: `${decoded.errorName}(${args.map(formatArg).join(', ')})`,
      };
    } catch {
      return {
        kind: 'unknown',
        message: `The transaction reverted with data the portal cannot decode: ${data.slice(0, 10)}`,
      };
    }
  }
  const message =
    err instanceof BaseError ? err.shortMessage : err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', message };
}
