// PGlite's WebAssembly modules and file-system bundle, imported as files by their package export names so
// `bun build --compile` carries them inside the binary (PGlite finds them by itself only next to its own
// JavaScript, which the compiled binary does not have). Compiled once per process and shared by every
// embedded database it opens.
import initdbWasmPath from '@electric-sql/pglite/initdb.wasm' with { type: 'file' };
import pgliteDataPath from '@electric-sql/pglite/pglite.data' with { type: 'file' };
import pgliteWasmPath from '@electric-sql/pglite/pglite.wasm' with { type: 'file' };

export interface PgliteRuntimeFiles {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let loading: Promise<PgliteRuntimeFiles> | undefined;

async function compile(path: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await Bun.file(path).arrayBuffer());
}

export function pgliteRuntimeFiles(): Promise<PgliteRuntimeFiles> {
  loading ??= Promise.all([compile(pgliteWasmPath), compile(initdbWasmPath)]).then(
    ([pgliteWasmModule, initdbWasmModule]) => ({
      pgliteWasmModule,
      initdbWasmModule,
      fsBundle: Bun.file(pgliteDataPath),
    }),
  );
  // a failed load (a file missing from a broken build) is retried by the next caller, not cached
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
