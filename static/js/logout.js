// Log-out leaves nothing behind; with cramps still waiting it says how many would be lost
// and offers to send them first. Loaded by app.js when someone logs out.
(() => {
  const cramps = (n) => `${n} cramp${n === 1 ? "" : "s"}`;
  let form = null, dialog = null, problem = null;

  async function logOut() {
    await self.CrampOutbox.clear().catch(() => {});
    localStorage.removeItem("cramp.timer");
    localStorage.removeItem("cramp.last"); // the last cramp's choices (quicklog.js)
    if (window.caches) await caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
    HTMLFormElement.prototype.submit.call(form);
  }

  async function sendFirst(event) {
    const button = event.currentTarget;
    button.disabled = true;
    const result = navigator.onLine ? await self.CrampOutbox.flush().catch(() => null) : null;
    button.disabled = false;
    const left = (await self.CrampOutbox.all().catch(() => [])).length;
    if (!left) { await logOut(); return; }
    if (result && result.loggedOut) {
      const login = Object.assign(document.createElement("a"), { href: "/accounts/login/?next=/" });
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
  }

  // Its stylesheet first, so the dialog never shows unstyled.
  const styled = new Promise((resolve) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet" });
    link.onload = link.onerror = resolve;
    link.href = "/static/css/logout.css";
    document.head.append(link);
  });

  function build() {
    dialog = Object.assign(document.createElement("dialog"), { className: "logout-dialog" });
    dialog.setAttribute("aria-labelledby", "logout-title");
    dialog.innerHTML = `<h2 id="logout-title">Cramps not sent yet</h2>
      <p data-count></p><p class="error-summary" data-problem role="alert" hidden></p>
      <div class="dialog-actions">
        <button type="button" class="primary" data-send>Send them, then log out</button>
        <button type="button" class="danger" data-anyway>Log out and lose them</button>
        <button type="button" data-cancel>Cancel</button>
      </div>`;
    document.body.append(dialog);
    problem = dialog.querySelector("[data-problem]");
    dialog.querySelector("[data-send]").addEventListener("click", sendFirst);
    dialog.querySelector("[data-anyway]").addEventListener("click", logOut);
    dialog.querySelector("[data-cancel]").addEventListener("click", () => dialog.close());
  }

  self.CrampLogOut = async (logoutForm) => {
    form = logoutForm;
    const waiting = (await self.CrampOutbox.all().catch(() => [])).length;
    if (!waiting) { await logOut(); return; }
    await styled;
    if (!dialog) build();
    dialog.querySelector("[data-count]").textContent = `${cramps(waiting)} ` +
      `${waiting === 1 ? "has" : "have"} not reached the server yet. ` +
      `Log out now and ${waiting === 1 ? "it is" : "they are"} lost.`;
    problem.hidden = true;
    dialog.showModal();
  };
})();
