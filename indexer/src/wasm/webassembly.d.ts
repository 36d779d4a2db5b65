/**
 * The WebAssembly JS API as Node 20 provides it. @types/node 20 does not declare it and the DOM lib
 * would bring browser globals into a Node package, so the few members used here are declared.
 */
declare global {
  namespace WebAssembly {
    interface Memory {
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }
    class Module {
      constructor(bytes: BufferSource);
      static imports(module: Module): { module: string; name: string; kind: string }[];
      static exports(module: Module): { name: string; kind: string }[];
    }
    type ExportValue = unknown;
    type Exports = Record<string, ExportValue>;
    class Instance {
      constructor(module: Module, imports?: Imports);
      readonly exports: Exports;
    }
    type ImportValue = unknown;
    type Imports = Record<string, Record<string, ImportValue>>;
    class Global {
      value: number | bigint;
    }
    class RuntimeError extends Error {}
    class CompileError extends Error {}
    function compile(bytes: BufferSource): Promise<Module>;
    function validate(bytes: BufferSource): boolean;
  }
}
export {};
