// Episodes the server has not acknowledged, in IndexedDB; shared with the service worker.
// Each keeps its id: the API answers a resend with the stored episode, never a second one.
(function (scope) {
  const DB = "cramp-tracker", STORE = "outbox", URL = "/api/v1/episodes/", CSRF = "/api/v1/csrf/";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(result && result.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  const all = () => run("readonly", (s) => s.getAll());
  const put = (item) => run("readwrite", (s) => s.put(item));
  const remove = (id) => run("readwrite", (s) => s.delete(id));
  const clear = () => run("readwrite", (s) => s.clear());

  // Read at send time: a cramp may outlive its session, and log-in rotates the token.
  async function csrfToken() {
    const response = await fetch(CSRF);
    if ([401, 403].includes(response.status)) return null;
    if (!response.ok) throw response.status;
    return (await response.json()).csrf_token;
  }

  async function send() {
    const result = { sent: 0, deleted: 0, loggedOut: false, answers: {} };
    const items = (await all()).filter((i) => !i.rejected).sort((a, b) => a.queuedAt - b.queuedAt);
    try {
      if (items.length && !(result.csrf = await csrfToken())) result.loggedOut = true;
      else for (const item of items) {
        const response = await fetch(URL, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": result.csrf },
          body: JSON.stringify(item.payload),
        });
        const code = result.answers[item.id] = response.status;
        if ([200, 201, 410].includes(code)) {
          await remove(item.id);
          result[code === 410 ? "deleted" : "sent"] += 1;
        } else if (code === 400) {
          item.rejected = await response.text();
          await put(item);
        } else {
          result.loggedOut = [401, 403].includes(code);
          break; // or server trouble: later
        }
      }
    } catch {} // offline, or the answer was lost: it all stays
    result.waiting = (await all()).filter((i) => !i.rejected).length;
    if (scope.document) document.dispatchEvent(new CustomEvent("outbox-changed", { detail: result }));
    return result;
  }

  // One send at a time; a call meanwhile sends again after it.
  let queue = Promise.resolve();
  const flush = () => (queue = queue.then(send, send));

  function add(payload) {
    return put({ id: payload.id, payload, queuedAt: Date.now() });
  }

  scope.CrampOutbox = { add, all, flush, clear, remove };
})(self);
