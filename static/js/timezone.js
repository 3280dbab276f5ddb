// Sign-up: preselect the phone's own time zone so days and hours come out right from the start.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[name=time_zone]");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (select && select.value === "UTC" && zone && [...select.options].some((o) => o.value === zone)) select.value = zone;
});
