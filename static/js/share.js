// The share-link page: copy the new link, or hand it to the phone's share sheet. Both
// buttons stay hidden without this script; the link itself can always be selected.
(() => {
  const status = document.querySelector("[data-share-status]");
  const say = (text) => { if (status) status.textContent = text; };
  const selectLink = () => {
    const link = document.querySelector("[data-share-link]");
    if (link) window.getSelection().selectAllChildren(link);
  };

  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      // The clipboard needs HTTPS (or localhost): elsewhere the link is selected instead.
      const copied = navigator.clipboard
        ? navigator.clipboard.writeText(button.dataset.copy)
        : Promise.reject(new Error("no clipboard"));
      copied.then(
        () => say("Link copied. Paste it into a message or e-mail to your doctor."),
        () => { selectLink(); say("The link is selected: copy it from your phone's menu."); },
      );
    });
  });

  if (!navigator.share) return; // most desktop browsers: Copy is enough
  document.querySelectorAll("[data-share]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      // Cancelling the share sheet rejects: nothing to say then.
      navigator.share({ title: "My cramp report", url: button.dataset.share }).catch(() => {});
    });
  });
})();
