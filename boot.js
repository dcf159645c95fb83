// Starts the app on a page: `<csp-enroll>` (the custom element defined
// here) and the older `<div data-csp-enroll>`. A file instead of Trunk's
// inline loader, so that pages with a Content-Security-Policy need no
// 'unsafe-inline'; every URL resolves against this script, so a partner's
// page on another origin can load it (the app's files are served to any
// origin).
//
// Nothing waits for anything else: the wasm is asked for at once, beside
// the JS that runs it (a static import would be fetched first and delay
// the wasm by a round trip), and so are the program settings the first
// page shows. The app takes those from its host element (`cspProgram`,
// the body's text or null) and asks the API itself if they are not there.
//
// In iframe mode (`data-mode="iframe"`) none of that happens on the host's
// page: this draws an iframe of the app's own page, passes the element's
// settings in its fragment, and relays the app's events, which arrive by
// postMessage from the app's origin only.

const HOSTS = "csp-enroll, [data-csp-enroll]";
const EVENTS = ["ready", "step", "saved", "submitted", "exit", "error", "resize", "locale"];
// Attribute → the iframe fragment's key (the app reads them back). Not
// data-api-base: in its iframe the app talks to its own origin, and a
// fragment never chooses where answers go.
const FRAMED = {
  "data-locale": "locale",
  "data-start": "start",
  "data-view": "start",
  "data-model": "model",
  "data-finder-in-browser-limit": "limit",
};
const appOrigin = new URL(import.meta.url).origin;

const inIframe = (element) => element.getAttribute("data-mode") === "iframe";

let started;
// Loads the app once, for every inline host on the page.
function start() {
  if (!started) {
    const first = [...document.querySelectorAll(HOSTS)].find((h) => !inIframe(h));
    const start = first && (first.dataset.start ?? first.dataset.view ?? "wizard");
    // The program settings are the wizard's: the finder and the account
    // do without them.
    if (first && start !== "finder" && start !== "account" && !first.cspProgram) {
      const base = first.dataset.apiBase ?? "";
      first.cspProgram = fetch(`${base}/api/v1/program`, { headers: { Accept: "application/json" } })
        .then((answer) => (answer.ok ? answer.text() : null))
        .catch(() => null);
    }
    const wasm = fetch(new URL("./csp-enroll_bg.wasm", import.meta.url));
    started = import("./csp-enroll.js")
      .then(async (app) => {
        await app.default({ module_or_path: wasm });
        return app;
      })
      .catch((failure) => {
        // Not kept: the next element that connects tries again. The hosts
        // waiting hear that the app cannot go on by itself.
        started = undefined;
        for (const host of document.querySelectorAll(HOSTS)) {
          if (inIframe(host)) continue;
          const detail = { code: "not_loaded", message: "the app could not be downloaded" };
          host.dispatchEvent(new CustomEvent("csp-enroll:error", { detail, bubbles: true, composed: true }));
        }
        throw failure;
      });
  }
  return started;
}

// The iframe's address: the app's page, the element's settings, the host
// page (resume links come back to it) and a link's fragment.
function frameAddress(element) {
  const settings = new URLSearchParams();
  settings.set("host", location.origin);
  settings.set("page", location.href.split("#")[0]);
  for (const [attribute, key] of Object.entries(FRAMED)) {
    const value = element.getAttribute(attribute);
    if (value !== null && !settings.has(key)) settings.set(key, value);
  }
  // A resume link's, a customer's link to a request for a partner, a
  // partner's invitation to a customer, or its request for admin roles.
  for (const name of ["resume", "partner-request", "invitation", "admin-relationship"]) {
    const link = new RegExp(`(?:^#|&)${name}=([0-9a-fA-F]+\\.[0-9a-fA-F]+)`).exec(location.hash);
    if (link) settings.set(name, link[1]);
  }
  return `${new URL("./index.html", import.meta.url)}#${settings}`;
}

function frame(element) {
  const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  const iframe = document.createElement("iframe");
  iframe.title = element.getAttribute("title") || "Cloud Solution Provider program";
  // The app checks that it is framed by the host the fragment names, from
  // the referrer where the browser has no location.ancestorOrigins
  // (Firefox): sent whatever the host page's own policy says.
  iframe.referrerPolicy = "strict-origin";
  iframe.src = frameAddress(element);
  // Set through the CSSOM, which a page's CSP does not govern; in the
  // shadow root, so the host's own `iframe` rules do not reach it.
  Object.assign(iframe.style, { border: "0", width: "100%", height: "40rem", display: "block" });
  root.replaceChildren(iframe);
  element.cspFrame = iframe;
}

window.addEventListener("message", (event) => {
  if (event.origin !== appOrigin) return;
  const element = [...document.querySelectorAll(HOSTS)].find(
    (h) => h.cspFrame && h.cspFrame.contentWindow === event.source,
  );
  const { type, name, detail } = event.data ?? {};
  if (!element || type !== "csp-enroll" || !EVENTS.includes(name)) return;
  if (name === "resize" && Number.isFinite(detail?.height)) {
    element.cspFrame.style.height = `${Math.ceil(detail.height)}px`;
  }
  element.dispatchEvent(new CustomEvent(`csp-enroll:${name}`, { detail, bubbles: true, composed: true }));
});

function attach(element) {
  element.cspAttached = true;
  if (inIframe(element)) {
    if (!element.cspFrame) frame(element);
  } else {
    start().then((app) => app.mount(element), () => {});
  }
}

class CspEnroll extends HTMLElement {
  static observedAttributes = ["data-mode", ...Object.keys(FRAMED)];

  connectedCallback() {
    attach(this);
  }

  // Inline, the app follows its attributes itself (and stops when the
  // mode becomes iframe). In an iframe, a new language changes only the
  // fragment (the page stays, with its answers); anything else draws the
  // iframe again. Back to inline, the iframe goes and the app mounts.
  attributeChangedCallback(name, before, now) {
    // At upgrade every attribute "changes" before connectedCallback.
    if (!this.cspAttached || before === now) return;
    if (inIframe(this)) {
      if (name === "data-locale" && this.cspFrame) this.cspFrame.src = frameAddress(this);
      else frame(this);
    } else if (this.cspFrame) {
      this.shadowRoot.replaceChildren();
      delete this.cspFrame;
      attach(this);
    }
  }
}

if (!customElements.get("csp-enroll")) customElements.define("csp-enroll", CspEnroll);
for (const element of document.querySelectorAll("[data-csp-enroll]")) attach(element);
