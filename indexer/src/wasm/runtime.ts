import type { TriggerContext } from './context.js';
import { AsyncDataNeeded, DeterministicError, NonDeterministicError } from './errors.js';
import { AscHeap, type MappingExports } from './heap.js';
import { type Current, hostFunctions } from './host-exports.js';
import { IndexerError } from '../errors.js';
import { exportMutableGlobals, GLOBAL_EXPORT_PREFIX } from './export-globals.js';

/** A reused instance and the state right after `_start()`, restored before every handler call. */
interface PooledInstance {
  readonly exports: MappingExports;
  readonly globals: readonly WebAssembly.Global[];
  readonly globalValues: readonly (number | bigint)[];
  readonly memory: Uint8Array;
}

/** Past this much memory growth a pooled instance is replaced (zeroing it would cost too much). */
const MAX_POOLED_GROWTH = 4 * 1024 * 1024;

/** The compiled mapping imports a host function this indexer does not provide. */
export class UnsupportedHostFunctionError extends IndexerError {
  override name = 'UnsupportedHostFunctionError';
}

/** Replays after AsyncDataNeeded are bounded so a misbehaving mapping cannot spin forever. */
const MAX_REPLAYS = 10_000;

/**
 * One compiled mapping (.wasm). As graph-node does, every handler call gets a brand-new instance
 * (fresh memory and globals, `_start()` run first), so nothing survives from one trigger to the next.
 */
export class MappingModule {
  private current: Current | null = null;
  private readonly imports: WebAssembly.Imports;
  /** Runtime class ids from `id_of_type`, cached per compiled module as graph-node does. */
  private readonly classIds = new Map<number, number>();

  private pooled: PooledInstance | null = null;
  /** Whether to reuse one instance and reset it (see `fresh`). */
  private readonly reuse: boolean;

  private constructor(
    readonly module: WebAssembly.Module,
    private readonly globalCount: number,
  ) {
    this.reuse = globalCount >= 0;
    const fns = hostFunctions(() => {
      if (!this.current) throw new Error('host function called outside a handler');
      return this.current;
    });
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    const missing: string[] = [];
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.kind !== 'function') continue;
      const fn = fns[imp.name];
      if (!fn) {
        missing.push(`${imp.module}.${imp.name}`);
        continue;
      }
      (imports[imp.module] ??= {})[imp.name] = fn as WebAssembly.ImportValue;
    }
    if (missing.length > 0) {
      throw new UnsupportedHostFunctionError(
        `the mapping imports host functions this indexer does not provide: ${missing.join(', ')}`,
      );
    }
    this.imports = imports;
  }

  /**
   * `reuse` (default): instead of instantiating per call (~200 µs and heavy GC pressure in V8),
   * keep one instance and restore its linear memory and every mutable global to the state right
   * after `_start()` before each call, which is observably the same as graph-node's fresh instance.
   */
  static async compile(
    wasm: Uint8Array,
    options: { reuse?: boolean } = {},
  ): Promise<MappingModule> {
    if (options.reuse === false) return new MappingModule(await WebAssembly.compile(wasm), -1);
    const rewritten = exportMutableGlobals(wasm);
    return new MappingModule(await WebAssembly.compile(rewritten.wasm), rewritten.globals.length);
  }

  handlerNames(): string[] {
    return WebAssembly.Module.exports(this.module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
  }

  /**
   * Runs `handler` with the object `writeArg` builds in the fresh instance. Data only available
   * asynchronously makes the call stop with AsyncDataNeeded; it is loaded and the handler replayed
   * from scratch (its cache writes and created data sources rolled back first).
   * Throws DeterministicError or NonDeterministicError.
   */
  async run(
    ctx: TriggerContext,
    handler: string,
    writeArg: (heap: AscHeap) => number,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const checkpoint = ctx.cache.checkpoint();
      const created = ctx.created.length;
      try {
        this.invoke(ctx, handler, writeArg);
        return;
      } catch (error) {
        ctx.cache.rollback(checkpoint);
        ctx.created.length = created;
        if (error instanceof AsyncDataNeeded && attempt < MAX_REPLAYS) {
          try {
            await error.load();
          } catch (loadError) {
            throw new NonDeterministicError(
              `failed to load ${error.what}: ${(loadError as Error).message}`,
            );
          }
          continue;
        }
        throw classify(error);
      }
    }
  }

  private freshInstance(ctx: TriggerContext): MappingExports {
    const instance = new WebAssembly.Instance(this.module, this.imports);
    const exports = instance.exports as unknown as MappingExports;
    this.current = { heap: new AscHeap(exports, this.classIds), ctx };
    exports._start?.();
    return exports;
  }

  /** The pooled instance, reset to its post-`_start` state. */
  private resetInstance(ctx: TriggerContext): MappingExports {
    const pooled = this.pooled;
    if (
      pooled &&
      pooled.exports.memory.buffer.byteLength - pooled.memory.length <= MAX_POOLED_GROWTH
    ) {
      restoreState(pooled);
      return pooled.exports;
    }
    const exports = this.freshInstance(ctx);
    const globals: WebAssembly.Global[] = [];
    for (const [name, value] of Object.entries(exports)) {
      if (name.startsWith(GLOBAL_EXPORT_PREFIX)) globals.push(value as WebAssembly.Global);
    }
    if (globals.length !== this.globalCount) throw new Error('mutable global exports are missing');
    this.pooled = {
      exports,
      globals,
      globalValues: globals.map((g) => g.value),
      memory: new Uint8Array(exports.memory.buffer).slice(),
    };
    return exports;
  }

  /** Synchronous part: instantiate, `_start`, write the trigger, call the handler. */
  private invoke(ctx: TriggerContext, handler: string, writeArg: (heap: AscHeap) => number): void {
    const exports = this.reuse ? this.resetInstance(ctx) : this.freshInstance(ctx);
    const heap = new AscHeap(exports, this.classIds);
    this.current = { heap, ctx };
    try {
      const fn = exports[handler];
      if (typeof fn !== 'function') {
        throw new DeterministicError(`the mapping does not export the handler \`${handler}\``);
      }
      const arg = writeArg(heap);
      (fn as (ptr: number) => void)(arg);
    } finally {
      this.current = null;
    }
  }
}

function restoreState(pooled: PooledInstance): void {
  const memory = new Uint8Array(pooled.exports.memory.buffer);
  memory.set(pooled.memory, 0);
  if (memory.length > pooled.memory.length) memory.fill(0, pooled.memory.length);
  for (let i = 0; i < pooled.globals.length; i++)
    pooled.globals[i]!.value = pooled.globalValues[i]!;
}

function classify(error: unknown): Error {
  if (error instanceof DeterministicError || error instanceof NonDeterministicError) return error;
  if (error instanceof WebAssembly.RuntimeError) {
    return new DeterministicError(`WASM runtime error: ${error.message}`);
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new NonDeterministicError(`WASM stack overflow: ${error.message}`);
  }
  return new NonDeterministicError(error instanceof Error ? error.message : String(error));
}
