// Starts the app. A file instead of Trunk's inline loader, so that pages
// with a Content-Security-Policy need no 'unsafe-inline'; URLs resolve
// against this script, so a partner page on another origin can load it.
// The wasm is asked for at once, beside the JS that runs it, not after it
// (a static import would be fetched first and delay the wasm by a round
// trip).
const wasm = fetch(new URL("./csp-enroll_bg.wasm", import.meta.url));
const { default: init } = await import("./csp-enroll.js");
init({ module_or_path: wasm });
