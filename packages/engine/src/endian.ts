import { EngineError } from './errors.js';

export class BigEndianPlatformError extends EngineError {
  override name = 'BigEndianPlatformError';
}

const littleEndian = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** Canonical bytes are little-endian; typed-array views are only canonical on little-endian hosts. */
export function assertLittleEndian(): void {
  if (!littleEndian)
    throw new BigEndianPlatformError(
      'the engine needs a little-endian platform for canonical bytes',
    );
}
