// Phonebank's replacement for flet_web's python-worker.js (Flet 1.0.5): same message
// protocol with python.js, faster start.
//
// Differences from flet's worker, all for start-up time:
// - Pyodide, the app archive and the pre-extracted site-packages archive are fetched as
//   soon as this module is evaluated, in parallel with Pyodide's boot, not one after the
//   other.
// - Dependencies come from ONE archive (site-packages.tar, written by
//   sync_server/pwa/site_packages.py) unpacked straight into site-packages by a few lines
//   of JS, instead of micropip resolving and installing each wheel.
// - Only what Phonebank's bundle uses: no inline script, __pypackages__, extra
//   dependencies or another app archive, which flet's generic worker also handles.
// - Archives are plain ustar tars, sent brotli- or gzip-encoded and decoded by the
//   browser itself: native code, no Python on the critical path.
// - From the second start on, Python comes back from a memory snapshot with the app's
//   modules imported (python-snapshot.js), made at the first start.
//
// Messages: the first one from python.js configures and starts Python; "initialized" or
// an error string is posted back; later messages are Flet protocol frames for
// flet_js.send, and frames from Python are posted back as Uint8Array.

import {
    giveUpSnapshot,
    readSnapshot,
    recordRuntime,
    reopenFiles,
    restoreOptions,
    snapshotGivenUp,
    storeSnapshot,
} from "./python-snapshot.js";

// The build replaces this line with the bundle's (content-hashed) names, relative to this
// file, and the modules to import while Flutter starts (see site_packages.worker_source).
const BUNDLE = {"pyodide": "pyodide/pyodide.mjs", "pyodideAsm": "pyodide/pyodide.asm.mjs", "app": "app.tar", "sitePackages": "site-packages.tar", "preload": [], "fletNames": [], "snapshotKey": "dev"};

const url = (name) => new URL(name, import.meta.url).href;
const t0 = performance.now();
const mark = (what) => console.debug(`[pb] ${what} ${(performance.now() - t0).toFixed(0)} ms`);

// The tar bytes of url (the browser has decoded the brotli or gzip it came in).
async function fetchTar(href) {
    const response = await fetch(href);
    if (!response.ok) {
        throw new Error(`Failed to download ${href}: HTTP ${response.status}`);
    }
    return new Uint8Array(await response.arrayBuffer());
}

// Walks a ustar archive (with pax/GNU long names): onFile(path, data) for each file,
// onDir(path) for each folder.
function walkTar(bytes, onFile, onDir) {
    const text = (a, b) => new TextDecoder().decode(bytes.subarray(a, b)).replace(/\0.*$/s, "");
    let longName = null;
    for (let pos = 0; pos + 512 <= bytes.length;) {
        if (bytes[pos] === 0) break; // end-of-archive blocks
        const size = parseInt(text(pos + 124, pos + 136).trim() || "0", 8);
        const type = String.fromCharCode(bytes[pos + 156] || 48);
        const prefix = text(pos + 345, pos + 500);
        const name = longName ?? (prefix ? `${prefix}/` : "") + text(pos, pos + 100);
        const data = bytes.subarray(pos + 512, pos + 512 + size);
        pos += 512 + Math.ceil(size / 512) * 512;
        if (type === "x" || type === "L") { // next entry's name
            const body = new TextDecoder().decode(data);
            longName = type === "L" ? body.replace(/\0.*$/s, "") : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body)?.[1] ?? null;
            continue;
        }
        longName = null;
        const path = name.replace(/^\.\//, "").replace(/\/+$/, "");
        if (type === "5") onDir?.(path);
        else if (type === "0" || type === "7") onFile(path, data);
    }
}

// Writes an archive into the Emscripten FS under dir; the number of files written.
function untar(FS, bytes, dir) {
    const made = new Set();
    const folder = (path) => {
        if (!made.has(path)) {
            FS.mkdirTree(path);
            made.add(path);
        }
    };
    let count = 0;
    walkTar(
        bytes,
        (name, data) => {
            const path = `${dir}/${name}`;
            folder(path.slice(0, path.lastIndexOf("/")) || "/");
            FS.writeFile(path, data, { canOwn: false });
            count++;
        },
        (name) => folder(`${dir}/${name}`),
    );
    return count;
}

// The archive's files named in `wanted` (a Set), as {name: bytes}.
function tarPick(bytes, wanted) {
    const found = {};
    walkTar(bytes, (name, data) => {
        if (wanted.has(name)) found[name] = data;
    });
    return found;
}

self.flet_js = {}; // namespace for Python global functions
self.initialized = false;

// Until the user app starts, stdout/stderr are boot diagnostics: dev console only.
self.userAppRunning = false;
self.flet_js.userAppStarting = () => { self.userAppRunning = true; };
self.sendPythonOutput = function (text, isStderr) {
    if (!self.userAppRunning || !self.flet_js.send_python_output) {
        (isStderr ? console.error : console.log)(text);
        return;
    }
    // Pyodide calls stdout/stderr hooks with the GIL released: calling back into
    // Python synchronously would throw NoGilError.
    queueMicrotask(() => self.flet_js.send_python_output(text, isStderr));
};

self.receiveCallback = (message) => {
    // message wraps a Python bytes; toJs() copies it, so its buffer can be transferred.
    const bytes = message.toJs();
    self.postMessage(bytes, [bytes.buffer]);
};
self.flet_js.receive_callback = self.receiveCallback;

// Runs after site-packages and the app are in place; mirrors flet's boot script.
const BOOT = `
import flet_js, runpy

import msgpack as _msgpack

py_args = flet_js.args.to_py() if flet_js.args else {}
python_module_name = py_args.get("python_module_name") or python_module_name or "main"

def _send_python_output(text, is_stderr):
    # A 0x00 type byte (msgpack Flet frame) before [action 7, body], as
    # PyodideConnection.send_message frames it.
    flet_js.receive_callback(
        bytes([0]) + _msgpack.packb([7, {"text": text, "is_stderr": bool(is_stderr)}])
    )

flet_js.send_python_output = _send_python_output
flet_js.userAppStarting()

try:
    runpy.run_module(python_module_name, run_name="__main__")
except SystemExit as _exit:
    if _exit.code not in (None, 0):
        raise
`;

const APP_DIR = "/home/pyodide";
const key = BUNDLE.snapshotKey;

// Lets Python see a fresh start (file caches and the random seed were the snapshot's) and
// checks that it works.
const AFTER_RESTORE = `
import importlib, random, sys
importlib.invalidate_caches()
random.seed()
missing = [name for name in ${JSON.stringify(BUNDLE.preload)} if name not in sys.modules]
if missing:
    raise RuntimeError(f"restored Python lacks {missing}")
from pydantic import TypeAdapter
assert TypeAdapter(list[int]).validate_python(["1"]) == [1]
`;

async function unpack(pyodide, sitePackages, app, sitePackagesDir) {
    pyodide.FS.mkdirTree(APP_DIR);
    pyodide.FS.chdir(APP_DIR);
    mark(`site-packages: ${untar(pyodide.FS, await sitePackages, sitePackagesDir)} files`);
    mark(`app: ${untar(pyodide.FS, await app, APP_DIR)} files`);
}

// Python from this bundle's snapshot (see python-snapshot.js); throws when it cannot.
async function restore(loadPyodide, saved, sitePackages, app) {
    const dir = saved.runtime.sitePackagesDir;
    const libraries = async (names) => {
        const wanted = names.map((name) => name.slice(dir.length + 1));
        const files = tarPick(await sitePackages, new Set(wanted));
        return wanted.map((name) => files[name] ?? missingLibrary(name));
    };
    const pyodide = await loadPyodide({
        ...pyodideOptions(),
        ...restoreOptions(url(BUNDLE.pyodideAsm), saved, libraries, mark),
    });
    mark("python restored from the snapshot");
    await unpack(pyodide, sitePackages, app, dir);
    reopenFiles(pyodide.FS, saved.runtime);
    pyodide.runPython(AFTER_RESTORE);
    return pyodide;
}

function missingLibrary(name) {
    throw new Error(`${name} is not in the site-packages archive`);
}

// Python booted and the slow imports done; with makeSnapshot, a snapshot of that is kept
// for the next start (taken before anything of the app runs or any JS object is handed to
// Python, so that the heap holds nothing that lives only in this worker).
async function startAfresh(loadPyodide, sitePackages, app, makeSnapshot) {
    const pyodide = await loadPyodide({ ...pyodideOptions(), _makeSnapshot: makeSnapshot });
    mark("pyodide loaded");
    const dir = pyodide.runPython("import site; site.getsitepackages()[0]");
    await unpack(pyodide, sitePackages, app, dir);
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
    // A failure here is not fatal: the app's own import reports it properly later.
    for (const name of BUNDLE.preload) {
        try {
            pyodide.runPython(`import ${name}`);
            mark(`imported ${name}`);
        } catch (error) {
            console.warn(`importing ${name} failed:`, error);
            makeSnapshot = false;
        }
    }
    try {
        pyodide.runPython(`
import flet
for name in ${JSON.stringify(BUNDLE.fletNames)}:
    getattr(flet, name)
`);
        mark("flet's controls imported");
    } catch (error) {
        console.warn("importing flet's controls failed:", error);
    }
    if (makeSnapshot) {
        try {
            pyodide.runPython("import gc; gc.collect()"); // closes files nothing holds
            const runtime = recordRuntime(pyodide._module, pyodide.FS, dir);
            const bytes = pyodide.makeMemorySnapshot();
            mark(`snapshot made: ${(bytes.length / 1e6).toFixed(1)} MB`);
            storeSnapshot(key, bytes, runtime).then(
                () => mark("snapshot stored"),
                (error) => console.warn("Phonebank: snapshot not stored:", error),
            );
        } catch (error) {
            console.warn("Phonebank: no snapshot of Python made:", error);
            giveUpSnapshot(key, error).catch(() => {});
        }
    }
    return pyodide;
}

function pyodideOptions() {
    return {
        stdout: (text) => self.sendPythonOutput(text, false),
        stderr: (text) => self.sendPythonOutput(text, true),
    };
}

// Boot Python as soon as this worker exists, before (and while) python.js sends the init
// message: Pyodide, site-packages and the app archive load in parallel; then Python is
// restored from the snapshot or started afresh and the slow modules imported.
async function boot() {
    const sitePackages = fetchTar(url(BUNDLE.sitePackages));
    const app = fetchTar(url(BUNDLE.app));
    sitePackages.catch(() => {}); // awaited below; no "unhandled rejection" meanwhile
    app.catch(() => {});
    const [saved, { loadPyodide }] = await Promise.all([
        readSnapshot(key).catch((error) => {
            console.warn("Phonebank: snapshot not read:", error);
            return null;
        }),
        import(url(BUNDLE.pyodide)),
    ]);
    if (saved) mark("snapshot read");
    let pyodide = null;
    if (saved) {
        try {
            pyodide = await restore(loadPyodide, saved, sitePackages, app);
        } catch (error) {
            console.warn("Phonebank: snapshot not restored; starting Python afresh:", error);
            await giveUpSnapshot(key, error).catch(() => {});
        }
    }
    pyodide ??= await startAfresh(
        loadPyodide,
        sitePackages,
        app,
        !(await snapshotGivenUp(key).catch(() => true)),
    );
    // Registered after the snapshot: args and documentUrl are set on it by the init message.
    pyodide.registerJsModule("flet_js", self.flet_js);
    return pyodide;
}
const booted = boot();
booted.catch(() => {}); // reported when the init message awaits it

async function start(config) {
    mark("init message");
    const pyodide = await booted;
    self.flet_js.documentUrl = config.documentUrl;
    pyodide.globals.set("python_module_name", config.pythonModuleName);
    await pyodide.runPythonAsync(BOOT);
    mark("app module ran");

    // start_connection is registered when the app calls ft.run(...).
    if (typeof self.flet_js.start_connection !== "function") {
        self.postMessage(
            "__flet_no_ui__:Script finished without starting a Flet UI.\n" +
            "Add ft.run(main) at the end of your script to display the app."
        );
        return;
    }
    await self.flet_js.start_connection(self.receiveCallback);
    mark("connected");
    self.postMessage("initialized");
}

self.onmessage = async (event) => {
    if (!self.initialized) {
        self.initialized = true;
        self.flet_js.args = event.data.args;
        try {
            await start(event.data);
        } catch (error) {
            self.postMessage(error.toString());
        }
    } else if (typeof self.flet_js.send === "function") {
        self.flet_js.send(event.data);
    } else {
        console.error("Flet: dropped a message for a Python app that never started.");
    }
};
