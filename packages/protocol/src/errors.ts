/** Base class of every error this package throws, so callers can catch them as one family. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}
