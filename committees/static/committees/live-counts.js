// Refresh the RSVP counts of the meeting page every 20 seconds while it is open and visible.
(function () {
  const list = document.getElementById("rsvp-counts");
  if (!list || !window.fetch) return;
  const url = list.dataset.url;
  async function refresh() {
    if (document.hidden) return;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const counts = await response.json();
      for (const [key, value] of Object.entries(counts)) {
        const el = list.querySelector('[data-count="' + key + '"]');
        if (el && el.textContent !== String(value)) el.textContent = value;
      }
    } catch (e) {
      /* offline: keep the last counts */
    }
  }
  setInterval(refresh, 20000);
})();
