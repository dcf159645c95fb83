// The partner's own script: what it hears from the app, kept in order in
// `window.hostEvents` and shown in a list under the page.
window.hostEvents = [];
const names = ["ready", "step", "saved", "submitted", "exit", "error", "resize", "locale"];
const list = document.createElement("ol");
list.id = "host-events";
document.querySelector("main").append(list);
for (const name of names) {
  document.addEventListener(`csp-enroll:${name}`, (event) => {
    window.hostEvents.push({ name, detail: event.detail });
    if (name === "resize") return;
    const item = document.createElement("li");
    item.textContent = `${name} ${JSON.stringify(event.detail)}`;
    list.append(item);
  });
}
