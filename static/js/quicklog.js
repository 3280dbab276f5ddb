// Saves through the outbox, sent at once when online. The timer lives in localStorage.
(() => {
  const KEY = "cramp.timer"; // {start: epoch ms, stop: epoch ms or null}
  const $ = (sel, root = document) => root.querySelector(sel);
  const form = $("[data-episode-form]");
  if (!form) return;
  const status = $("[data-outbox-status]");

  function newId() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  // A page from the offline cache may carry a used id.
  form.elements.episode_id.value = newId();

  // The API wants the offset with every time: the one the person's zone had at that moment.
  function zoneParts(ms) {
    const parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: form.dataset.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(ms).forEach((p) => { parts[p.type] = p.value; });
    return parts;
  }
  function withOffset(local) {
    const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(local || "");
    if (!m) return local; // the server names what is wrong with it
    const [y, mo, d, h, mi, s = "00"] = m.slice(1);
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const offsetAt = (ms) => {
      const p = zoneParts(ms);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
    };
    const minutes = Math.round(offsetAt(wall - offsetAt(wall)) / 60000);
    const abs = Math.abs(minutes);
    const pad = (n) => String(n).padStart(2, "0");
    return `${y}-${mo}-${d}T${h}:${mi}:${s}${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  function payload() {
    const f = new FormData(form);
    const number = (name) => (f.get(name) === null || f.get(name) === "" ? null : Number(f.get(name)));
    const minutes = number("duration_seconds_0"), seconds = number("duration_seconds_1");
    const fluid = number("fluid_ml");
    return {
      id: f.get("episode_id"),
      started_at: withOffset(f.get("started_at")), // typed in the user's time zone
      duration_seconds: minutes === null && seconds === null ? null : (minutes || 0) * 60 + (seconds || 0),
      site: f.get("site"), side: f.get("side"), intensity: number("intensity"),
      activity: f.get("activity"), activity_detail: f.get("activity_detail") || "",
      hydration: f.get("hydration"),
      fluid_ml: fluid === null ? null : Math.round(fluid * Number(form.dataset.mlPerUnit || 1)),
      symptoms: [...f.getAll("warning_signs"), ...f.getAll("symptoms")], relief: f.getAll("relief"),
      relief_helped: f.get("relief_helped") || null,
      fluid_loss: f.getAll("fluid_loss"), recent_fluid_loss: f.getAll("fluid_loss").length > 0,
      notes: f.get("notes") || "",
    };
  }

  let loggedOut = false;
  let wasWaiting = false;  // the service worker may send what waited: still say it is synced

  async function showStatus(result = {}) {
    if (!status) return;
    if ("loggedOut" in result) loggedOut = result.loggedOut;
    const items = await self.CrampOutbox.all().catch(() => []);
    const waiting = items.filter((i) => !i.rejected).length;
    const rejected = items.length - waiting;
    const parts = [];
    if (result.deleted) parts.push(`${result.deleted} deleted on another device, so not sent again`);
    if (waiting && loggedOut) parts.push(`Your session has ended: ${waiting} kept on this phone`);
    else if (waiting) parts.push(`${waiting} waiting to sync`);
    if (rejected) parts.push(`${rejected} could not be saved (check the date and times)`);
    if (!items.length && result.sent) parts.push(`${result.sent} sent`, "All synced");
    else if (!items.length && wasWaiting && !parts.length) parts.push("All synced");
    wasWaiting = items.length > 0;
    status.replaceChildren(parts.length ? `${parts.join(". ")}.` : "");
    if (waiting && loggedOut) {
      status.append(" ", Object.assign(document.createElement("a"),
        { href: "/accounts/login/?next=/", textContent: "Log in again" }));
    }
    status.hidden = !parts.length;
    status.classList.toggle("done", !items.length);
  }
  document.addEventListener("outbox-changed", (event) => showStatus(event.detail));
  showStatus();

  // The episode saved by "It stopped" or "Same as last time", open for changes.
  let savedId = null;

  async function keepWaiting() {
    if (navigator.serviceWorker) {
      navigator.serviceWorker.ready.then((r) => r.sync && r.sync.register("outbox")).catch(() => {});
    }
    savedId = null;
    form.reset();
    form.elements.episode_id.value = newId();
    window.scrollTo(0, 0);
    document.dispatchEvent(new CustomEvent("episode-kept"));
    await showStatus();
  }

  // On the phone first: a closed tab or a lost answer loses nothing. Answers the server's code.
  async function send(data) {
    await self.CrampOutbox.add(data);
    const result = navigator.onLine ? await self.CrampOutbox.flush().catch(() => null) : null;
    return { answer: result && result.answers[data.id], csrf: result && result.csrf };
  }

  async function showServerErrors(id, csrf) {
    // The page form shows the server's field errors.
    await self.CrampOutbox.remove(id);
    form.elements.csrfmiddlewaretoken.value = csrf;
    HTMLFormElement.prototype.submit.call(form);
  }

  // Still on this phone only, once whatever can be sent has been.
  async function waiting(id) {
    if (navigator.onLine) await self.CrampOutbox.flush().catch(() => null);
    return (await self.CrampOutbox.all().catch(() => [])).some((i) => i.id === id);
  }

  async function csrfToken() {
    const response = await fetch("/api/v1/csrf/");
    return (await response.json()).csrf_token;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!navigator.onLine && !form.checkValidity()) { form.reportValidity(); return; }
    const data = payload();
    if (savedId && !(await waiting(savedId))) {
      if (!navigator.onLine) {
        showSaved("Changes not saved: no connection. Saved as it was; change it in History later.");
        return;
      }
      // On the server already: the edit page's own form path, with its field errors.
      form.action = `/episodes/${savedId}/edit/`;
      form.elements.csrfmiddlewaretoken.value = await csrfToken().catch(
        () => form.elements.csrfmiddlewaretoken.value);
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    localStorage.removeItem(KEY);
    const { answer, csrf } = await send(data); // a waiting one is replaced: same id
    if (answer === 200 || answer === 201) window.location.assign("/history/?saved=1");
    else if (answer === 400) await showServerErrors(data.id, csrf);
    else await keepWaiting(); // offline, server trouble or logged out: the status says which
  });

  const timer = $("[data-timer]");
  if (!timer) return;
  const section = $("[data-log-form]");
  const when = $("[data-when]", form);
  const summary = $("[data-when-summary]", form);
  const elapsed = $("[data-timer-elapsed]", timer);
  const saved = $("[data-saved]");
  const undo = $("[data-undo]", saved);
  const heading = $("[data-form-heading]");
  const saveButton = $("button[type=submit]", form);
  const returnedWithErrors = Boolean($(".error-summary", form));
  let kept = false;
  document.addEventListener("episode-kept", () => { kept = true; });
  let ticking = null, undoTimeout = null, stopAt = null;

  const load = () => {
    try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
  };
  const store = (state) =>
    state ? localStorage.setItem(KEY, JSON.stringify(state)) : localStorage.removeItem(KEY);
  const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  const seconds = (state) => Math.max(1, Math.round(((state.stop || Date.now()) - state.start) / 1000));
  const day = new Intl.DateTimeFormat("en-GB", {
    timeZone: form.dataset.timeZone, weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  function localValue(ms) {
    const parts = zoneParts(ms);
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  }

  function fillTimes(state) {
    const total = seconds(state);
    stopAt = state.stop;
    form.elements.started_at.value = localValue(state.start);
    form.elements.duration_seconds_0.value = Math.floor(total / 60);
    form.elements.duration_seconds_1.value = total % 60;
    $("[data-when-text]", summary).textContent = `Started ${day.format(state.start)}, lasted ${clock(total)}.`;
  }

  // A start typed later keeps the end where the timer stopped: the duration follows.
  form.elements.started_at.addEventListener("input", () => {
    const start = Date.parse(withOffset(form.elements.started_at.value));
    if (!stopAt || !(start < stopAt)) return;
    fillTimes({ start, stop: stopAt });
    if (load()) store({ start, stop: stopAt });
  });

  // The offline copy knows no last cramp: the live page leaves its choices on the phone,
  // so a repeat is two taps with no network too. Log-out removes them (logout.js).
  const LAST = "cramp.last", CHOICES = ["site", "side", "intensity", "activity", "hydration"];
  const remember = () => localStorage.setItem(LAST,
    JSON.stringify(Object.fromEntries(CHOICES.map((name) => [name, form.elements[name].value]))));
  if ("shell" in form.dataset) {
    let last = null;
    try { last = JSON.parse(localStorage.getItem(LAST)); } catch {}
    for (const name of last ? CHOICES : []) {
      const input = $(`input[name=${name}][value="${CSS.escape(String(last[name]))}"]`, form);
      if (input) input.checked = input.defaultChecked = true;
    }
    if (last) form.dataset.repeat = ""; // "It stopped" still checks the form first
  } else if ("repeat" in form.dataset) remember();
  else localStorage.removeItem(LAST);

  const checkedLabel = (name) => $(`input[name=${name}]:checked`, form).parentElement.textContent.trim();

  function showSaved(text) {
    saved.hidden = false;
    $("[data-saved-text]", saved).textContent = text;
  }

  // Saved at once with the last cramp's choices; the form stays open to change any of them.
  async function quickSave() {
    const data = payload();
    const what = `${checkedLabel("site")}, ${checkedLabel("side").toLowerCase()}, ` +
      `pain ${checkedLabel("intensity")}/10.`;
    await self.CrampOutbox.add(data); // on the phone first: the page need not wait for the server
    store(null);
    remember();
    savedId = data.id;
    // The next repeat copies this one, even after a change here is undone by a reset.
    for (const input of form.querySelectorAll("input")) input.defaultChecked = input.checked;
    showSaved(`Saving: ${what}`);
    undo.hidden = false;
    clearTimeout(undoTimeout);
    undoTimeout = setTimeout(() => { undo.hidden = true; }, 10000);
    heading.textContent = "Change anything?";
    saveButton.textContent = "Save changes";
    render();
    const result = navigator.onLine ? await self.CrampOutbox.flush().catch(() => null) : null;
    const answer = result && result.answers[data.id];
    if (answer === 400) { await showServerErrors(data.id, result.csrf); return; }
    if (savedId === data.id) showSaved(`${answer ? "Saved" : "Saved on this phone"}: ${what}`);
    showStatus();
  }

  function close() {
    savedId = stopAt = null;
    form.reset();
    form.elements.episode_id.value = newId();
    heading.textContent = "Log a cramp";
    saveButton.textContent = "Save";
    render();
    window.scrollTo(0, 0);
  }

  // The same delete as everywhere (a resend cannot bring it back); not sent yet: just dropped.
  async function remove(id) {
    if (await waiting(id)) {
      await self.CrampOutbox.remove(id);
      await showStatus();
      return true;
    }
    try {
      const response = await fetch(`/api/v1/episodes/${id}/`,
        { method: "DELETE", headers: { "X-CSRFToken": await csrfToken() } });
      return response.ok || response.status === 404;
    } catch {
      return false;
    }
  }

  undo.addEventListener("click", async () => {
    undo.disabled = true;
    const done = await remove(savedId);
    undo.disabled = false;
    if (!done) {
      showSaved("Not undone: no connection to the server. Delete it in History when online.");
      return;
    }
    clearTimeout(undoTimeout);
    undo.hidden = true;
    showSaved("Undone: that cramp is deleted.");
    close();
    $("[data-timer-start]", timer).focus();
  });
  $("[data-done]", saved).addEventListener("click", () => { saved.hidden = true; close(); });

  function render() {
    const state = load();
    clearInterval(ticking);
    if (returnedWithErrors && !kept) return;
    const running = Boolean(state && !state.stop);
    const stopped = Boolean(state && state.stop);
    timer.hidden = stopped || Boolean(savedId);
    $("[data-timer-idle]", timer).hidden = Boolean(state);
    $("[data-timer-running]", timer).hidden = !running;
    section.hidden = !stopped && !savedId;
    $("[data-discard]", summary).hidden = Boolean(savedId);
    $("[data-done]", saved).hidden = !savedId;
    if (running) {
      const show = () => { elapsed.textContent = clock(seconds(state)); };
      show();
      ticking = setInterval(show, 1000);
    }
    if (stopped) fillTimes(state);
    if (stopped || savedId) {
      when.hidden = true;
      summary.hidden = false;
      ($("input[name=site]:checked", form) || $("input[name=site]", form)).focus();
    }
  }

  $("[data-timer-start]", timer).addEventListener("click", () => {
    saved.hidden = true;
    store({ start: Date.now(), stop: null });
    render();
    $("[data-timer-stop]", timer).focus();
  });
  $("[data-timer-stop]", timer).addEventListener("click", () => {
    const state = { ...load(), stop: Date.now() };
    store(state);
    fillTimes(state);
    if ("repeat" in form.dataset && form.checkValidity()) quickSave();
    else render();
  });
  // Tapped Start late: the cramp began before, the timer catches up.
  for (const button of timer.querySelectorAll("[data-started-ago]")) {
    button.addEventListener("click", () => {
      store({ start: Date.now() - Number(button.dataset.startedAgo) * 60000, stop: null });
      render();
    });
  }
  $("[data-timer-cancel]", timer).addEventListener("click", () => { store(null); render(); });
  $("[data-discard]", summary).addEventListener("click", () => {
    store(null);
    stopAt = null;
    form.reset();
    render();
    $("[data-timer-start]", timer).focus();
  });
  $("[data-when-change]", summary).addEventListener("click", () => {
    when.hidden = false;
    summary.hidden = true;
    form.elements.started_at.focus();
  });

  // Over already: ended now, as long as typed; saved like a repeat.
  const same = $("[data-same-as-last]");
  if (same) {
    same.addEventListener("submit", (event) => {
      event.preventDefault();
      const [minutes, secs] = [same.elements.minutes, same.elements.seconds];
      const total = Number(minutes.value || 0) * 60 + Number(secs.value || 0);
      const valid = total >= 1 && total <= 86400 && minutes.checkValidity() && secs.checkValidity();
      minutes.setCustomValidity(valid ? "" : "How long did it last? Minutes and seconds, at most a day.");
      if (!minutes.reportValidity()) return;
      const stop = Date.now();
      fillTimes({ start: stop - total * 1000, stop });
      same.reset();
      quickSave();
    });
    same.elements.minutes.addEventListener("input", () => same.elements.minutes.setCustomValidity(""));
  }
  document.addEventListener("episode-kept", close); // kept offline: ready for the next one
  window.addEventListener("storage", render);
  render();
})();
