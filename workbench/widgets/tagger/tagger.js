// Vardag tagger: the browser side of workbench.widgets.Tagger.
//
// Renders the synced traits (segment, codebook, keys, progress, suggestions, status, filters),
// turns keys, clicks and text selections into small messages for Python, and converts the
// browser's UTF-16 offsets to the code points the store keeps.  No coding rules live here.

const TEXT_INPUTS = "textarea, input, select, [contenteditable=''], [contenteditable='true']";

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
    }
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Code points in the first `units` UTF-16 units of `text`. */
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

function rgba(hex, alpha) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
  if (!m) return `rgba(136,136,136,${alpha})`;
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}

function inkOn(hex) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
  if (!m) return "#fff";
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x, 16) / 255);
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.6 ? "#1b1d21" : "#ffffff";
}

function keyName(event) {
  const k = event.key;
  if (event.ctrlKey || event.metaKey) return (event.shiftKey ? "ctrl+shift+" : "ctrl+") + k.toLowerCase();
  if (event.altKey) return "";
  if (k.length === 1 && /[a-z]/i.test(k)) return event.shiftKey ? `shift+${k.toLowerCase()}` : k.toLowerCase();
  if (k.length > 1 && event.shiftKey) return `shift+${k}`; // Shift+Enter must not act as Enter
  return k;
}

function keyLabel(key) {
  const names = { ArrowRight: "→", ArrowLeft: "←", Escape: "Esc", Enter: "Enter" };
  if (names[key]) return names[key];
  return key.replace("ctrl+", "Ctrl+").replace("shift+", "Shift+");
}

function percent(part, whole) {
  return whole ? Math.round((100 * part) / whole) : 0;
}

function render({ model, el }) {
  const codeById = new Map();
  let currentId = null;
  let currentDoc = null;
  let memoSeq = null;
  let hovered = null;

  // ---- skeleton ----------------------------------------------------------------------------
  const status = h("span", { class: "vt-status", "data-state": "idle", role: "status", "aria-live": "polite" });
  const docBar = h("span", { class: "vt-bar-fill" });
  const projBar = h("span", { class: "vt-bar-fill" });
  const docProgress = h("span", { class: "vt-progress-text" });
  const projProgress = h("span", { class: "vt-progress-text" });
  const position = h("span", { class: "vt-position" });
  const compareBox = h("input", { type: "checkbox", class: "vt-compare" });
  const filterToggle = h("button", { class: "vt-btn vt-ghost vt-filter-toggle", type: "button", title: "Filter the segments" }, "Filters");
  const helpButton = h("button", { class: "vt-btn vt-ghost", type: "button", title: "Keyboard shortcuts (?)" }, "?");
  const reviewButton = h("button", { class: "vt-btn vt-ghost vt-review-toggle", type: "button", "aria-pressed": "false", title: "Walk through the review queue of suggestions" }, "Review suggestions");
  const langSelect = h("select", { class: "vt-lang", title: "Language of code labels" }, h("option", { value: "sv" }, "sv"), h("option", { value: "en" }, "en"));

  const top = h(
    "header",
    { class: "vt-top" },
    h("div", { class: "vt-brand" }, h("strong", {}, "Vardag"), h("span", { class: "vt-coder" })),
    h(
      "div",
      { class: "vt-progress" },
      h("div", { class: "vt-meter", title: "Segments of this document I have coded" }, h("span", { class: "vt-meter-label" }, "Document"), h("span", { class: "vt-bar" }, docBar), docProgress),
      h("div", { class: "vt-meter", title: "Segments of the project I have coded" }, h("span", { class: "vt-meter-label" }, "Project"), h("span", { class: "vt-bar" }, projBar), projProgress),
    ),
    h("div", { class: "vt-tools" }, position, reviewButton, filterToggle, h("label", { class: "vt-switch", title: "Show other coders' codes" }, compareBox, h("span", {}, "Compare")), langSelect, helpButton),
    status,
  );

  const fDocument = h("select", { class: "vt-f-document" });
  const fParticipant = h("select", { class: "vt-f-participant" });
  const fCode = h("select", { class: "vt-f-code" });
  const fSearch = h("input", { type: "search", class: "vt-f-search", placeholder: "Text contains…" });
  const fUncoded = h("input", { type: "checkbox", class: "vt-f-uncoded" });
  const fOthers = h("input", { type: "checkbox", class: "vt-f-others" });
  const filters = h(
    "div",
    { class: "vt-filters", hidden: true },
    h("label", {}, "Document", fDocument),
    h("label", {}, "Participant", fParticipant),
    h("label", {}, "Code", fCode),
    h("label", {}, "Search", fSearch),
    h("label", { class: "vt-check" }, fUncoded, "Uncoded by me"),
    h("label", { class: "vt-check" }, fOthers, "Coded by others, not me"),
    h("button", { class: "vt-btn vt-ghost", type: "button", onclick: () => sendFilter({ document: "", participant: "", code: "", search: "", uncoded: false, others: false }) }, "Clear"),
  );

  const meta = h("div", { class: "vt-meta" });
  const before = h("div", { class: "vt-context vt-before" });
  const textEl = h("div", { class: "vt-text", lang: "" });
  const speaker = h("div", { class: "vt-speaker" });
  const current = h("article", { class: "vt-current" }, speaker, textEl);
  const after = h("div", { class: "vt-context vt-after" });
  const applied = h("div", { class: "vt-applied" });
  const others = h("div", { class: "vt-others" });
  const segMemo = h("textarea", { class: "vt-memo vt-memo-segment", rows: "2", placeholder: "Memo on this segment…" });
  const docMemo = h("textarea", { class: "vt-memo vt-memo-document", rows: "2", placeholder: "Memo on this document…" });
  const docMemoLabel = h("span", {}, "Document memo");
  const memos = h("div", { class: "vt-memos" }, h("label", {}, h("span", {}, "Segment memo"), segMemo), h("label", {}, docMemoLabel, docMemo));
  const nav = h(
    "div",
    { class: "vt-nav" },
    h("button", { class: "vt-btn", type: "button", onclick: () => act({ action: "prev" }) }, "← Previous"),
    h("button", { class: "vt-btn vt-primary", type: "button", onclick: () => act({ action: "next_uncoded" }) }, "Next uncoded ", h("kbd", {}, "Enter")),
    h("button", { class: "vt-btn", type: "button", onclick: () => act({ action: "next" }) }, "Next →"),
  );
  const empty = h("div", { class: "vt-empty", hidden: true });
  const left = h("section", { class: "vt-left" }, meta, empty, before, current, after, applied, others, memos, nav);

  const codeFilter = h("input", { type: "search", class: "vt-code-filter", placeholder: "Find a code (sv / en)…" });
  const codeList = h("div", { class: "vt-codes", role: "group", "aria-label": "Codes" });
  const details = h("div", { class: "vt-details" });
  const suggestions = h("div", { class: "vt-suggestions" });
  const suggestionsTitle = h("span", { class: "vt-suggestions-title" }, "Suggestions");
  const right = h(
    "aside",
    { class: "vt-right" },
    codeFilter,
    codeList,
    details,
    h("div", { class: "vt-panel" }, h("h3", {}, suggestionsTitle, h("kbd", {}, "=")), suggestions),
  );
  const help = h("div", { class: "vt-help", hidden: true, role: "dialog", "aria-label": "Keyboard shortcuts" });
  const hint = h("div", { class: "vt-hint" }, "Click the segment to use the keyboard · ? for help");
  const root = h("div", { class: "vt-root", tabindex: "0", "data-lm-suppress-shortcuts": "true" }, top, filters, h("div", { class: "vt-main" }, left, right), hint, help);
  el.appendChild(root);

  // ---- sending -----------------------------------------------------------------------------
  function send(message, saving = true) {
    if (saving) {
      status.dataset.state = "saving";
      status.textContent = "Saving…";
    }
    model.send(message);
  }

  function selectedSpan() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!range.intersectsNode(textEl)) return root.contains(range.commonAncestorContainer) ? { outside: true } : null;
    const text = model.get("segment").text || "";
    const offset = (node, off) => {
      const pre = document.createRange();
      pre.selectNodeContents(textEl);
      pre.setEnd(node, off);
      return pre.toString().length;
    };
    const start = textEl.contains(range.startContainer) ? offset(range.startContainer, range.startOffset) : 0;
    const end = textEl.contains(range.endContainer) ? offset(range.endContainer, range.endOffset) : text.length;
    if (end <= start) return null;
    return { start: utf16ToCodePoints(text, start), end: utf16ToCodePoints(text, end) };
  }

  // Memos: saved 800 ms after typing stops and on blur, always for the target they were typed for.
  const memoState = new Map(); // textarea -> {timer, kind, target, saved}
  function memoTarget(area) {
    const seg = model.get("segment");
    return area === segMemo ? { kind: "segment", target: seg.id } : { kind: "document", target: seg.document_id };
  }
  function saveMemo(area) {
    const state = memoState.get(area);
    if (!state) return;
    clearTimeout(state.timer);
    state.timer = null;
    if (area.value === state.saved) return;
    state.saved = area.value;
    send({ type: "memo", kind: state.kind, target: state.target, text: area.value });
  }
  for (const area of [segMemo, docMemo]) {
    area.addEventListener("focus", () => {
      const state = memoState.get(area);
      if (!state) memoState.set(area, { ...memoTarget(area), saved: area.value, timer: null });
    });
    area.addEventListener("input", () => {
      const state = memoState.get(area) || { ...memoTarget(area), saved: "", timer: null };
      memoState.set(area, state);
      clearTimeout(state.timer);
      state.timer = setTimeout(() => saveMemo(area), 800);
    });
    area.addEventListener("blur", () => saveMemo(area));
  }
  // A memo box shows the stored text whenever it is not being typed in: after a move, an undo,
  // a reload of the page, or a change made in another window.  Text being typed is never
  // replaced (it is saved for the target it was typed for).
  function showMemo(area, kind, target, stored, force) {
    const state = memoState.get(area);
    const typing = state && state.timer !== null && state.target === target;
    if (typing && !force) return;
    if (force || document.activeElement !== area || area.value === (state?.saved ?? "")) {
      if (area.value !== stored) area.value = stored;
      memoState.set(area, { kind, target, saved: stored, timer: null });
    }
  }
  function flushMemos() {
    saveMemo(segMemo);
    saveMemo(docMemo);
  }

  function act(binding) {
    const action = binding.action;
    if (action === "toggle") {
      const span = selectedSpan();
      if (span?.outside) {
        // Words selected in a context turn: coding the whole current turn would surprise.
        status.dataset.state = "error";
        status.textContent = "⚠ Select words inside the current turn to code a span (nothing saved)";
        return;
      }
      send({ type: "toggle", code: binding.code, ...(span || {}) });
      window.getSelection()?.removeAllRanges();
    } else if (["next", "prev", "next_uncoded", "undo", "redo"].includes(action)) {
      flushMemos();
      send({ type: action }, action === "undo" || action === "redo");
    } else if (action === "accept") {
      send({ type: "accept", code: binding.code || "" });
    } else if (action === "help") {
      help.hidden = !help.hidden;
    } else if (action === "close") {
      help.hidden = true;
      window.getSelection()?.removeAllRanges();
    }
  }

  function sendFilter(change) {
    flushMemos();
    send({ type: "filter", ...change }, false);
  }

  // ---- keyboard ----------------------------------------------------------------------------
  root.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof Element && target.matches(TEXT_INPUTS)) {
      if (event.key === "Escape") root.focus({ preventScroll: true });
      event.stopPropagation(); // typing never reaches JupyterLab's or our shortcuts
      return;
    }
    if (target instanceof HTMLButtonElement && (event.key === "Enter" || event.key === " ")) return;
    const binding = (model.get("keymap") || {})[keyName(event)];
    // Plain keys never reach JupyterLab: "a", "b", "d d", "m" would edit the notebook.
    if (!event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
    if (!binding) return;
    event.preventDefault();
    event.stopPropagation();
    act(binding);
  });

  // ---- rendering ---------------------------------------------------------------------------
  function renderCodes() {
    const book = model.get("codebook") || { codes: [] };
    codeById.clear();
    codeList.replaceChildren();
    for (const code of book.codes) {
      codeById.set(code.id, code);
      const indent = { paddingLeft: `${code.depth * 14}px` };
      if (!code.codable) {
        codeList.append(
          h("div", { class: "vt-group", "data-code": code.id, "data-labels": code.labels, "data-parent": code.parent || "", style: indent },
            h("span", { class: "vt-dot", style: { background: code.color } }), code.label),
        );
        continue;
      }
      const button = h(
        "button",
        {
          type: "button",
          class: "vt-code",
          "data-code": code.id,
          "data-labels": code.labels,
          "data-parent": code.parent || "",
          "aria-pressed": "false",
          style: { "--c": code.color, "--ink": inkOn(code.color), marginLeft: `${code.depth * 14}px` },
          onmousedown: (event) => event.preventDefault(), // keep the text selection
          onclick: () => {
            act({ action: "toggle", code: code.id });
            if (document.activeElement !== root) root.focus({ preventScroll: true });
          },
          onmouseenter: () => showDetails(code.id),
          onfocus: () => showDetails(code.id),
        },
        h("span", { class: "vt-code-label" }, code.label),
        code.shortcut ? h("kbd", {}, keyLabel(code.shortcut)) : null,
      );
      codeList.append(button);
    }
    applyCodeFilter();
    renderPressed();
    renderHelp();
    showDetails(hovered);
  }

  function applyCodeFilter() {
    const query = codeFilter.value.trim().toLowerCase();
    const visible = new Set();
    for (const code of codeById.values()) {
      const hit = !query || code.labels.toLowerCase().includes(query) || code.id.includes(query);
      if (!hit) continue;
      let id = code.id;
      while (id && !visible.has(id)) {
        visible.add(id);
        id = codeById.get(id)?.parent;
      }
    }
    for (const node of codeList.children) node.hidden = !visible.has(node.dataset.code);
  }
  codeFilter.addEventListener("input", applyCodeFilter);
  codeFilter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const first = [...codeList.querySelectorAll("button.vt-code")].find((b) => !b.hidden);
      if (first) first.click();
    }
  });

  function showDetails(id) {
    hovered = id;
    const code = id ? codeById.get(id) : null;
    details.replaceChildren();
    if (!code) {
      details.append(h("p", { class: "vt-muted" }, "Point at a code to read its definition."));
      return;
    }
    const path = [];
    for (let c = code; c; c = c.parent ? codeById.get(c.parent) : null) path.unshift(c.label);
    details.append(h("div", { class: "vt-details-path" }, path.join(" › ")));
    details.append(h("h3", { style: { borderColor: code.color } }, code.label));
    if (code.definition) details.append(h("p", {}, code.definition));
    if (code.use_when) details.append(h("p", {}, h("b", {}, "Use when: "), code.use_when));
    if (code.do_not_use_when) details.append(h("p", {}, h("b", {}, "Do not use when: "), code.do_not_use_when));
    for (const ex of code.examples || []) details.append(h("blockquote", {}, ex));
    if (!code.definition && !code.use_when && !code.do_not_use_when) details.append(h("p", { class: "vt-muted" }, "No definition yet."));
  }

  function renderPressed() {
    const seg = model.get("segment") || {};
    const on = new Set(seg.on || []);
    const partial = new Set(seg.partial || []);
    for (const button of codeList.querySelectorAll("button.vt-code")) {
      const id = button.dataset.code;
      button.classList.toggle("vt-on", on.has(id));
      button.classList.toggle("vt-partial", !on.has(id) && partial.has(id));
      button.setAttribute("aria-pressed", on.has(id) ? "true" : partial.has(id) ? "mixed" : "false");
    }
  }

  function renderTurn(t) {
    return h(
      "div",
      { class: `vt-turn vt-${t.role}`, title: "Click to show the whole turn", onclick: (e) => e.currentTarget.classList.add("vt-open") },
      h("span", { class: "vt-turn-who" }, t.speaker || (t.role === "interviewer" ? "Interviewer" : "—"), t.time ? h("span", { class: "vt-time" }, t.time) : null),
      h("span", { class: "vt-turn-text" }, t.text),
    );
  }

  function renderText(seg) {
    const text = seg.text || "";
    const spans = [];
    (seg.codings || []).forEach((c, i) => {
      if (!c.whole) spans.push({ ...c, key: `m${i}`, mine: true });
    });
    if (model.get("compare")) {
      (seg.others || []).forEach((c, i) => {
        if (!c.whole) spans.push({ ...c, key: `o${i}`, mine: false });
      });
    }
    for (const s of spans) {
      s.u0 = codePointsToUtf16(text, s.start);
      s.u1 = codePointsToUtf16(text, s.end);
    }
    const cuts = new Set([0, text.length]);
    for (const s of spans) {
      cuts.add(s.u0);
      cuts.add(s.u1);
    }
    const points = [...cuts].sort((a, b) => a - b);
    textEl.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const piece = text.slice(a, b);
      const cover = spans.filter((s) => s.u0 <= a && b <= s.u1);
      if (!cover.length) {
        textEl.append(document.createTextNode(piece));
        continue;
      }
      const mine = cover.filter((s) => s.mine);
      const top = mine.length ? mine[mine.length - 1] : null;
      const color = (id) => codeById.get(id)?.color || "#888888";
      const lines = cover.map((s, k) => (s.mine ? `inset 0 -${2 + 2 * k}px 0 ${color(s.code)}` : `inset 0 -${2 + 2 * k}px 0 ${rgba(color(s.code), 0.55)}`));
      const mark = h(
        "mark",
        {
          class: `vt-hl${top ? "" : " vt-hl-other"}`,
          "data-spans": cover.map((s) => s.key).join(" "),
          title: cover.map((s) => (codeById.get(s.code)?.label || s.code) + (s.mine ? "" : ` (${s.coder})`)).join(" · "),
          style: { background: top ? rgba(color(top.code), 0.22) : "transparent", boxShadow: lines.join(", ") },
        },
        piece,
      );
      mark.addEventListener("click", () => {
        const sel = window.getSelection();
        if (sel && !sel.isCollapsed) return;
        const own = cover.find((s) => s.mine);
        if (!own) return;
        const item = applied.querySelector(`[data-span="${own.key}"]`);
        if (item) {
          item.classList.remove("vt-flash");
          void item.offsetWidth;
          item.classList.add("vt-flash");
          item.querySelector("button")?.focus({ preventScroll: false });
        }
      });
      textEl.append(mark);
    }
  }

  function renderApplied(seg) {
    applied.replaceChildren();
    const list = seg.codings || [];
    if (!list.length) {
      applied.append(h("p", { class: "vt-muted" }, "No codes yet. Select text for a span, or press a code's key for the whole turn."));
      return;
    }
    list.forEach((c, i) => {
      const code = codeById.get(c.code) || { label: c.code, color: "#888888" };
      applied.append(
        h(
          "div",
          { class: "vt-chip", "data-span": `m${i}`, style: { "--c": code.color } },
          h("span", { class: "vt-dot", style: { background: code.color } }),
          h("span", { class: "vt-chip-label" }, code.label),
          h("span", { class: "vt-chip-quote" }, c.whole ? "whole turn" : `“${c.quote}”`),
          c.origin === "suggestion" ? h("span", { class: "vt-tag" }, "suggested") : null,
          h("button", { type: "button", class: "vt-x", title: "Remove this coding", "aria-label": `Remove ${code.label}`, onclick: () => send({ type: "remove", code: c.code, start: c.start, end: c.end }) }, "×"),
        ),
      );
    });
  }

  function renderOthers(seg) {
    others.replaceChildren();
    if (!model.get("compare")) return;
    const list = seg.others || [];
    others.append(h("h3", {}, "Other coders"));
    if (!list.length) {
      others.append(h("p", { class: "vt-muted" }, "No other coder has coded this segment."));
      return;
    }
    for (const c of list) {
      const code = codeById.get(c.code) || { label: c.code, color: "#888888" };
      others.append(
        h("div", { class: "vt-chip vt-chip-other", style: { "--c": code.color } },
          h("span", { class: "vt-dot", style: { background: code.color } }),
          h("span", { class: "vt-chip-label" }, code.label),
          h("span", { class: "vt-chip-quote" }, c.whole ? "whole turn" : `“${c.quote}”`),
          h("span", { class: "vt-tag" }, c.coder)),
      );
    }
  }

  function renderSegment() {
    const seg = model.get("segment") || {};
    if (seg.empty) {
      empty.hidden = false;
      empty.textContent = seg.message || "Nothing to code.";
      for (const node of [meta, before, current, after, applied, others, memos]) node.hidden = true;
      currentId = null;
      return;
    }
    empty.hidden = true;
    for (const node of [meta, before, current, after, applied, others, memos]) node.hidden = false;
    meta.replaceChildren(
      h("span", { class: "vt-doc", title: "Document" }, seg.document),
      seg.participant ? h("span", { class: "vt-participant", title: "Participant" }, seg.participant) : null,
      ...Object.entries(seg.attributes || {}).map(([k, v]) => h("span", { class: "vt-attr", title: k }, `${k}: ${v}`)),
      h("span", { class: "vt-turn-no" }, `turn ${seg.position} of ${seg.turns}`),
    );
    speaker.replaceChildren(h("span", { class: "vt-who" }, seg.speaker || "Participant"), seg.time ? h("span", { class: "vt-time" }, seg.end_time ? `${seg.time}–${seg.end_time}` : seg.time) : null);
    textEl.setAttribute("lang", seg.language || "");
    before.replaceChildren(...(seg.before || []).map(renderTurn));
    after.replaceChildren(...(seg.after || []).map(renderTurn));
    renderText(seg);
    renderApplied(seg);
    renderOthers(seg);
    renderPressed();
    docMemoLabel.textContent = `Memo on ${seg.document}`;
    const moved = seg.id !== currentId;
    const undone = seg.memo_seq !== memoSeq;
    showMemo(segMemo, "segment", seg.id, seg.memo || "", moved || undone);
    showMemo(docMemo, "document", seg.document_id, seg.doc_memo || "", seg.document_id !== currentDoc || undone);
    if (moved) current.scrollIntoView?.({ block: "nearest" });
    currentId = seg.id;
    currentDoc = seg.document_id;
    memoSeq = seg.memo_seq;
  }

  function renderProgress() {
    const p = model.get("progress") || {};
    docBar.style.width = `${percent(p.doc_coded, p.doc_total)}%`;
    projBar.style.width = `${percent(p.coded, p.total)}%`;
    docProgress.textContent = `${p.doc_coded ?? 0} / ${p.doc_total ?? 0}`;
    projProgress.textContent = `${p.coded ?? 0} / ${p.total ?? 0}`;
    position.textContent = p.count ? `Segment ${(p.index ?? 0) + 1} of ${p.count}` : "No segments";
    if (p.review_open != null) position.textContent += ` · ${p.review_open} open in the review queue`;
  }

  function renderStatus() {
    const s = model.get("status") || {};
    status.dataset.state = s.state || "idle";
    status.textContent = s.state === "saved" ? `✓ Saved ${s.at} · ${s.text}` : s.state === "error" ? `⚠ ${s.text}` : s.text || "";
  }

  function renderSuggestions() {
    const list = model.get("suggestions") || [];
    suggestions.replaceChildren();
    const reviewing = !!model.get("review");
    suggestionsTitle.textContent = reviewing ? "Review queue" : "Suggestions";
    if (!list.length) {
      suggestions.append(h("p", { class: "vt-muted" }, reviewing ? "No open queue items for this segment." : "No suggestions yet."));
      return;
    }
    const top = list.find((s) => !s.on);
    for (const s of list) {
      if (s.item != null) {
        const decide = (decision) => send({ type: "review", item: s.item, decision });
        suggestions.append(
          h(
            "div",
            { class: "vt-suggestion vt-queued", "data-code": s.code, "data-item": String(s.item), title: s.reason },
            h("span", { class: "vt-dot", style: { background: s.color } }),
            h("span", { class: "vt-suggestion-label" }, s.label),
            h("span", { class: "vt-confidence" }, h("span", { style: { width: `${Math.round(s.confidence * 100)}%`, background: s.color } })),
            h("span", { class: "vt-pct" }, `${Math.round(s.confidence * 100)}%`),
            s === list[0] ? h("kbd", {}, "=") : null,
            s.reason ? h("span", { class: "vt-reason" }, s.reason) : null,
            h(
              "span",
              { class: "vt-review-actions" },
              h("button", { type: "button", class: "vt-btn vt-accept", onmousedown: (e) => e.preventDefault(), onclick: () => decide("accepted") }, "Accept"),
              h("button", { type: "button", class: "vt-btn vt-ghost vt-reject", onmousedown: (e) => e.preventDefault(), onclick: () => decide("rejected") }, "Reject"),
            ),
          ),
        );
        continue;
      }
      suggestions.append(
        h(
          "button",
          { type: "button", class: `vt-suggestion${s.on ? " vt-on" : ""}`, "data-code": s.code, title: s.reason, onmousedown: (e) => e.preventDefault(), onclick: () => send({ type: "accept", code: s.code }) },
          h("span", { class: "vt-dot", style: { background: s.color } }),
          h("span", { class: "vt-suggestion-label" }, s.label),
          h("span", { class: "vt-confidence" }, h("span", { style: { width: `${Math.round(s.confidence * 100)}%`, background: s.color } })),
          h("span", { class: "vt-pct" }, `${Math.round(s.confidence * 100)}%`),
          s === top ? h("kbd", {}, "=") : null,
          s.reason ? h("span", { class: "vt-reason" }, s.reason) : null,
        ),
      );
    }
  }

  function renderHelp() {
    const groups = new Map(); // one row per action (and code), listing every key for it
    for (const [key, b] of Object.entries(model.get("keymap") || {})) {
      const id = `${b.action}:${b.code}`;
      if (!groups.has(id)) groups.set(id, { ...b, keys: [] });
      groups.get(id).keys.push(key);
    }
    const row = (g) => h("tr", {}, h("td", {}, ...g.keys.map((k) => h("kbd", {}, keyLabel(k)))), h("td", {}, g.what));
    const all = [...groups.values()];
    const order = [...codeById.keys()];
    const codes = all.filter((g) => g.action === "toggle").sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
    const other = all.filter((g) => g.action !== "toggle");
    help.replaceChildren(
      h("div", { class: "vt-help-card" },
        h("h3", {}, "Keyboard"),
        h("p", { class: "vt-muted" }, "Select words first to code only them; otherwise a code's key codes the whole turn. Keys work while the tagger has focus, never while you type in a memo or filter."),
        h("div", { class: "vt-help-cols" },
          h("table", {}, h("caption", {}, "Move, undo, suggestions"), ...other.map(row)),
          h("table", {}, h("caption", {}, "Codes (toggle)"), ...codes.map(row))),
        h("button", { type: "button", class: "vt-btn", onclick: () => { help.hidden = true; root.focus({ preventScroll: true }); } }, "Close")),
    );
  }

  function fillSelect(select, values, chosen, allLabel) {
    select.replaceChildren(h("option", { value: "" }, allLabel), ...values.map(([v, label]) => h("option", { value: v }, label)));
    select.value = chosen || "";
  }

  function renderFilters() {
    const f = model.get("filters") || {};
    const opts = model.get("filter_options") || {};
    fillSelect(fDocument, (opts.documents || []).map((d) => [d, d]), f.document, "All documents");
    fillSelect(fParticipant, (opts.participants || []).map((d) => [d, d]), f.participant, "All participants");
    const codes = [...codeById.values()].filter((c) => c.codable).map((c) => [c.id, c.label]);
    fillSelect(fCode, codes, f.code, "Any code");
    if (document.activeElement !== fSearch) fSearch.value = f.search || "";
    fUncoded.checked = !!f.uncoded;
    fOthers.checked = !!f.others;
    const active = ["document", "participant", "code", "search", "uncoded", "others"].filter((k) => f[k]).length;
    filterToggle.textContent = active ? `Filters (${active})` : "Filters";
    filterToggle.classList.toggle("vt-active", active > 0);
    if (active) filters.hidden = false;
  }

  fDocument.addEventListener("change", () => sendFilter({ document: fDocument.value }));
  fParticipant.addEventListener("change", () => sendFilter({ participant: fParticipant.value }));
  fCode.addEventListener("change", () => sendFilter({ code: fCode.value }));
  fSearch.addEventListener("change", () => sendFilter({ search: fSearch.value }));
  fUncoded.addEventListener("change", () => sendFilter({ uncoded: fUncoded.checked }));
  fOthers.addEventListener("change", () => sendFilter({ others: fOthers.checked }));
  filterToggle.addEventListener("click", () => (filters.hidden = !filters.hidden));
  helpButton.addEventListener("click", () => (help.hidden = !help.hidden));
  reviewButton.addEventListener("click", () => send({ type: "review_mode", on: !model.get("review") }, false));
  compareBox.addEventListener("change", () => send({ type: "compare", on: compareBox.checked }, false));
  langSelect.addEventListener("change", () => send({ type: "lang", lang: langSelect.value }, false));

  function renderModes() {
    compareBox.checked = !!model.get("compare");
    const reviewing = !!model.get("review");
    reviewButton.setAttribute("aria-pressed", String(reviewing));
    reviewButton.classList.toggle("vt-active", reviewing);
    langSelect.value = model.get("lang");
    root.querySelector(".vt-coder").textContent = model.get("coder");
  }

  const handlers = {
    "change:codebook": () => {
      renderCodes();
      renderSegment();
      renderFilters();
    },
    "change:keymap": renderHelp,
    "change:segment": renderSegment,
    "change:progress": renderProgress,
    "change:status": renderStatus,
    "change:suggestions": renderSuggestions,
    "change:filters": renderFilters,
    "change:filter_options": renderFilters,
    "change:compare": () => {
      renderModes();
      renderSegment();
    },
    "change:lang": renderModes,
    "change:review": () => {
      renderModes();
      renderSuggestions();
    },
    "change:coder": renderModes,
  };
  for (const [event, fn] of Object.entries(handlers)) model.on(event, fn);

  renderModes();
  renderCodes();
  renderSegment();
  renderProgress();
  renderStatus();
  renderSuggestions();
  renderFilters();

  return () => {
    flushMemos();
    for (const [event, fn] of Object.entries(handlers)) model.off(event, fn);
  };
}

export default { render };
