// Every page: the service worker, the outbox sent, and log-out (logout.js, loaded then).
(() => {
  // Someone else signed in on this phone: the timer and the last choices were theirs.
  const owner = document.body.dataset.owner, before = localStorage.getItem("cramp.owner");
  if (owner && before !== owner) {
    if (before) ["cramp.timer", "cramp.last"].forEach((key) => localStorage.removeItem(key));
    localStorage.setItem("cramp.owner", owner);
  }
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
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

  let logout = null;
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("[data-logout]")) return;
    event.preventDefault();
    logout = logout || new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src: "/static/js/logout.js" });
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    // Not loaded: offline, when the log-out could not reach the server anyway.
    logout.then(() => self.CrampLogOut(form), () => { logout = null; });
  });

  // A running timer shows on every other page as a bar that leads back to it (quicklog.js).
  const bar = document.querySelector("[data-running-bar]");
  if (bar && !document.querySelector("[data-timer]")) {
    const show = () => {
      let state = null;
      try { state = JSON.parse(localStorage.getItem("cramp.timer")); } catch {}
      bar.hidden = !state;
      if (!state) return;
      const s = Math.max(0, Math.round(((state.stop || Date.now()) - state.start) / 1000));
      bar.textContent = state.stop ? "A timed cramp is not saved yet: finish logging it"
        : `Cramp running ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}, back to the timer`;
    };
    show();
    setInterval(show, 1000);
    window.addEventListener("storage", show);
  }
})();
