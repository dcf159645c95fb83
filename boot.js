// Starts the app. A file instead of Trunk's inline loader, so that pages
// with a Content-Security-Policy need no 'unsafe-inline'; URLs resolve
// against this script, so a partner page on another origin can load it.
import init from "./csp-enroll.js";

init({ module_or_path: new URL("./csp-enroll_bg.wasm", import.meta.url) });
