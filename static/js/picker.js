// Pickers over long lists (kehila/widgets.py): a <select data-search-url> that holds only the chosen
// options becomes a Tom Select combobox asking the server, 20 at a time, as the user types. The server
// filters and decides who may see whom; the browser only shows what it is sent.
(function () {
  if (!window.TomSelect || !window.fetch) return;
  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  function setUp(select) {
    const url = select.dataset.searchUrl;
    let controller = null;
    const picker = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 250,
      preload: false,
      placeholder: select.dataset.placeholder,
      // The server already matched: keep its order, filter nothing out here.
      score: function () {
        return function () {
          return 1;
        };
      },
      shouldLoad: function (query) {
        return query.trim().length > 0;
      },
      load: function (query, callback) {
        if (controller) controller.abort();
        controller = new AbortController();
        const sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            picker.clearOptions();
            callback(data.results || []);
          })
          .catch(function () {
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
  }
  document.querySelectorAll("select[data-search-url]").forEach(setUp);
})();
