// Vardag retrieval views: helpers the query, matrix and theme views share (prepended to each
// view's script, after common.js).  They only draw; every rule lives in Python.

/** Blank lines between turns read as one line break in a short context. */
function tidy(text) {
  return (text || "").replace(/\n{2,}/g, "\n");
}

/** One quote card: code, participant, document, coders, and the quote marked in context. */
function quoteCard(card, t, actions = null) {
  const meta = h(
    "div",
    { class: "vr-quote-meta" },
    h("span", { class: "vr-chip", style: { "--c": card.color } }, card.label),
    card.participant ? h("span", { class: "vr-participant" }, card.participant) : null,
    h("span", { class: "vr-doc" }, card.document),
    h("span", { class: "vr-coders" }, t("coded_by", { coders: card.coders.join(", ") })),
    actions,
  );
  const before = tidy(card.before);
  const after = tidy(card.after);
  const body = h(
    "p",
    { class: "vr-quote-text" },
    before ? h("span", { class: "vr-context" }, "…" + before) : null,
    h("mark", {}, card.quote),
    after ? h("span", { class: "vr-context" }, after + "…") : null,
  );
  return h("li", { class: "vr-quote", "data-key": card.key, "data-code": card.code, style: { "--c": card.color } }, meta, body);
}

/** The status line: state (idle, ok, error) and text. */
function showStatus(node, status) {
  node.dataset.state = (status && status.state) || "idle";
  node.textContent = (status && status.text) || "";
}

/** The top bar: "Vardag" and the view's title, a refresh button (unless `refresh` is false),
 * the language menu and the status line.  `setTexts(t, heading)` writes its texts. */
function topBar(model, { refresh = true } = {}) {
  const send = (message) => model.send(message);
  const title = h("span", { class: "vr-title" });
  const status = h("span", { class: "vr-status", role: "status", "aria-live": "polite" });
  const again = refresh
    ? h("button", { class: "vr-btn vr-ghost vr-refresh", type: "button", onclick: () => send({ type: "refresh" }) })
    : null;
  const lang = h(
    "select",
    { class: "vr-lang", onchange: (e) => send({ type: "lang", lang: e.target.value }) },
    h("option", { value: "sv" }, "sv"),
    h("option", { value: "en" }, "en"),
  );
  const top = h(
    "header",
    { class: "vr-top" },
    h("div", { class: "vr-brand" }, h("strong", {}, "Vardag"), title),
    h("div", { class: "vr-tools" }, again, lang),
    status,
  );
  function setTexts(t, heading) {
    title.textContent = heading;
    if (again) {
      again.textContent = t("refresh");
      again.title = t("refresh_hint");
    }
    lang.title = t("language");
    lang.value = model.get("lang");
  }
  return { top, status, setTexts };
}
