// Phonebank's replacement for flet_web's python-worker.js (Flet 1.0.5): same message
// protocol with python.js, faster start.
//
// Differences from flet's worker, all for start-up time:
// - Pyodide, the app archive and the pre-extracted site-packages archive are fetched as
//   soon as this module is evaluated, in parallel with Pyodide's boot, not one after the
//   other.
// - Dependencies come from ONE archive (site-packages.tar.gz, written by
//   sync_server/pwa/site_packages.py) unpacked straight into site-packages by a few lines
//   of JS, instead of micropip resolving and installing each wheel.
// - Only what Phonebank's bundle uses: no inline script, __pypackages__, extra
//   dependencies or another app archive, which flet's generic worker also handles.
// - Archives are plain ustar tar + gzip, inflated by the browser's DecompressionStream:
//   native code, no Python on the critical path.
//
// Messages: the first one from python.js configures and starts Python; "initialized" or
// an error string is posted back; later messages are Flet protocol frames for
// flet_js.send, and frames from Python are posted back as Uint8Array.

// The build replaces this line with the bundle's (content-hashed) names, relative to this
// file, and the modules to import while Flutter starts (see site_packages.worker_source).
const BUNDLE = {"pyodide": "pyodide/pyodide.mjs", "app": "app.tar.gz", "sitePackages": "site-packages.tar.gz", "preload": []};

const url = (name) => new URL(name, import.meta.url).href;
const t0 = performance.now();
const mark = (what) => console.debug(`[pb] ${what} ${(performance.now() - t0).toFixed(0)} ms`);

// The tar bytes of url (gunzipped when gzip; a server may already have decoded it).
async function fetchTar(href) {
    const response = await fetch(href);
    if (!response.ok) {
        throw new Error(`Failed to download ${href}: HTTP ${response.status}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Writes a ustar archive (with pax/GNU long names) into the Emscripten FS under dir.
function untar(FS, bytes, dir) {
    const text = (a, b) => new TextDecoder().decode(bytes.subarray(a, b)).replace(/\0.*$/s, "");
    let longName = null;
    let count = 0;
    for (let pos = 0; pos + 512 <= bytes.length;) {
        if (bytes[pos] === 0) break; // end-of-archive blocks
        const size = parseInt(text(pos + 124, pos + 136).trim() || "0", 8);
        const type = String.fromCharCode(bytes[pos + 156] || 48);
        const prefix = text(pos + 345, pos + 500);
        let name = longName ?? (prefix ? `${prefix}/` : "") + text(pos, pos + 100);
        const data = bytes.subarray(pos + 512, pos + 512 + size);
        pos += 512 + Math.ceil(size / 512) * 512;
        if (type === "x" || type === "L") { // next entry's name
            const body = new TextDecoder().decode(data);
            longName = type === "L" ? body.replace(/\0.*$/s, "") : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body)?.[1] ?? null;
            continue;
        }
        longName = null;
        if (type === "g") continue;
        const path = `${dir}/${name.replace(/^\.\//, "")}`.replace(/\/+$/, "");
        if (type === "5") {
            FS.mkdirTree(path);
        } else if (type === "0" || type === "7") {
            FS.mkdirTree(path.slice(0, path.lastIndexOf("/")) || "/");
            FS.writeFile(path, data, { canOwn: false });
            count++;
        }
    }
    return count;
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

// Boot Python as soon as this worker exists, before (and while) python.js sends the init
// message: Pyodide, site-packages and the app archive load in parallel, then the preload
// modules are imported.
async function boot() {
    const sitePackages = fetchTar(url(BUNDLE.sitePackages));
    const app = fetchTar(url(BUNDLE.app));
    sitePackages.catch(() => {}); // awaited below; no "unhandled rejection" meanwhile
    app.catch(() => {});
    const { loadPyodide } = await import(url(BUNDLE.pyodide));
    const pyodide = await loadPyodide({
        stdout: (text) => self.sendPythonOutput(text, false),
        stderr: (text) => self.sendPythonOutput(text, true),
    });
    mark("pyodide loaded");
    // Registered now so that preloaded modules may import it; args and documentUrl are
    // set on the same object when the init message comes.
    pyodide.registerJsModule("flet_js", self.flet_js);
    const sitePackagesDir = pyodide.runPython("import site; site.getsitepackages()[0]");
    mark(`site-packages: ${untar(pyodide.FS, await sitePackages, sitePackagesDir)} files`);
    mark(`app: ${untar(pyodide.FS, await app, pyodide.FS.cwd())} files`);
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
    // Imports that take seconds, done while Flutter is still starting. A failure here
    // is not fatal: the app's own import reports it properly later.
    for (const name of BUNDLE.preload) {
        try {
            pyodide.runPython(`import ${name}`);
            mark(`preloaded ${name}`);
        } catch (error) {
            console.warn(`preloading ${name} failed:`, error);
        }
    }
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
