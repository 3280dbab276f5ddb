// Episodes the server has not acknowledged, in IndexedDB; shared with the service worker.
// Each keeps its id: the API answers a resend with the stored episode, never a second one.
(function (scope) {
  const DB = "cramp-tracker", STORE = "outbox", CSRF = "/api/v1/csrf/";
  const URL = "/api/v1/episodes/batch/", BATCH = 100;

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
  // It also says who is signed in: only their cramps are sent (see add).
  async function session() {
    const response = await fetch(CSRF);
    if ([401, 403].includes(response.status)) return null;
    if (!response.ok) throw response.status;
    return response.json();
  }
  // Cramps queued before owners were recorded have none: they go with whoever is in.
  const mine = (item, owner) => !item.rejected && (!item.owner || item.owner === owner);

  // What each outcome of a batch would have been as a single create, for the callers.
  const CODES = { created: 201, already_stored: 200, deleted: 410, refused: 400 };

  // Everything waiting goes in batches of up to 100, one request each (offline for a day,
  // a phone sends one request, not fifty); each episode comes back with its own outcome.
  async function send() {
    const result = { sent: 0, deleted: 0, loggedOut: false, answers: {} };
    let owner = null;
    try {
      if (!(await all()).some((i) => !i.rejected)) throw "nothing waiting"; // no request then
      const signedIn = await session();
      if (!signedIn) { result.loggedOut = true; throw "logged out"; }
      ({ csrf_token: result.csrf, owner } = signedIn);
      const items = (await all()).filter((i) => mine(i, owner)).sort((a, b) => a.queuedAt - b.queuedAt);
      for (let start = 0; start < items.length; start += BATCH) {
        const batch = items.slice(start, start + BATCH);
        const response = await fetch(URL, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": result.csrf },
          body: JSON.stringify({ episodes: batch.map((item) => item.payload) }),
        });
        if (!response.ok) {
          result.loggedOut = [401, 403].includes(response.status);
          break; // or server trouble: later
        }
        const { results } = await response.json();
        for (const [n, item] of batch.entries()) {
          const code = result.answers[item.id] = CODES[results[n].outcome];
          if (code === 400) {
            item.rejected = JSON.stringify({ errors: results[n].errors });
            await put(item);
          } else {
            await remove(item.id);
            result[code === 410 ? "deleted" : "sent"] += 1;
          }
        }
      }
    } catch {} // offline, logged out, or the answer was lost: it all stays
    result.waiting = (await all()).filter((i) => (owner ? mine(i, owner) : !i.rejected)).length;
    if (scope.document) document.dispatchEvent(new CustomEvent("outbox-changed", { detail: result }));
    return result;
  }

  // One send at a time; a call meanwhile sends again after it.
  let queue = Promise.resolve();
  const flush = () => (queue = queue.then(send, send));

  // Tagged with whoever the pages last saw signed in (app.js keeps it, the offline copy too).
  function add(payload) {
    const owner = scope.localStorage ? localStorage.getItem("cramp.owner") : null;
    return put({ id: payload.id, payload, owner, queuedAt: Date.now() });
  }

  scope.CrampOutbox = { add, all, flush, clear, remove };
})(self);
