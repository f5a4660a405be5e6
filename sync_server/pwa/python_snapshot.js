// A memory snapshot of Python with the app imported, made on the device at its first start
// and restored at every later one: Python is ready in about a second instead of eight.
//
// A Pyodide snapshot is a copy of the wasm heap. What lives outside the heap must be put
// back by hand before (or right after) the copy, or the restored Python breaks:
// - extension modules (.so side modules: pydantic_core, msgpack): their code and
//   function-table entries are JS-side state. We record where each was loaded (memory base,
//   table base, from Emscripten's C `struct dso`) and the GOT, and at restore load the same
//   .so again at the same bases before pyodide.mjs copies the heap (as Cloudflare's workerd
//   does for Python Workers);
// - open file descriptors (FS.streams): reopened at their numbers and positions;
// - the file system itself: the worker unpacks site-packages and the app again.
// pyodide.asm.mjs ignores INITIAL_MEMORY, so memory is grown to the heap's size first.
//
// Uses Emscripten internals that pyodide.asm.mjs (Pyodide 314.0.7) puts on Module: LDSO,
// GOT, wasmTable, loadWebAssemblyModule, newDSO, freeTableIndexes, growMemory, HEAP*.
// A snapshot is kept per bundle version (its key names the content-hashed Pyodide,
// site-packages and app), so one from an older deploy is never restored by a newer one.

const CACHE = "python-snapshot"; // not "phonebank-…": the service worker deletes those
const FORMAT = 2;

// Emscripten's `struct dso` (system/lib/libc/dynlink.c), the dlopen handle:
// +12 mem_addr, +16 mem_size, +20 table_addr, +24 table_size.
function readDso(M, handle) {
  return {
    memoryBase: M.HEAPU32[(handle + 12) >>> 2],
    memorySize: M.HEAP32[(handle + 16) >>> 2],
    tableBase: M.HEAPU32[(handle + 20) >>> 2],
    tableSize: M.HEAP32[(handle + 24) >>> 2],
  };
}

// What a restore needs besides the heap. Throws when something cannot be restored.
export function recordRuntime(M, FS, sitePackagesDir) {
  const byName = {};
  for (const [h, dso] of Object.entries(M.LDSO.loadedLibsByHandle)) {
    const handle = Number(h);
    if (!handle) continue; // 0 is the main module
    if (!dso.name.startsWith(`${sitePackagesDir}/`)) {
      throw new Error(`${dso.name} is not in site-packages: cannot load it again`);
    }
    const lib = (byName[dso.name] ??= { name: dso.name, handles: [], ...readDso(M, handle) });
    lib.handles.push(handle);
  }
  const unhandled = Object.keys(M.LDSO.loadedLibsByName).filter(
    (name) => name !== "__main__" && !byName[name],
  );
  if (unhandled.length) throw new Error(`libraries without a handle: ${unhandled}`);
  const fds = [];
  FS.streams.forEach((stream, fd) => {
    if (stream && fd > 2) fds.push([fd, stream.path, stream.flags, stream.position]);
  });
  return {
    format: FORMAT,
    sitePackagesDir,
    libs: Object.values(byName).sort((a, b) => a.tableBase - b.tableBase),
    // GOT entries are mutable wasm globals outside linear memory.
    got: Object.fromEntries(Object.entries(M.GOT).map(([name, global]) => [name, global.value])),
    tableLength: M.wasmTable.length,
    freeTableIndexes: [...M.freeTableIndexes],
    fds,
  };
}

// Load one side module so that its instance gets memoryBase as __memory_base:
// loadWebAssemblyModule allocates a base of its own in the fresh heap (which the snapshot
// copy overwrites anyway); data exports it relocated by that base are moved.
async function loadAt(M, lib, compiled) {
  const Instance = WebAssembly.Instance;
  let given;
  WebAssembly.Instance = function (module, imports) {
    given = imports.env.__memory_base;
    const env = new Proxy(imports.env, {
      get: (target, key, receiver) =>
        key === "__memory_base" ? lib.memoryBase : Reflect.get(target, key, receiver),
    });
    return new Instance(module, { ...imports, env, wasi_snapshot_preview1: env });
  };
  let exports;
  try {
    // With loadAsync and a compiled module, Emscripten instantiates with `new Instance`.
    exports = await M.loadWebAssemblyModule(
      compiled,
      { loadAsync: true, global: false, nodelete: true },
      lib.name,
      {},
    );
  } finally {
    WebAssembly.Instance = Instance;
  }
  const delta = lib.memoryBase - given;
  const moved = {};
  for (const [name, value] of Object.entries(exports)) {
    let constant = false;
    if (value instanceof WebAssembly.Global) {
      try {
        value.value = value.value; // eslint-disable-line no-self-assign
      } catch {
        constant = true; // an immutable global: a data address
      }
    }
    moved[name] = constant ? new WebAssembly.Global({ value: "i32" }, value.value + delta) : value;
  }
  return moved;
}

// Called with the Emscripten module before pyodide.mjs copies the heap in.
async function loadLibraries(M, runtime, compiled) {
  const table = M.wasmTable;
  for (const [i, lib] of runtime.libs.entries()) {
    if (table.length > lib.tableBase) {
      throw new Error(`${lib.name}: table at ${table.length}, snapshot has it at ${lib.tableBase}`);
    }
    // Slots before a library's range held functions added with addFunction at snapshot
    // time (a PyInit_* put into a freed slot): free them, lowest first, so the same calls
    // made while loading land there again.
    const padding = [];
    while (table.length < lib.tableBase) padding.push(table.grow(1));
    M.freeTableIndexes.push(...padding.reverse());
    const exports = await loadAt(M, lib, compiled[i]);
    const dso = M.newDSO(lib.name, undefined, "loading");
    dso.refcount = Infinity;
    dso.global = false;
    dso.exports = exports;
    for (const handle of lib.handles) M.LDSO.loadedLibsByHandle[handle] = dso;
  }
  for (const [name, value] of Object.entries(runtime.got)) {
    if (M.GOT[name]) M.GOT[name].value = value;
    else M.GOT[name] = new WebAssembly.Global({ value: "i32", mutable: true }, value);
  }
  // Slots freed (removeFunction) before the snapshot: free again, in the same order.
  if (table.length > runtime.tableLength) {
    throw new Error(`function table has ${table.length} slots, snapshot ${runtime.tableLength}`);
  }
  while (table.length < runtime.tableLength) table.grow(1);
  M.freeTableIndexes.splice(0, Infinity, ...runtime.freeTableIndexes);
}

// loadPyodide options that restore `snapshot`; libraries(names) resolves to the .so files'
// bytes (from the site-packages archive), compiled while Pyodide compiles.
//
// Pyodide is handed the snapshot's header only: the heap is streamed from the cache
// straight into wasm memory, so no 45 MB copy of it is ever held besides the heap itself.
export function restoreOptions(pyodideAsmUrl, { header, heap, runtime }, libraries, mark = () => {}) {
  const compiled = libraries(runtime.libs.map((lib) => lib.name)).then((files) =>
    Promise.all(files.map((file) => WebAssembly.compile(file))),
  );
  compiled.catch(() => {}); // awaited below
  return {
    _loadSnapshot: header,
    createPyodideModule: async (settings) => {
      const create = (await import(pyodideAsmUrl)).default;
      const M = await create(settings);
      mark("wasm instantiated");
      M.growMemory(runtime.heapBytes);
      await loadLibraries(M, runtime, await compiled);
      mark("extension modules loaded");
      await copyHeap(M, heap, runtime.heapBytes);
      mark("heap copied");
      return M; // pyodide.mjs now reads the header and finishes booting
    },
  };
}

async function copyHeap(M, response, size) {
  const reader = response.body.getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > size) throw new Error("the snapshot's heap is too long");
    M.HEAP8.set(value, offset);
    offset += value.length;
  }
  if (offset !== size) throw new Error(`the snapshot's heap has ${offset} of ${size} bytes`);
}

// After the files are back in place: reopen each descriptor at its number and position.
export function reopenFiles(FS, runtime) {
  for (const [fd, path, flags, position] of runtime.fds) {
    if (FS.streams[fd]) throw new Error(`fd ${fd} (${path}) is taken by ${FS.streams[fd].path}`);
    const stream = FS.open(path, flags & ~(0o100 | 0o1000)); // without O_CREAT and O_TRUNC
    if (stream.fd !== fd) {
      FS.dupStream(stream, fd);
      FS.close(stream);
    }
    FS.streams[fd].position = position;
  }
}

// ---------------------------------------------------------------- kept in the Cache API

const entry = (key, part) => `/python-snapshot/${key}/${part}`;

async function openCache() {
  return typeof caches === "undefined" ? null : caches.open(CACHE); // not on plain-HTTP hosts
}

// The snapshot kept for this bundle: {header, heap (a Response to stream), runtime}, or null.
export async function readSnapshot(key) {
  const cache = await openCache();
  if (!cache) return null;
  const [header, heap, runtime] = await Promise.all(
    ["header", "heap", "runtime"].map((part) => cache.match(entry(key, part))),
  );
  if (!header || !heap || !runtime) return null;
  const meta = await runtime.json();
  if (meta.format !== FORMAT) return null;
  return { header: new Uint8Array(await header.arrayBuffer()), heap, runtime: meta };
}

// Keeps this bundle's snapshot (made by pyodide.makeMemorySnapshot: a header, then the
// heap) and drops every other (older deploys').
export async function storeSnapshot(key, bytes, runtime) {
  const cache = await openCache();
  if (!cache) return;
  for (const request of await cache.keys()) {
    if (!new URL(request.url).pathname.startsWith(entry(key, ""))) await cache.delete(request);
  }
  const headerBytes = new Uint32Array(bytes.buffer, bytes.byteOffset, 2)[1];
  await cache.put(entry(key, "header"), new Response(bytes.subarray(0, headerBytes)));
  await cache.put(entry(key, "heap"), new Response(bytes.subarray(headerBytes)));
  const heapBytes = bytes.length - headerBytes;
  await cache.put(entry(key, "runtime"), new Response(JSON.stringify({ ...runtime, heapBytes })));
}

// A restore that failed is not tried again for this bundle, nor is a new snapshot made
// (the next deploy tries afresh).
export async function giveUpSnapshot(key, reason) {
  const cache = await openCache();
  if (!cache) return;
  await cache.delete(entry(key, "heap"));
  await cache.put(entry(key, "failed"), new Response(String(reason)));
}

export async function snapshotGivenUp(key) {
  const cache = await openCache();
  return !cache || Boolean(await cache.match(entry(key, "failed")));
}
