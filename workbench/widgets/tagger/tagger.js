// Vardag tagger: the browser side of workbench.widgets.Tagger.
//
// Renders the synced traits (segment, codebook, keys, progress, suggestions, status, filters),
// turns keys, clicks and text selections into small messages for Python, and converts the
// browser's UTF-16 offsets to the code points the store keeps.  No coding rules live here.

const TEXT_INPUTS = "textarea, input, select, [contenteditable=''], [contenteditable='true']";
// A memo is saved this long after typing stops (and at once on blur or when the page goes).
const MEMO_DELAY = 300;

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

/** `text` with each `command` between backticks as a <code> element. */
function withCode(text) {
  return text.split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part));
}

function percent(part, whole) {
  return whole ? Math.round((100 * part) / whole) : 0;
}

function render({ model, el }) {
  // A string in the tagger's language; with `n` 1 its singular form (`key_one`) if it has one.
  const t = translator(model);
  const labelled = []; // [node, what, key]: static texts set again when the language changes
  function say(node, what, key) {
    labelled.push([node, what, key]);
    return node;
  }
  function relabel() {
    for (const [node, what, key] of labelled) {
      if (what === "text") node.textContent = t(key);
      else node.setAttribute(what, t(key));
    }
  }
  const codeById = new Map();
  let currentId = null;
  let currentDoc = null;
  let memoSeq = null;
  let hovered = null;
  let lastApplied = null; // the code last applied: where a new code goes by default

  // ---- skeleton ----------------------------------------------------------------------------
  const status = h("span", { class: "vt-status", "data-state": "idle", role: "status", "aria-live": "polite" });
  const docBar = h("span", { class: "vt-meter-fill" });
  const projBar = h("span", { class: "vt-meter-fill" });
  const docProgress = h("span", { class: "vt-progress-text" });
  const projProgress = h("span", { class: "vt-progress-text" });
  const position = h("span", { class: "vt-position" });
  const compareBox = h("input", { type: "checkbox", class: "vt-compare" });
  const filterToggle = say(h("button", { class: "vt-btn vt-ghost vt-filter-toggle", type: "button" }), "title", "filters_title");
  const helpButton = say(h("button", { class: "vt-btn vt-ghost", type: "button" }, "?"), "title", "help_title");
  const reviewButton = say(say(h("button", { class: "vt-btn vt-ghost vt-review-toggle", type: "button", "aria-pressed": "false" }), "text", "review"), "title", "review_title");
  const langSelect = say(h("select", { class: "vt-lang" }, h("option", { value: "sv" }, "sv"), h("option", { value: "en" }, "en")), "title", "lang_title");
  const searchBox = say(h("input", { type: "search", class: "vt-search-input" }), "placeholder", "search_placeholder");
  const searchWhole = h("input", { type: "checkbox", class: "vt-search-whole", checked: true });
  const searchResults = h("div", { class: "vt-search-results", hidden: true });

  const top = h(
    "header",
    { class: "vt-top" },
    h(
      "div",
      { class: "vt-row" },
      h("div", { class: "vt-brand" }, h("strong", {}, "Vardag"), h("span", { class: "vt-coder" })),
      h(
        "div",
        { class: "vt-progress" },
        say(h("div", { class: "vt-meter" }, say(h("span", { class: "vt-meter-label" }), "text", "document"), h("span", { class: "vt-meter-bar" }, docBar), docProgress), "title", "document_progress"),
        say(h("div", { class: "vt-meter" }, say(h("span", { class: "vt-meter-label" }), "text", "project"), h("span", { class: "vt-meter-bar" }, projBar), projProgress), "title", "project_progress"),
      ),
      status,
    ),
    h(
      "div",
      { class: "vt-row" },
      h("div", { class: "vt-search" }, searchBox, h("label", { class: "vt-check" }, searchWhole, say(h("span", {}), "text", "search_whole"))),
      h("div", { class: "vt-tools" }, reviewButton, filterToggle, say(h("label", { class: "vt-switch" }, compareBox, say(h("span", {}), "text", "compare")), "title", "compare_title"), langSelect, helpButton),
    ),
  );

  const fDocument = h("select", { class: "vt-f-document" });
  const fParticipant = h("select", { class: "vt-f-participant" });
  const fCode = h("select", { class: "vt-f-code" });
  const fSearch = say(h("input", { type: "search", class: "vt-f-search" }), "placeholder", "f_search_placeholder");
  const fUncoded = h("input", { type: "checkbox", class: "vt-f-uncoded" });
  const fOthers = h("input", { type: "checkbox", class: "vt-f-others" });
  const filters = h(
    "div",
    { class: "vt-filters", hidden: true },
    h("label", {}, say(h("span", {}), "text", "f_document"), fDocument),
    h("label", {}, say(h("span", {}), "text", "f_participant"), fParticipant),
    h("label", {}, say(h("span", {}), "text", "f_code"), fCode),
    h("label", {}, say(h("span", {}), "text", "f_search"), fSearch),
    h("label", { class: "vt-check" }, fUncoded, say(h("span", {}), "text", "f_uncoded")),
    h("label", { class: "vt-check" }, fOthers, say(h("span", {}), "text", "f_others")),
    say(h("button", { class: "vt-btn vt-ghost", type: "button", onclick: () => sendFilter({ document: "", participant: "", code: "", search: "", uncoded: false, others: false }) }), "text", "f_clear"),
  );

  const meta = h("div", { class: "vt-meta" });
  const before = h("div", { class: "vt-context vt-before" });
  const textEl = h("div", { class: "vt-text", lang: "" });
  const speaker = h("div", { class: "vt-speaker" });
  // A search hit shown is pre-selected: a code's key codes its words once (Python decides),
  // until it is used or dismissed here, with Esc, by closing the search or leaving the turn.
  const hitWords = h("span", { class: "vt-hit-words" });
  const hitClear = h("button", { type: "button", class: "vt-btn vt-ghost vt-hit-clear", onmousedown: (e) => e.preventDefault(), onclick: () => dismissHit() });
  const hitBar = h("div", { class: "vt-hit-bar", hidden: true }, hitWords, hitClear);
  const current = h("article", { class: "vt-current" }, speaker, hitBar, textEl);
  const after = h("div", { class: "vt-context vt-after" });
  const applied = h("div", { class: "vt-applied" });
  const others = h("div", { class: "vt-others" });
  const segMemo = say(h("textarea", { class: "vt-memo vt-memo-segment", rows: "2" }), "placeholder", "segment_memo_placeholder");
  const docMemo = say(h("textarea", { class: "vt-memo vt-memo-document", rows: "2" }), "placeholder", "document_memo_placeholder");
  const codeMemo = say(h("textarea", { class: "vt-memo vt-memo-code", rows: "2" }), "placeholder", "code_memo_placeholder");
  const codeMemoBox = h("label", { class: "vt-code-memo" }, say(h("span", {}), "text", "code_memo"), codeMemo);
  const docMemoLabel = h("span", {});
  // Other coders' memos on the turn, read-only under the coder's own box.
  const othersMemos = h("div", { class: "vt-memos-others", hidden: true });
  const memos = h("div", { class: "vt-memos" }, h("div", { class: "vt-memo-col" }, h("label", {}, say(h("span", {}), "text", "segment_memo"), segMemo), othersMemos), h("label", {}, docMemoLabel, docMemo));
  const nav = h(
    "div",
    { class: "vt-nav" },
    say(h("button", { class: "vt-btn vt-prev", type: "button", onclick: () => act({ action: "prev" }) }), "text", "previous"),
    position,
    h("button", { class: "vt-btn vt-primary vt-next-uncoded", type: "button", onclick: () => act({ action: "next_uncoded" }) }, say(h("span", {}), "text", "next_uncoded"), " ", h("kbd", {}, "Enter")),
    say(h("button", { class: "vt-btn vt-next", type: "button", onclick: () => act({ action: "next" }) }), "text", "next"),
  );
  const empty = h("div", { class: "vt-empty", hidden: true });
  // The turns scroll in their own region; what is coded, the memos and the buttons to move on
  // stay in view below them (the core loop fits a 1440 x 900 screen).
  const reading = h("div", { class: "vt-reading" }, before, current, after);
  const left = h("section", { class: "vt-left" }, searchResults, meta, empty, reading, applied, others, memos, nav);

  const codeFilter = say(h("input", { type: "search", class: "vt-code-filter" }), "placeholder", "find_code");
  const codeList = say(h("div", { class: "vt-codes", role: "group" }), "aria-label", "codes");
  const newCodeButton = say(say(h("button", { class: "vt-btn vt-ghost vt-new-code", type: "button" }), "text", "new_code"), "title", "new_code_title");
  const inVivoButton = say(say(h("button", { class: "vt-btn vt-ghost vt-in-vivo", type: "button" }), "text", "in_vivo"), "title", "in_vivo_title");
  const newLabel = h("input", { type: "text", class: "vt-new-label" });
  const newParent = h("select", { class: "vt-new-parent" });
  const newError = h("p", { class: "vt-new-error", role: "alert", hidden: true });
  const newForm = h(
    "form",
    { class: "vt-new-form", hidden: true },
    h("label", {}, say(h("span", {}), "text", "new_code_label"), newLabel),
    newError,
    h("label", {}, say(h("span", {}), "text", "new_code_parent"), newParent),
    h("div", { class: "vt-new-actions" },
      say(h("button", { class: "vt-btn vt-primary", type: "submit" }), "text", "create_apply"),
      say(h("button", { class: "vt-btn vt-ghost vt-new-cancel", type: "button", onclick: () => closeNewCode() }), "text", "cancel")),
  );
  const details = h("div", { class: "vt-details" });
  const suggestions = h("div", { class: "vt-suggestions" });
  const suggestionsTitle = h("span", { class: "vt-suggestions-title" });
  const right = h(
    "aside",
    { class: "vt-right" },
    h("div", { class: "vt-code-tools" }, codeFilter, newCodeButton, inVivoButton),
    newForm,
    codeList,
    details,
    h("div", { class: "vt-panel vt-suggestions-panel" }, h("h3", {}, suggestionsTitle, h("kbd", {}, "=")), suggestions),
  );
  const help = say(h("div", { class: "vt-help", hidden: true, role: "dialog" }), "aria-label", "help_title");
  const hint = say(h("div", { class: "vt-hint" }), "text", "hint");
  const root = h("div", { class: "vt-root", tabindex: "0", "data-lm-suppress-shortcuts": "true" }, top, filters, h("div", { class: "vt-body" }, left, right), hint, help);
  el.appendChild(root);

  // ---- sending -----------------------------------------------------------------------------
  function send(message, saving = true) {
    if (saving) {
      status.dataset.state = "saving";
      status.textContent = t("saving");
    }
    model.send(message);
  }

  /** The words selected in the current turn (code points), `{outside: true}` for a selection
   * in another turn, or null: then Python codes the pre-selected search hit or the whole turn. */
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

  // Memos: saved 300 ms after typing stops, on blur and when the page is hidden or left (a
  // reload right after typing loses nothing), always for the target they were typed for.
  const memoState = new Map(); // textarea -> {timer, kind, target, saved}
  function memoTarget(area) {
    const seg = model.get("segment");
    if (area === codeMemo) return { kind: "code", target: hovered };
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
  for (const area of [segMemo, docMemo, codeMemo]) {
    area.addEventListener("focus", () => {
      const state = memoState.get(area);
      if (!state) memoState.set(area, { ...memoTarget(area), saved: area.value, timer: null });
    });
    area.addEventListener("input", () => {
      const state = memoState.get(area) || { ...memoTarget(area), saved: "", timer: null };
      memoState.set(area, state);
      clearTimeout(state.timer);
      state.timer = setTimeout(() => saveMemo(area), MEMO_DELAY);
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
    saveMemo(codeMemo);
  }
  const flushHidden = () => document.visibilityState === "hidden" && flushMemos();
  window.addEventListener("pagehide", flushMemos);
  window.addEventListener("beforeunload", flushMemos);
  document.addEventListener("visibilitychange", flushHidden);

  /** Scroll `box` (only it, never the notebook) so that `node` is in view. */
  function scrollWithin(box, node) {
    if (!node || node.hidden) return;
    const b = box.getBoundingClientRect();
    const n = node.getBoundingClientRect();
    if (n.top < b.top) box.scrollTop -= b.top - n.top + 4;
    else if (n.bottom > b.bottom) box.scrollTop += Math.min(n.bottom - b.bottom + 4, n.top - b.top);
  }

  /** After a move: the current turn in view, with the turns before it when they fit too. */
  function showCurrent() {
    const top = current.getBoundingClientRect().top - reading.getBoundingClientRect().top + reading.scrollTop;
    const room = reading.clientHeight - current.offsetHeight;
    reading.scrollTop = room >= top ? 0 : Math.max(0, top - Math.max(24, room / 2));
  }

  // The first render happens before the widget is on the page (no sizes yet), and a window
  // resize changes the room: whenever the region's size changes, bring the turn back in view.
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(() => {
      const r = reading.getBoundingClientRect();
      const c = current.getBoundingClientRect();
      if (r.height && (c.top < r.top - 1 || c.bottom > r.bottom + 1)) showCurrent();
    }).observe(reading);
  }

  function act(binding) {
    const action = binding.action;
    if (action === "toggle") {
      const span = selectedSpan();
      if (span?.outside) {
        // Words selected in a context turn: coding the whole current turn would surprise.
        status.dataset.state = "error";
        status.textContent = t("select_inside");
        return;
      }
      send({ type: "toggle", code: binding.code, ...(span || {}) });
      lastApplied = binding.code;
      window.getSelection()?.removeAllRanges();
      showDetails(binding.code);
      scrollWithin(codeList, codeList.querySelector(`button.vt-code[data-code="${CSS.escape(binding.code)}"]`));
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
      if (model.get("segment")?.hit) dismissHit();
    }
  }

  function dismissHit() {
    send({ type: "dismiss_hit" }, false);
    root.focus({ preventScroll: true });
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
    if (codeMemo === document.activeElement && id !== hovered) return; // typing a code memo
    saveMemo(codeMemo);
    hovered = id;
    const code = id ? codeById.get(id) : null;
    details.replaceChildren();
    if (!code) {
      details.append(h("p", { class: "vt-muted" }, t("point_at_code")));
      return;
    }
    const path = [];
    for (let c = code; c; c = c.parent ? codeById.get(c.parent) : null) path.unshift(c.label);
    details.append(h("div", { class: "vt-details-path" }, path.join(" › ")));
    details.append(h("h3", { style: { borderColor: code.color } }, code.label));
    if (code.definition) details.append(h("p", {}, code.definition));
    if (code.use_when) details.append(h("p", {}, h("b", {}, t("use_when")), code.use_when));
    if (code.do_not_use_when) details.append(h("p", {}, h("b", {}, t("do_not_use_when")), code.do_not_use_when));
    for (const ex of code.examples || []) details.append(h("blockquote", {}, ex));
    if (!code.definition && !code.use_when && !code.do_not_use_when) details.append(h("p", { class: "vt-muted" }, t("no_definition")));
    const stored = (model.get("codebook")?.memos || {})[code.id] || "";
    codeMemo.value = stored;
    memoState.set(codeMemo, { kind: "code", target: code.id, saved: stored, timer: null });
    details.append(codeMemoBox);
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

  function renderTurn(turn) {
    return h(
      "div",
      { class: `vt-turn vt-${turn.role}`, title: t("show_turn"), onclick: (e) => e.currentTarget.classList.add("vt-turn-open") },
      h("span", { class: "vt-turn-who" }, turn.speaker || (turn.role === "interviewer" ? t("interviewer") : "—"), turn.time ? h("span", { class: "vt-time" }, turn.time) : null),
      h("span", { class: "vt-turn-text" }, turn.text),
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
    if (seg.hit) spans.push({ start: seg.hit.start, end: seg.hit.end, key: "hit", hit: true, mine: false });
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
      const found = spans.find((s) => s.hit && s.u0 <= a && b <= s.u1);
      const cover = spans.filter((s) => !s.hit && s.u0 <= a && b <= s.u1);
      if (found && !cover.length) {
        textEl.append(h("mark", { class: "vt-hit", title: t("search_hit_title") }, piece));
        continue;
      }
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
          class: `vt-hl${top ? "" : " vt-hl-other"}${found ? " vt-hit" : ""}`,
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

  // A coding a person did not make one by one says where it came from.
  function originTag(origin) {
    if (origin === "suggestion") return h("span", { class: "vt-tag" }, t("suggested"));
    if (origin === "theme") return h("span", { class: "vt-tag", title: t("from_theme_title") }, t("from_theme"));
    return null;
  }

  function renderApplied(seg) {
    applied.replaceChildren();
    const list = seg.codings || [];
    if (!list.length) {
      applied.append(h("p", { class: "vt-muted" }, t("no_codes_yet")));
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
          h("span", { class: "vt-chip-quote", title: c.whole ? undefined : c.quote }, c.whole ? t("whole_turn") : `“${c.quote}”`),
          originTag(c.origin),
          h("button", { type: "button", class: "vt-x", title: t("remove_coding"), "aria-label": `${t("remove_coding")}: ${code.label}`, onclick: () => send({ type: "remove", code: c.code, start: c.start, end: c.end }) }, "×"),
        ),
      );
    });
  }

  function renderOthers(seg) {
    others.replaceChildren();
    if (!model.get("compare")) return;
    const list = seg.others || [];
    others.append(h("h3", {}, t("other_coders")));
    if (!list.length) {
      others.append(h("p", { class: "vt-muted" }, t("no_other_coder")));
      return;
    }
    for (const c of list) {
      const code = codeById.get(c.code) || { label: c.code, color: "#888888" };
      others.append(
        h("div", { class: "vt-chip vt-chip-other", style: { "--c": code.color } },
          h("span", { class: "vt-dot", style: { background: code.color } }),
          h("span", { class: "vt-chip-label" }, code.label),
          h("span", { class: "vt-chip-quote" }, c.whole ? t("whole_turn") : `“${c.quote}”`),
          originTag(c.origin),
          h("span", { class: "vt-tag" }, c.coder)),
      );
    }
  }

  function renderSegment() {
    const seg = model.get("segment") || {};
    if (seg.empty) {
      empty.hidden = false;
      empty.replaceChildren(...withCode(seg.message || t("nothing_to_code")));
      for (const node of [meta, reading, applied, others, memos]) node.hidden = true;
      currentId = null;
      return;
    }
    empty.hidden = true;
    for (const node of [meta, reading, applied, others, memos]) node.hidden = false;
    meta.replaceChildren(
      h("span", { class: "vt-doc", title: t("f_document") }, seg.document),
      seg.participant ? h("span", { class: "vt-participant", title: t("f_participant") }, seg.participant) : null,
      ...Object.entries(seg.attributes || {}).map(([k, v]) => h("span", { class: "vt-attr", title: k }, `${k}: ${v}`)),
      h("span", { class: "vt-turn-no" }, t("turn_of", { position: seg.position, turns: seg.turns })),
    );
    // A turn without a time (a .docx turn, a survey answer) shows none (never "null").
    const when = seg.time ? [h("span", { class: "vt-time" }, seg.end_time ? `${seg.time}–${seg.end_time}` : seg.time)] : [];
    speaker.replaceChildren(h("span", { class: "vt-who" }, seg.speaker || t("participant_fallback")), ...when);
    hitBar.hidden = !seg.hit;
    if (seg.hit) {
      hitWords.textContent = t("hit_bar", { words: seg.hit.words });
      hitClear.textContent = t("hit_clear");
      hitClear.title = t("hit_clear_title");
    }
    textEl.setAttribute("lang", seg.language || "");
    before.replaceChildren(...(seg.before || []).map(renderTurn));
    after.replaceChildren(...(seg.after || []).map(renderTurn));
    renderText(seg);
    renderApplied(seg);
    renderOthers(seg);
    renderPressed();
    docMemoLabel.textContent = t("document_memo", { document: seg.document });
    const moved = seg.id !== currentId;
    const undone = seg.memo_seq !== memoSeq;
    showMemo(segMemo, "segment", seg.id, seg.memo || "", moved || undone);
    const theirs = seg.others_memos || [];
    othersMemos.hidden = !theirs.length;
    othersMemos.title = t("others_memos_title");
    othersMemos.replaceChildren(...theirs.map((m) => h("p", { class: "vt-memo-other" }, h("b", {}, `${m.coder}: `), m.text)));
    showMemo(docMemo, "document", seg.document_id, seg.doc_memo || "", seg.document_id !== currentDoc || undone);
    if (moved) showCurrent();
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
    position.textContent = p.count ? t("segment_n_of", { n: (p.index ?? 0) + 1, count: p.count }) : t("no_segments");
    if (p.review_open != null) position.textContent += t("open_in_queue", { n: p.review_open });
  }

  function renderStatus() {
    const s = model.get("status") || {};
    status.dataset.state = s.state || "idle";
    status.textContent = s.state === "saved" ? t("saved_at", { at: s.at, text: s.text }) : s.state === "error" ? `⚠ ${s.text}` : s.text || "";
    status.title = status.textContent; // one line on screen, the whole of it on hover
    if (newPending !== null && s.reply === newPending) {
      // The answer to "create and apply": done, or why not (the form keeps the typed label).
      newPending = null;
      if (s.state === "error") {
        newError.textContent = s.text;
        newError.hidden = false;
        newLabel.focus();
        newLabel.select();
      } else {
        lastParent = newParent.value;
        closeNewCode();
      }
    }
  }

  function renderSuggestions() {
    const list = model.get("suggestions") || [];
    suggestions.replaceChildren();
    const reviewing = !!model.get("review");
    suggestionsTitle.textContent = reviewing ? t("review_queue") : t("suggestions");
    if (!list.length) {
      const queueEmpty = reviewing && !(model.get("progress") || {}).review_open;
      suggestions.append(h("p", { class: queueEmpty ? "vt-muted vt-queue-hint" : "vt-muted" }, queueEmpty ? withCode(t("queue_empty_hint", { study: model.get("study") })) : reviewing ? t("no_queue_items") : t("no_suggestions")));
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
            s === list[0] ? h("kbd", {}, "=") : h("span", {}),
            h(
              "div",
              { class: "vt-queued-foot" },
              h("span", { class: "vt-reason" }, s.reason ? t("because", { words: s.reason }) : ""),
              h(
                "span",
                { class: "vt-review-actions" },
                h("button", { type: "button", class: "vt-btn vt-accept", onmousedown: (e) => e.preventDefault(), onclick: () => decide("accepted") }, t("accept")),
                h("button", { type: "button", class: "vt-btn vt-ghost vt-reject", onmousedown: (e) => e.preventDefault(), onclick: () => decide("rejected") }, t("reject")),
              ),
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
          s.reason ? h("span", { class: "vt-reason" }, t("because", { words: s.reason })) : null,
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
        h("h3", {}, t("keyboard")),
        h("p", { class: "vt-muted" }, t("keyboard_lead")),
        h("div", { class: "vt-help-cols" },
          h("table", {}, h("caption", {}, t("keys_move")), ...other.map(row)),
          h("table", {}, h("caption", {}, t("keys_codes")), ...codes.map(row))),
        h("button", { type: "button", class: "vt-btn", onclick: () => { help.hidden = true; root.focus({ preventScroll: true }); } }, t("close"))),
    );
  }

  function fillSelect(select, values, chosen, allLabel) {
    select.replaceChildren(h("option", { value: "" }, allLabel), ...values.map(([v, label]) => h("option", { value: v }, label)));
    select.value = chosen || "";
  }

  function renderFilters() {
    const f = model.get("filters") || {};
    const opts = model.get("filter_options") || {};
    fillSelect(fDocument, (opts.documents || []).map((d) => [d, d]), f.document, t("all_documents"));
    fillSelect(fParticipant, (opts.participants || []).map((d) => [d, d]), f.participant, t("all_participants"));
    const codes = [...codeById.values()].filter((c) => c.codable).map((c) => [c.id, c.label]);
    fillSelect(fCode, codes, f.code, t("any_code"));
    if (document.activeElement !== fSearch) fSearch.value = f.search || "";
    fUncoded.checked = !!f.uncoded;
    fOthers.checked = !!f.others;
    const active = ["document", "participant", "code", "search", "uncoded", "others"].filter((k) => f[k]).length;
    filterToggle.textContent = active ? t("filters_n", { n: active }) : t("filters");
    filterToggle.classList.toggle("vt-active", active > 0);
    if (active) filters.hidden = false;
    fitFilters();
  }

  fDocument.addEventListener("change", () => sendFilter({ document: fDocument.value }));
  fParticipant.addEventListener("change", () => sendFilter({ participant: fParticipant.value }));
  fCode.addEventListener("change", () => sendFilter({ code: fCode.value }));
  fSearch.addEventListener("change", () => sendFilter({ search: fSearch.value }));
  fUncoded.addEventListener("change", () => sendFilter({ uncoded: fUncoded.checked }));
  fOthers.addEventListener("change", () => sendFilter({ others: fOthers.checked }));
  filterToggle.addEventListener("click", () => {
    filters.hidden = !filters.hidden;
    fitFilters();
  });
  // The open filter panel takes its height from the turns' region, not from the screen below
  // it (it pushed the navigation off a 1440 x 900 screen).
  function fitFilters() {
    root.style.setProperty("--vt-extra", `${filters.hidden ? 0 : filters.offsetHeight}px`);
  }
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(fitFilters).observe(filters);
  helpButton.addEventListener("click", () => (help.hidden = !help.hidden));
  reviewButton.addEventListener("click", () => send({ type: "review_mode", on: !model.get("review") }, false));
  compareBox.addEventListener("change", () => send({ type: "compare", on: compareBox.checked }, false));
  langSelect.addEventListener("change", () => send({ type: "lang", lang: langSelect.value }, false));

  // ---- search: hits listed above the turn; a hit shown is what a code's key codes ----------
  function runSearch() {
    flushMemos();
    send({ type: "search", text: searchBox.value, whole_word: searchWhole.checked }, false);
  }
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") runSearch();
  });
  searchBox.addEventListener("search", runSearch); // the clear button of a search field
  searchBox.addEventListener("input", () => {
    // Emptied by hand (not only by the clear button): the old hits go at once.
    if (!searchBox.value.trim() && (model.get("hits") || {}).query) {
      searchResults.hidden = true;
      runSearch();
    }
  });
  searchWhole.addEventListener("change", () => searchBox.value.trim() && runSearch());

  function renderHits() {
    const found = model.get("hits") || {};
    const items = found.items || [];
    searchResults.hidden = !found.query;
    if (!found.query) return;
    const head = items.length < (found.total || 0)
      ? t("search_more", { n: found.total, shown: items.length })
      : items.length ? t("search_hits", { n: found.total }) : t("search_none");
    searchResults.replaceChildren(
      h("div", { class: "vt-search-head" }, h("b", {}, `“${found.query}”`), " · ", head,
        h("button", { type: "button", class: "vt-x", title: t("close"), onclick: () => { searchBox.value = ""; runSearch(); } }, "×")),
      h("ol", { class: "vt-hits" }, ...items.map((hit, i) =>
        h("li", {},
          h("button", { type: "button", class: "vt-hit-row", "data-segment": String(hit.segment), title: t("search_hit_title"), onclick: () => { flushMemos(); send({ type: "show_hit", index: i }, false); } },
            h("span", { class: "vt-hit-doc" }, hit.document),
            h("span", { class: "vt-hit-text" }, `…${hit.before}`, h("mark", { class: "vt-hit" }, hit.match), `${hit.after}…`))))),
    );
  }

  // ---- new codes while coding: named here, or in vivo from the selected words ---------------
  let newSpan = null;
  let newPending = null; // the seq of the "create and apply" not answered yet
  let lastParent = null; // the parent chosen for the last new code
  let messageSeq = 0;
  function openNewCode(inVivo) {
    const span = selectedSpan();
    if (span?.outside) {
      status.dataset.state = "error";
      status.textContent = t("select_inside");
      return;
    }
    newSpan = span;
    const text = model.get("segment")?.text || "";
    const words = span ? [...text].slice(span.start, span.end).join("").trim() : "";
    const book = model.get("codebook") || { codes: [] };
    const near = lastApplied ? codeById.get(lastApplied) : null;
    const fromCode = near ? (near.codable && !near.has_children ? near.parent || "" : near.id) : "";
    const parentDefault = lastParent !== null && (lastParent === "" || codeById.has(lastParent)) ? lastParent : fromCode;
    newParent.replaceChildren(h("option", { value: "" }, t("top_level")),
      ...book.codes.map((c) => h("option", { value: c.id }, `${"  ".repeat(c.depth)}${c.label}`)));
    newParent.value = parentDefault;
    newLabel.value = inVivo ? words.slice(0, 80) : "";
    newError.hidden = true;
    newPending = null;
    newForm.hidden = false;
    newLabel.focus();
    if (inVivo && !words) {
      status.dataset.state = "error";
      status.textContent = t("select_inside");
    }
  }
  function closeNewCode() {
    newForm.hidden = true;
    newError.hidden = true;
    newPending = null;
    newSpan = null;
    root.focus({ preventScroll: true });
  }
  newCodeButton.addEventListener("mousedown", (e) => e.preventDefault()); // keep the selection
  inVivoButton.addEventListener("mousedown", (e) => e.preventDefault());
  newCodeButton.addEventListener("click", () => openNewCode(false));
  inVivoButton.addEventListener("click", () => openNewCode(true));
  newForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const label = newLabel.value.trim();
    if (!label) return newLabel.focus();
    newPending = ++messageSeq;
    newError.hidden = true;
    send({ type: "new_code", seq: newPending, label, parent: newParent.value, ...(newSpan || {}) });
  });
  newForm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeNewCode();
  });

  function renderModes() {
    compareBox.checked = !!model.get("compare");
    const reviewing = !!model.get("review");
    reviewButton.setAttribute("aria-pressed", String(reviewing));
    reviewButton.classList.toggle("vt-active", reviewing);
    root.classList.toggle("vt-reviewing", reviewing);
    langSelect.value = model.get("lang");
    root.querySelector(".vt-coder").textContent = t("coder", { name: model.get("coder") });
  }

  const handlers = {
    "change:codebook": () => {
      renderCodes();
      renderSegment();
      renderFilters();
    },
    "change:keymap": renderHelp,
    "change:segment": renderSegment,
    "change:progress": () => {
      renderProgress();
      renderSuggestions(); // the empty review queue's hint depends on the open count
    },
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
    "change:strings": () => {
      relabel();
      renderCodes();
      renderSegment();
      renderProgress();
      renderStatus();
      renderSuggestions();
      renderFilters();
      renderHits();
    },
    "change:hits": renderHits,
    "change:reveal_seq": () => {
      root.scrollIntoView({ block: "nearest" });
      root.focus({ preventScroll: true });
    },
  };
  for (const [event, fn] of Object.entries(handlers)) model.on(event, fn);

  relabel();
  renderModes();
  renderCodes();
  renderSegment();
  renderHits();
  renderProgress();
  renderStatus();
  renderSuggestions();
  renderFilters();

  return () => {
    flushMemos();
    window.removeEventListener("pagehide", flushMemos);
    window.removeEventListener("beforeunload", flushMemos);
    document.removeEventListener("visibilitychange", flushHidden);
    for (const [event, fn] of Object.entries(handlers)) model.off(event, fn);
  };
}

export default { render };
