// Every page: the service worker, the outbox sent, and a log-out that leaves nothing behind.
(() => {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  let retry = null;
  const flush = () => {
    clearTimeout(retry);
    if (!navigator.onLine) return;
    self.CrampOutbox.flush().then(({ waiting, loggedOut }) => {
      // Logged out: only a new log-in helps, and its page load sends again.
      if (waiting && !loggedOut) retry = setTimeout(flush, 5000);
    }).catch(() => {});
  };
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", flush);

  async function logOut(form) {
    await self.CrampOutbox.clear().catch(() => {});
    localStorage.removeItem("cramp.timer");
    if (window.caches) await caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
    HTMLFormElement.prototype.submit.call(form);
  }

  const cramps = (n) => `${n} cramp${n === 1 ? "" : "s"}`;
  const dialog = document.querySelector("[data-logout-dialog]");
  const $ = (sel) => dialog.querySelector(sel);
  let logoutForm = null;

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("[data-logout]")) return;
    event.preventDefault();
    const waiting = (await self.CrampOutbox.all().catch(() => [])).length;
    if (!waiting || !dialog) { await logOut(form); return; }
    logoutForm = form;
    $("[data-logout-count]").textContent = `${cramps(waiting)} ${waiting === 1 ? "has" : "have"} ` +
      `not reached the server yet. Log out now and ${waiting === 1 ? "it is" : "they are"} lost.`;
    $("[data-logout-problem]").hidden = true;
    dialog.showModal();
  });

  if (!dialog) return;
  $("[data-logout-cancel]").addEventListener("click", () => dialog.close());
  $("[data-logout-anyway]").addEventListener("click", () => logOut(logoutForm));
  $("[data-logout-send]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    const result = navigator.onLine ? await self.CrampOutbox.flush().catch(() => null) : null;
    button.disabled = false;
    const left = (await self.CrampOutbox.all().catch(() => [])).length;
    if (!left) { await logOut(logoutForm); return; }
    const problem = $("[data-logout-problem]");
    if (result && result.loggedOut) {
      const login = document.createElement("a");
      login.href = "/accounts/login/?next=/";
      login.textContent = "Log in again";
      problem.replaceChildren("Your session has already ended, so they cannot be sent. ", login,
        " to send them, or log out and lose them.");
    } else if (result && !result.waiting) {
      problem.textContent = `The server refused ${cramps(left)} (check the date and times). ` +
        "Cancel to keep them on this phone, or log out and lose them.";
    } else {
      problem.textContent = `${cramps(left)} could not be sent: no connection to the server. ` +
        "Try again when you are online, or log out and lose them.";
    }
    problem.hidden = false;
  });
})();
