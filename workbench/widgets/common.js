// Vardag widgets: helpers every widget's script shares (prepended to it, see
// workbench.widgets._shared.esm).  They only draw and convert; every rule lives in Python.

/** Create an element: h("div", {class: "x", onclick: fn, style: {"--c": c}}, child, "text");
 * strings become text nodes, never HTML. */
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

/** Code points in the first `units` UTF-16 units of `text` (the browser counts units, the
 * store code points). */
export function utf16ToCodePoints(text, units) {
  let n = 0;
  let u = 0;
  for (const ch of text) {
    if (u >= units) break;
    u += ch.length;
    n += 1;
  }
  return n;
}

/** UTF-16 units in the first `points` code points of `text`. */
export function codePointsToUtf16(text, points) {
  let n = 0;
  let u = 0;
  for (const ch of text) {
    if (n >= points) break;
    u += ch.length;
    n += 1;
  }
  return u;
}

/** The colour `hex` ("#rrggbb") at opacity `alpha`; grey when it is not one. */
function rgba(hex, alpha) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
  if (!m) return `rgba(136,136,136,${alpha})`;
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
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
