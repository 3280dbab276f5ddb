// Saves through the outbox, sent at once when online. The timer lives in localStorage.
(() => {
  const KEY = "cramp.timer"; // {start: epoch ms, stop: epoch ms or null}
  const form = document.querySelector("[data-episode-form]");
  if (!form) return;
  const status = document.querySelector("[data-outbox-status]");

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

  async function keepWaiting() {
    if (navigator.serviceWorker) {
      navigator.serviceWorker.ready.then((r) => r.sync && r.sync.register("outbox")).catch(() => {});
    }
    form.reset();
    form.elements.episode_id.value = newId();
    window.scrollTo(0, 0);
    document.dispatchEvent(new CustomEvent("episode-kept"));
    await showStatus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!navigator.onLine && !form.checkValidity()) { form.reportValidity(); return; }
    const data = payload();
    localStorage.removeItem(KEY);
    // On the phone first: a closed tab or a lost answer loses nothing.
    await self.CrampOutbox.add(data);
    const result = navigator.onLine ? await self.CrampOutbox.flush().catch(() => null) : null;
    const answer = result && result.answers[data.id];
    if (answer === 200 || answer === 201) {
      window.location.assign("/history/?saved=1");
    } else if (answer === 400) {
      // The page form shows the server's field errors.
      await self.CrampOutbox.remove(data.id);
      form.elements.csrfmiddlewaretoken.value = result.csrf;
      HTMLFormElement.prototype.submit.call(form);
    } else {
      await keepWaiting(); // offline, server trouble or logged out: the status says which
    }
  });

  const timer = document.querySelector("[data-timer]");
  if (!timer) return;
  const $ = (sel, root = document) => root.querySelector(sel);
  const section = $("[data-log-form]");
  const when = $("[data-when]", form);
  const summary = $("[data-when-summary]", form);
  const elapsed = $("[data-timer-elapsed]", timer);
  const returnedWithErrors = Boolean($(".error-summary", form));
  let kept = false;
  document.addEventListener("episode-kept", () => { kept = true; });
  let ticking = null;

  const load = () => {
    try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
  };
  const store = (state) =>
    state ? localStorage.setItem(KEY, JSON.stringify(state)) : localStorage.removeItem(KEY);
  const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  const seconds = (state) => Math.max(1, Math.round(((state.stop || Date.now()) - state.start) / 1000));

  function localValue(ms) {
    const parts = zoneParts(ms);
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  }

  function fillTimes(state) {
    const total = seconds(state);
    form.elements.started_at.value = localValue(state.start);
    form.elements.duration_seconds_0.value = Math.floor(total / 60);
    form.elements.duration_seconds_1.value = total % 60;
    summary.textContent = `Started ${localValue(state.start).slice(11, 16)}, lasted ${clock(total)}. `;
    const change = document.createElement("button");
    change.type = "button";
    change.textContent = "Change";
    change.addEventListener("click", () => { when.hidden = false; summary.hidden = true; });
    summary.append(change);
  }

  function render() {
    const state = load();
    clearInterval(ticking);
    if (returnedWithErrors && !kept) return;
    const running = Boolean(state && !state.stop);
    const stopped = Boolean(state && state.stop);
    timer.hidden = stopped;
    $("[data-timer-idle]", timer).hidden = Boolean(state);
    $("[data-timer-running]", timer).hidden = !running;
    section.hidden = !stopped;
    if (running) {
      const show = () => { elapsed.textContent = clock(seconds(state)); };
      show();
      ticking = setInterval(show, 1000);
    }
    if (stopped) {
      fillTimes(state);
      when.hidden = true;
      summary.hidden = false;
      ($("input[name=site]:checked", form) || $("input[name=site]", form)).focus();
    }
  }

  $("[data-timer-start]", timer).addEventListener("click", () => {
    store({ start: Date.now(), stop: null });
    render();
    $("[data-timer-stop]", timer).focus();
  });
  $("[data-timer-stop]", timer).addEventListener("click", () => {
    store({ ...load(), stop: Date.now() });
    render();
  });
  $("[data-timer-cancel]", timer).addEventListener("click", () => { store(null); render(); });
  document.addEventListener("episode-kept", render);
  window.addEventListener("storage", render);
  render();
})();
