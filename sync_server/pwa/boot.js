// Phonebank's start-up glue, run before Flutter loads (the build puts it in index.html).
(function () {
  "use strict";
  const workers = navigator.serviceWorker;

  function hideLoading() {
    document.getElementById("phonebank-loading")?.remove();
  }

  function startFlutter() {
    // The Python worker starts booting now, while Flutter loads (python.js takes it).
    let early = new Worker("python-worker.js", { type: "module" });
    globalThis.flet.takeEarlyWorker = () => {
      const worker = early;
      early = null;
      return worker;
    };
    const script = document.createElement("script");
    script.src = "flutter_bootstrap.js";
    script.async = true;
    document.body.append(script);
  }

  // Registered once Python runs: on a first visit the precache would otherwise download
  // the big files alongside the page instead of after it (then it revalidates them).
  function registerWorker() {
    if (!workers) return;
    // register() of an unchanged script does not look for a new version: update() does,
    // once per launch (a new deploy then waits, and takes over at the next launch).
    workers
      .register("/sw.js", { scope: "/", updateViaCache: "none" })
      .then((registration) => registration.update())
      .catch((error) => console.warn("Phonebank: service worker not updated:", error));
    navigator.storage?.persist?.();
  }

  // The Python app is up when Flet's jsConnect resolves (or has failed and Flet shows why).
  const connect = globalThis.jsConnect;
  globalThis.jsConnect = async function (...args) {
    try {
      return await connect.apply(this, args);
    } finally {
      hideLoading();
      registerWorker();
    }
  };

  // A version installed during an earlier launch takes over now, before anything of the
  // app has loaded; the page then reloads once under it.
  async function takeWaitingUpdate() {
    const registration = workers && (await workers.getRegistration("/"));
    if (!registration || !registration.waiting || !workers.controller) return false;
    workers.addEventListener("controllerchange", () => location.reload(), { once: true });
    registration.waiting.postMessage("skip-waiting");
    return true;
  }

  // The Python worker's requests for the Notification API, which only a page has
  // (app/ui/notifier.py): permission is asked once, after the first callback is scheduled.
  function listenForReminders() {
    if (!("Notification" in globalThis) || !("BroadcastChannel" in globalThis)) return;
    new BroadcastChannel("phonebank").onmessage = async ({ data }) => {
      if (data?.kind === "ask-notifications" && Notification.permission === "default") {
        await Notification.requestPermission();
      } else if (data?.kind === "notify" && Notification.permission === "granted") {
        const options = { body: data.body, tag: data.tag, icon: "/icons/icon-192.png" };
        const registration = workers && (await workers.getRegistration("/"));
        if (registration) await registration.showNotification(data.title, options);
        else new Notification(data.title, options);
      }
    };
  }

  listenForReminders();
  setTimeout(() => {
    document.getElementById("phonebank-slow")?.removeAttribute("hidden");
  }, 20000);
  takeWaitingUpdate()
    .catch(() => false)
    .then((updating) => updating || startFlutter());
})();
