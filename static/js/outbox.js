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

  // The session's token at send time, never one stored with the cramp: a cramp may wait
  // longer than the session it was saved in, and every log-in rotates the token.
  // null when nobody is logged in.
  async function csrfToken() {
    const response = await fetch(CSRF, { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401 || response.status === 403) return null;
    if (!response.ok) throw new Error(`no CSRF token: ${response.status}`);
    return (await response.json()).csrf_token;
  }

  // What one send did: answers maps each id tried to its HTTP status.
  async function send() {
    const result = { sent: 0, deleted: 0, loggedOut: false, csrf: null, answers: {} };
    const items = (await all()).filter((item) => !item.rejected)
      .sort((a, b) => a.queuedAt - b.queuedAt);
    try {
      result.csrf = items.length ? await csrfToken() : null;
      result.loggedOut = items.length > 0 && result.csrf === null;
      for (const item of result.loggedOut ? [] : items) {
        const response = await fetch(URL, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": result.csrf },
          body: JSON.stringify(item.payload),
        });
        result.answers[item.id] = response.status;
        if (response.status === 200 || response.status === 201) {
          await remove(item.id);
          result.sent += 1;
        } else if (response.status === 410) { // deleted on another device: never bring it back
          await remove(item.id);
          result.deleted += 1;
        } else if (response.status === 400) {
          item.rejected = await response.text();
          await put(item);
        } else if (response.status === 401 || response.status === 403) {
          result.loggedOut = true; // kept; the page asks the person to log in again
          break;
        } else {
          break; // the server is struggling: try again later
        }
      }
    } catch (error) {
      // Offline, or the answer was lost: everything not acknowledged stays.
    }
    result.waiting = (await all()).filter((item) => !item.rejected).length;
    if (scope.document) {
      scope.document.dispatchEvent(new CustomEvent("outbox-changed", { detail: result }));
    }
    return result;
  }

  // One send at a time in a page or worker; a call during one waits and then sends again,
  // so a cramp saved meanwhile goes now, not at the next retry.
  let queue = Promise.resolve();
  function flush() {
    const next = queue.then(send, send);
    queue = next.catch(() => {});
    return next;
  }

  function add(payload) {
    return put({ id: payload.id, payload, queuedAt: Date.now() });
  }

  scope.CrampOutbox = { add, all, flush, clear, remove };
})(self);
