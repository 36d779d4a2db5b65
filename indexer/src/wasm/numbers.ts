import { DeterministicError } from './errors.js';

/** graph-node's BigInt size limit for values read from WASM (bits(|x|) + 1 <= 435 412). */
const MAX_BIGINT_BITS = 435_412;

export function bitLength(x: bigint): number {
  const abs = x < 0n ? -x : x;
  return abs === 0n ? 0 : abs.toString(2).length;
}

/** num-bigint's `from_signed_bytes_le`: two's complement, any length, empty = 0. */
export function bigIntFromSignedLe(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += bytes[i]!.toString(16).padStart(2, '0');
  let value = BigInt('0x' + hex);
  if (bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

/** num-bigint's `to_signed_bytes_le`: minimal-length two's complement (0 -> [0]). */
export function bigIntToSignedLe(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.push(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

export function checkBigIntSize(value: bigint): bigint {
  const bits = bitLength(value) + 1;
  if (bits > MAX_BIGINT_BITS) {
    throw new DeterministicError(`BigInt is too big, total bits ${bits} (max ${MAX_BIGINT_BITS})`);
  }
  return value;
}

/** num-bigint 0.2 `BigInt::from_str`: optional sign, decimal digits, `_` allowed after the first digit. */
export function parseBigInt(text: string): bigint {
  const match = /^([+-]?)([0-9][0-9_]*)$/.exec(text);
  if (!match) throw new DeterministicError(`string is not a BigInt: '${text}'`);
  const value = BigInt(match[2]!.replaceAll('_', ''));
  return match[1] === '-' ? -value : value;
}

/** Division truncating toward zero; division by zero fails deterministically. */
export function bigIntDiv(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new DeterministicError('attempt to divide by zero');
  return x / y;
}

export function bigIntMod(x: bigint, y: bigint): bigint {
  if (y === 0n)
    throw new DeterministicError('attempt to calculate the remainder with a divisor of zero');
  return x % y;
}

// ---- BigDecimal, as graph-node (bigdecimal 0.1.2, 34 significant digits) ---------------------------

/** value = digits * 10^exp */
export interface BigDecimalValue {
  readonly digits: bigint;
  readonly exp: number;
}

export const BIG_DECIMAL_PRECISION = 34;
const MIN_EXP = -6143;
const MAX_EXP = 6144;
const DIVISION_PRECISION = 100;

function countDigits(x: bigint): number {
  return x === 0n ? 1 : (x < 0n ? -x : x).toString().length;
}

const POW10: bigint[] = [];
export function pow10(n: number): bigint {
  if (n < 256) {
    let p = POW10[n];
    if (p === undefined) {
      p = 10n ** BigInt(n);
      POW10[n] = p;
    }
    return p;
  }
  return 10n ** BigInt(n);
}

/** bigdecimal 0.1.2 `get_rounding_term`: 1 when the leading digit of a positive remainder is >= 5. */
function roundingTerm(r: bigint): bigint {
  if (r <= 0n) return 0n;
  return r.toString()[0]! >= '5' ? 1n : 0n;
}

/**
 * graph-node's normalisation: zero -> (0, 0); `with_prec(34)` (positive values round half-up on
 * the first discarded digit, negative values truncate toward zero, a bigdecimal 0.1.2 quirk);
 * strip trailing zeros.
 */
export function normalizeBigDecimal(value: BigDecimalValue): BigDecimalValue {
  let { digits, exp } = value;
  if (digits === 0n) return { digits: 0n, exp: 0 };
  const n = countDigits(digits);
  if (n > BIG_DECIMAL_PRECISION) {
    const diff = n - BIG_DECIMAL_PRECISION;
    const p = pow10(diff);
    let q = digits / p;
    const r = digits % p;
    if (p < 10n * r) q += roundingTerm(r);
    digits = q;
    exp += diff;
  }
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

/** Normalises a value read from WASM and checks graph-node's exponent range. */
export function checkBigDecimal(value: BigDecimalValue): BigDecimalValue {
  const normal = normalizeBigDecimal(value);
  if (normal.digits !== 0n && (normal.exp < MIN_EXP || normal.exp > MAX_EXP)) {
    throw new DeterministicError(
      `big decimal exponent \`${normal.exp}\` is outside the \`${MIN_EXP}\` to \`${MAX_EXP}\` range`,
    );
  }
  return normal;
}

function align(a: BigDecimalValue, b: BigDecimalValue): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * pow10(a.exp - exp), b.digits * pow10(b.exp - exp), exp];
}

export function bigDecimalPlus(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  const [x, y, exp] = align(a, b);
  return normalizeBigDecimal({ digits: x + y, exp });
}

export function bigDecimalMinus(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  const [x, y, exp] = align(a, b);
  return normalizeBigDecimal({ digits: x - y, exp });
}

export function bigDecimalTimes(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  return normalizeBigDecimal({ digits: a.digits * b.digits, exp: a.exp + b.exp });
}

export function bigDecimalEquals(a: BigDecimalValue, b: BigDecimalValue): boolean {
  const x = normalizeBigDecimal(a);
  const y = normalizeBigDecimal(b);
  return x.digits === y.digits && x.exp === y.exp;
}

/** bigdecimal 0.1.2 `impl_division` (100 significant digits, half-up on the next), then normalised. */
export function bigDecimalDividedBy(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  if (b.digits === 0n) throw new DeterministicError('Division by zero');
  if (a.digits === 0n) return { digits: 0n, exp: 0 };
  const negative = a.digits < 0n !== b.digits < 0n;
  let num = a.digits < 0n ? -a.digits : a.digits;
  const den = b.digits < 0n ? -b.digits : b.digits;
  // scale is bigdecimal's negative exponent
  let scale = -a.exp + b.exp;
  while (num < den) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / den;
  let remainder = num % den;
  if (remainder !== 0n) {
    let precision = countDigits(quotient);
    remainder *= 10n;
    while (remainder !== 0n && precision < DIVISION_PRECISION) {
      quotient = quotient * 10n + remainder / den;
      remainder = (remainder % den) * 10n;
      precision += 1;
      scale += 1;
    }
    if (remainder !== 0n) quotient += roundingTerm(remainder / den);
  }
  return normalizeBigDecimal({ digits: negative ? -quotient : quotient, exp: -scale });
}

/** bigdecimal 0.1.2 `Display`: plain notation, never an exponent. */
export function bigDecimalToString(value: BigDecimalValue): string {
  const { digits, exp } = value;
  const abs = (digits < 0n ? -digits : digits).toString();
  const sign = digits < 0n ? '-' : '';
  const scale = -exp;
  let text: string;
  if (scale >= abs.length) {
    text = '0.' + '0'.repeat(scale - abs.length) + abs;
  } else if (scale <= 0) {
    text = abs + '0'.repeat(-scale);
  } else {
    text = abs.slice(0, abs.length - scale) + '.' + abs.slice(abs.length - scale);
  }
  return sign + text;
}

/** `BigDecimal::from_str`: `[-+]digits[.digits][e[-+]N]`, normalised. */
export function parseBigDecimal(text: string): BigDecimalValue {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new DeterministicError(`string  is not a BigDecimal: '${text}'`);
  }
  const intPart = match[2]!;
  const fracPart = match[3] ?? '';
  let digits = BigInt(intPart + fracPart || '0');
  if (match[1] === '-') digits = -digits;
  const exp = Number(match[4] ?? '0') - fracPart.length;
  return normalizeBigDecimal({ digits, exp });
}

/** The decimal for a BigInt, normalised (bigInt.dividedByDecimal first rounds x to 34 digits). */
export function bigDecimalFromBigInt(value: bigint): BigDecimalValue {
  return normalizeBigDecimal({ digits: value, exp: 0 });
}
