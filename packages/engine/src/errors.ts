/** Base class of every error the engine throws. */
export class EngineError extends Error {
  override name = 'EngineError';
}
