// Quick log: "Cramp started" starts a timer kept in localStorage, so a reload loses nothing;
// "It stopped" fills in the start and the duration and opens the short form.
(() => {
  const KEY = "cramp.timer"; // {start: epoch ms, stop: epoch ms or null}
  const timer = document.querySelector("[data-timer]");
  const form = document.querySelector("[data-quick-form]");
  if (!timer || !form) return;
  const $ = (sel, root = document) => root.querySelector(sel);
  const section = $("[data-log-form]");
  const when = $("[data-when]", form);
  const summary = $("[data-when-summary]", form);
  const elapsed = $("[data-timer-elapsed]", timer);
  const returnedWithErrors = Boolean($(".error-summary", form));
  let ticking = null;

  const load = () => {
    try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
  };
  const store = (state) =>
    state ? localStorage.setItem(KEY, JSON.stringify(state)) : localStorage.removeItem(KEY);
  const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  const seconds = (state) => Math.max(1, Math.round(((state.stop || Date.now()) - state.start) / 1000));

  // The datetime-local value in the user's own time zone (the one on their profile).
  function localValue(ms) {
    const parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: form.dataset.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(ms).forEach((p) => { parts[p.type] = p.value; });
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
    if (returnedWithErrors) return; // the server asks for a fix: leave the form as it came back
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
      $("input[name=site]:checked, input[name=site]", form).focus();
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
  form.addEventListener("submit", () => store(null));
  window.addEventListener("storage", render);
  render();
})();
