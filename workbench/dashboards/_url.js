// Keeps the dashboard's filter state in the page's URL (?lang=sv&source=survey&...), so a
// reload or a shared link opens the same view: history.replaceState, no navigation.  The
// keys the dashboard owns are set or removed; any other (the viewer's token) is kept.
function update(model) {
  const keys = model.get("options") || [];
  const wanted = new URLSearchParams(model.get("query") || "");
  const url = new URL(window.location.href);
  for (const key of keys) {
    if (wanted.has(key)) {
      url.searchParams.set(key, wanted.get(key));
    } else {
      url.searchParams.delete(key);
    }
  }
  if (url.href !== window.location.href) {
    window.history.replaceState(window.history.state, "", url.href);
  }
}

export default {
  render({ model }) {
    update(model);
    model.on("change:query", () => update(model));
  },
};
