// Every page: the service worker, the outbox sent, and log-out (logout.js, loaded then).
(() => {
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
})();
