// Vardag retrieval views: helpers the query and matrix views share (prepended to each view's
// script).  They only draw; every rule lives in Python.

/** Create an element: h("div", {class: "x", onclick: fn}, child, "text"). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "style" && typeof value === "object") {
      for (const [prop, v] of Object.entries(value)) {
        if (prop.startsWith("--")) node.style.setProperty(prop, v);
        else node.style[prop] = v;
      }
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Dark or light ink, whichever reads on the background colour `hex`. */
function inkOn(hex) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
  if (!m) return "#fff";
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.6 ? "#1b1d21" : "#ffffff";
}

/** A translator over the strings Python sent: t("summary", {quotes: 3}); with `n` 1 the
 * singular form (`key_one`) where the catalogue has one ("1 quote", not "1 quotes"). */
function translator(model) {
  return (key, values = {}) => {
    const strings = model.get("strings") || {};
    const one = values.n === 1 && strings[`${key}_one`] !== undefined;
    const template = (one ? strings[`${key}_one`] : strings[key]) ?? key;
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
  };
}

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
