// Pickers over long lists (kehila/widgets.py): a <select data-search-url> that holds only the chosen
// options becomes a Tom Select combobox asking the server, 20 at a time, as the user types. The server
// filters and decides who may see whom; the browser only shows what it is sent. Without JavaScript the
// widget's box to type a name in (<name>__find) is the picker; with the combobox it goes, so that only
// one of the two is ever sent.
(function () {
  if (!window.TomSelect || !window.fetch) return;
  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  function setUp(select) {
    const url = select.dataset.searchUrl;
    let latest = new Set(); // the values of the server's last answer: only those are offered
    const picker = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 250,
      preload: false,
      placeholder: select.dataset.placeholder,
      // The server already matched: offer what it answered last, in its order, and nothing else.
      score: function () {
        return function (item) {
          return latest.has(String(item.value)) ? 1 : 0;
        };
      },
      shouldLoad: function (query) {
        return query.trim().length > 0;
      },
      load: function (query, callback) {
        const sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.ok ? response.json() : [];
          })
          .then(function (results) {
            results = Array.isArray(results) ? results : [];
            latest = new Set(results.map(function (r) { return String(r.value); }));
            callback(results);
          })
          .catch(function () {
            latest = new Set();
            callback();
          });
      },
      render: {
        no_results: function () {
          return '<div class="no-results" role="status">' + escapeHtml(select.dataset.noResults) + "</div>";
        },
        loading: function () {
          return '<div class="spinner" role="status">' + escapeHtml(select.dataset.loading) + "</div>";
        },
      },
    });
    // The label now names the combobox; the original select stays only for the form's value.
    select.setAttribute("aria-hidden", "true");
    const find = select.id && document.getElementById(select.id + "-find");
    if (find) find.remove();
  }
  document.querySelectorAll("select[data-search-url]").forEach(setUp);
})();
