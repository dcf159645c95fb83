// Starts the app. A file instead of Trunk's inline loader, so that pages
// with a Content-Security-Policy need no 'unsafe-inline'; URLs resolve
// against this script, so a partner page on another origin can load it.
//
// Nothing waits for anything else: the wasm is asked for at once, beside
// the JS that runs it (a static import would be fetched first and delay
// the wasm by a round trip), and so are the program settings the first
// page shows. The app takes those from its host element (`cspProgram`,
// the body's text or null) and asks the API itself if they are not there.
const host = document.querySelector("[data-csp-enroll]");
if (host && !host.dataset.view && !host.cspProgram) {
  const base = host.dataset.apiBase ?? "";
  host.cspProgram = fetch(`${base}/api/v1/program`, { headers: { Accept: "application/json" } })
    .then((answer) => (answer.ok ? answer.text() : null))
    .catch(() => null);
}
const wasm = fetch(new URL("./csp-enroll_bg.wasm", import.meta.url));
const { default: init } = await import("./csp-enroll.js");
init({ module_or_path: wasm });
