// Episodes the server has not acknowledged, in IndexedDB; shared with the service worker.
// Each keeps its id: the API answers a resend with the stored episode, never a second one.
(function (scope) {
  const DB = "cramp-tracker", STORE = "outbox", URL = "/api/v1/episodes/";

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

  let flushing = null;
  function flush() {
    flushing = flushing || (async () => {
      let sent = 0;
      const items = (await all()).sort((a, b) => a.queuedAt - b.queuedAt);
      for (const item of items) {
        if (item.rejected) continue;
        let response;
        try {
          response = await fetch(URL, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": item.csrf },
            body: JSON.stringify(item.payload),
          });
        } catch (error) {
          break; // still offline
        }
        if (response.status === 200 || response.status === 201) {
          await remove(item.id);
          sent += 1;
        } else if (response.status === 400) {
          item.rejected = await response.text();
          await put(item);
        } else {
          break;
        }
      }
      const waiting = (await all()).filter((item) => !item.rejected).length;
      return { sent, waiting };
    })().finally(() => { flushing = null; });
    return flushing;
  }

  function add(payload, csrf) {
    return put({ id: payload.id, payload, csrf, queuedAt: Date.now() });
  }

  scope.CrampOutbox = { add, all, flush, clear, remove };
})(self);
