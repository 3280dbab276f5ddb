// Every page: the service worker, the outbox sent, and a log-out that leaves nothing behind.
(() => {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  let retry = null;
  const flush = () => {
    clearTimeout(retry);
    if (!navigator.onLine) return;
    self.CrampOutbox.flush().then(({ sent, waiting }) => {
      document.dispatchEvent(new CustomEvent("outbox-changed", { detail: { sent } }));
      if (waiting) retry = setTimeout(flush, 5000);
    }).catch(() => {});
  };
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", flush);

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("[data-logout]")) return;
    event.preventDefault();
    const waiting = (await self.CrampOutbox.all().catch(() => [])).length;
    const question = `${waiting} cramp${waiting === 1 ? " has" : "s have"} not reached the server yet ` +
      "and will be lost. Log out anyway?";
    if (waiting && !window.confirm(question)) return;
    await self.CrampOutbox.clear().catch(() => {});
    localStorage.removeItem("cramp.timer");
    if (window.caches) await caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
    HTMLFormElement.prototype.submit.call(form);
  });
})();
