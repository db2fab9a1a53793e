// Vardag document view: the browser side of workbench.widgets.DocumentView.
//
// Draws the synced transcript (turns), its codings as stripes in one margin lane per code and
// as highlights in the text, and a small tooltip naming code and coder.  Filters (layer, code)
// are applied here without asking Python; which layers a coding belongs to comes with it.
// A click on a participant's turn sends {type: "open", segment} to Python.  Text is always
// inserted as text nodes, never as HTML.  Offsets arrive as code points into the turn's text.

/** The codings a filter shows (the rule of workbench.widgets._document_view.visible). */
export function visibleCodings(codings, layer, code) {
  return codings.filter((c) => c.layers.includes(layer) && (!code || c.code === code));
}

/**
 * Cut `text` at the edges of `spans` ({start, end} in code points): the pieces in order, each
 * {from, to} in UTF-16 units with `cover`, the indexes of the spans covering it.
 */
export function pieces(text, spans) {
  const edges = spans.map((s) => [codePointsToUtf16(text, s.start), codePointsToUtf16(text, s.end)]);
  const cuts = new Set([0, text.length]);
  for (const [a, b] of edges) {
    cuts.add(a);
    cuts.add(b);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    if (from === to) continue;
    const cover = [];
    edges.forEach(([a, b], k) => {
      if (a <= from && to <= b) cover.push(k);
    });
    out.push({ from, to, cover });
  }
  return out;
}

function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

function laneWidth(count) {
  return count <= 12 ? 18 : count <= 24 ? 14 : 10;
}

const MAX_BANDS = 3; // underline bands under a highlight (the tooltip names every coding)
const MAX_SLOTS = 4; // coders side by side in one lane

function render({ model, el }) {
  // A string in the view's language; with `n` 1 its singular form (`key_one`) when there is one.
  const S = (key, values) => {
    const strings = model.get("strings") || {};
    const one = values?.n === 1 && strings[`${key}_one`] ? `${key}_one` : key;
    return fill(strings[one] || key, values || {});
  };

  // ---- skeleton ----------------------------------------------------------------------------
  const docName = h("span", { class: "dv-doc" });
  const participant = h("span", { class: "dv-participant" });
  const attrs = h("span", { class: "dv-attrs" });
  const counts = h("span", { class: "dv-counts" });
  const layerSelect = h("select", { class: "dv-f-layer" });
  const codeSelect = h("select", { class: "dv-f-code" });
  const layerLabel = h("span", {});
  const codeLabel = h("span", {});
  const refresh = h("button", { class: "dv-btn dv-ghost dv-refresh", type: "button" });
  const status = h("span", { class: "dv-status", "data-state": "idle", role: "status", "aria-live": "polite" });
  const top = h(
    "header",
    { class: "dv-top" },
    h("div", { class: "dv-brand" }, h("strong", {}, "Vardag"), docName, participant, attrs),
    h(
      "div",
      { class: "dv-tools" },
      counts,
      h("label", { class: "dv-filter" }, layerLabel, layerSelect),
      h("label", { class: "dv-filter" }, codeLabel, codeSelect),
      refresh,
    ),
    status,
  );
  // The lanes' labels stand at the top and scroll away with the text; a strip of their colours
  // stays on top (hover: the label; click: only this code), so long labels are never cut.
  const heads = h("div", { class: "dv-heads" });
  const headLabel = h("div", { class: "dv-head-note" });
  const head = h("div", { class: "dv-head" }, h("div", {}), headLabel, heads);
  const swatches = h("div", { class: "dv-swatches" });
  const strip = h("div", { class: "dv-strip" }, h("div", {}), h("div", {}), swatches);
  const body = h("div", { class: "dv-body" });
  const scroller = h("div", { class: "dv-scroll" }, head, strip, body);
  const tip = h("div", { class: "dv-tip", role: "tooltip", hidden: true });
  const root = h("div", { class: "dv-root", "data-render": "0" }, top, scroller, tip);
  el.appendChild(root);

  let pending = []; // partial stripes waiting to be placed: {stripe, first, last, track}
  let drawnAt = 0;
  let renders = 0;

  // ---- filters ---------------------------------------------------------------------------
  function filters() {
    const f = model.get("filters") || {};
    return { layer: f.layer || "all", code: f.code || "" };
  }

  function setFilters(change) {
    model.set("filters", { ...filters(), ...change });
    model.save_changes();
  }

  layerSelect.addEventListener("change", () => setFilters({ layer: layerSelect.value }));
  codeSelect.addEventListener("change", () => setFilters({ code: codeSelect.value }));
  refresh.addEventListener("click", () => {
    status.dataset.state = "busy";
    status.textContent = "…";
    model.send({ type: "refresh" });
  });

  function renderTop() {
    const doc = model.get("document") || {};
    const turns = model.get("turns") || [];
    docName.textContent = doc.name || "";
    participant.textContent = doc.participant || "";
    participant.hidden = !doc.participant;
    participant.title = S("docview_participant");
    attrs.replaceChildren(...Object.entries(doc.attributes || {}).map(([k, v]) => h("span", { class: "dv-attr", title: k }, `${k}: ${v}`)));
    layerLabel.textContent = S("docview_layer");
    codeLabel.textContent = S("docview_code");
    refresh.textContent = S("docview_refresh");
    refresh.title = S("docview_refresh_hint");
    root.setAttribute("lang", model.get("lang") || "");
  }

  function renderFilters(shown, total, code) {
    const f = filters();
    layerSelect.replaceChildren(...(model.get("layers") || []).map((l) => h("option", { value: l.value, title: l.hint || null }, l.label)));
    layerSelect.value = f.layer;
    const lanes = model.get("lanes") || [];
    codeSelect.replaceChildren(h("option", { value: "" }, S("docview_all_codes")), ...lanes.map((l) => h("option", { value: l.code }, l.label)));
    codeSelect.value = f.code;
    const turns = (model.get("turns") || []).length;
    const turnText = turns === 1 ? S("docview_turns_one") : S("docview_turns", { n: turns });
    const codingText = code ? S("docview_codings", { shown, total }) : shown === 1 ? S("docview_codings_one") : S("docview_codings_all", { n: shown });
    counts.textContent = `${turnText} · ${codingText}`;
  }

  // ---- the transcript ------------------------------------------------------------------------
  function draw() {
    const started = performance.now();
    const keep = scroller.scrollTop;
    const turns = model.get("turns") || [];
    const all = model.get("codings") || [];
    const lanesAll = model.get("lanes") || [];
    const f = filters();
    const shown = visibleCodings(all, f.layer, f.code);
    const inLayer = f.code ? visibleCodings(all, f.layer, "").length : shown.length;
    const lanes = f.code ? lanesAll.filter((l) => l.code === f.code) : lanesAll;
    const laneOf = new Map(lanes.map((l, i) => [l.code, i]));
    const byCode = new Map(lanesAll.map((l) => [l.code, l]));
    const layers = model.get("layers") || [];
    const coders = layers.map((l) => l.value).filter((v) => v !== "all" && v !== "consensus");
    const slots = f.layer === "all" ? Math.max(1, Math.min(coders.length, MAX_SLOTS)) : 1;
    const slotOf = new Map(coders.map((c, i) => [c, i % MAX_SLOTS]));
    const lw = laneWidth(lanes.length);
    const slotWidth = (lw - 4) / slots;
    const lanesWidth = Math.max(lanes.length * lw, 24) + 6;
    root.style.setProperty("--dv-lanes", `${lanesWidth}px`);
    root.style.setProperty("--dv-lane", `${lw}px`);
    root.style.setProperty("--dv-label", `${Math.min(11.5, lw - 1)}px`); // narrow lanes: no overlap
    renderFilters(shown.length, inLayer, f.code);

    const perLane = new Map();
    for (const c of shown) perLane.set(c.code, (perLane.get(c.code) || 0) + 1);
    const laneButtons = (kind) =>
      lanes.map((l) => {
        const n = perLane.get(l.code) || 0;
        const tipText = S(f.code ? "docview_lane_hint_on" : "docview_lane_hint", { name: l.label, n });
        const attrs = { type: "button", class: `${kind}${n ? "" : " dv-lane-empty"}`, "data-code": l.code, "aria-label": tipText, style: `--c:${l.color};width:${lw}px` };
        if (kind === "dv-lane-head") return h("button", { ...attrs, "data-tip": tipText }, h("span", { class: "dv-lane-label" }, l.label));
        return h("button", { ...attrs, "data-tip": tipText });
      });
    heads.replaceChildren(...laneButtons("dv-lane-head"));
    swatches.replaceChildren(...laneButtons("dv-lane-swatch"));
    headLabel.replaceChildren(h("span", { class: "dv-hint" }, turns.length ? S("docview_hint") : S("docview_no_turns")));
    if (turns.length && !shown.length) headLabel.append(h("span", { class: "dv-none" }, S("docview_no_codings")));

    const indexOf = new Map(all.map((c, i) => [c, i])); // a coding's place in the payload
    const perTurn = new Map();
    for (const c of shown) {
      if (!perTurn.has(c.turn)) perTurn.set(c.turn, []);
      perTurn.get(c.turn).push(c);
    }
    const label = (code) => byCode.get(code)?.label || code;
    const color = (code) => byCode.get(code)?.color || "#888888";
    const who = (coder) => (coder === "consensus" ? S("docview_consensus") : coder);
    const opened = model.get("opened");
    const frag = document.createDocumentFragment();
    pending = [];
    turns.forEach((t, i) => {
      const mine = perTurn.get(i) || [];
      const textEl = h("div", { class: "dv-text" });
      const track = h("div", { class: "dv-track" });
      const spans = mine.filter((c) => !c.whole);
      const marks = spans.map(() => []);
      for (const p of pieces(t.text, spans)) {
        const piece = t.text.slice(p.from, p.to);
        if (!p.cover.length) {
          textEl.append(document.createTextNode(piece));
          continue;
        }
        const cover = p.cover.map((k) => spans[k]);
        const codes = [...new Set(cover.map((c) => c.code))];
        const bands = codes.slice(0, MAX_BANDS).map((code, k) => `inset 0 -${2 * (k + 1)}px 0 ${color(code)}`);
        const mark = h("mark", {
          class: "dv-hl",
          "data-codes": codes.join(" "),
          "data-codings": cover.map((c) => indexOf.get(c)).join(" "),
          "data-tip": cover.map((c) => `${label(c.code)} · ${who(c.coder)}${c.origin === "suggestion" ? ` · ${S("docview_suggested")}` : ""}`).join("\n"),
          style: `background:${rgba(color(codes[codes.length - 1]), 0.2)};box-shadow:${bands.join(",")};padding-bottom:${2 * bands.length}px`,
        }, piece);
        for (const k of p.cover) marks[k].push(mark);
        textEl.append(mark);
      }
      for (const c of mine) {
        const lane = laneOf.get(c.code);
        if (lane === undefined) continue;
        const slot = slots > 1 ? slotOf.get(c.coder) ?? 0 : 0;
        const quote = c.whole ? S("docview_whole_turn") : `“${[...t.text].slice(c.start, c.end).join("").slice(0, 160)}”`;
        const stripe = h("span", {
          class: `dv-stripe${c.whole ? " dv-whole" : ""}${c.origin === "suggestion" ? " dv-suggested" : ""}`,
          "data-coding": indexOf.get(c),
          "data-code": c.code,
          "data-coder": c.coder,
          "data-tip": `${label(c.code)} · ${who(c.coder)}${c.origin === "suggestion" ? ` · ${S("docview_suggested")}` : ""}\n${quote}`,
          style: `left:${lane * lw + 2 + slot * slotWidth}px;width:${Math.max(slotWidth - (slots > 1 ? 1 : 0), 2)}px;background:${color(c.code)}`,
        });
        track.append(stripe);
        if (!c.whole) {
          const k = spans.indexOf(c);
          pending.push({ stripe, marks: marks[k], track });
        }
      }
      const codable = !!t.codable;
      const row = h(
        "div",
        {
          class: `dv-turn dv-${t.role}${opened === t.segment ? " dv-opened" : ""}`,
          "data-segment": t.segment,
          "data-position": t.position,
          role: codable ? "button" : null,
          tabindex: codable ? "0" : null,
          "aria-label": S(codable ? "docview_turn_hint" : "docview_context_hint", { position: t.position }),
        },
        h(
          "div",
          { class: "dv-who" },
          h("span", { class: "dv-speaker" }, t.speaker || S(codable ? "docview_speaker" : "docview_interviewer")),
          t.time ? h("span", { class: "dv-time" }, t.time) : null,
          h("span", { class: "dv-no" }, `#${t.position}`),
        ),
        textEl,
        h("div", { class: "dv-lanes" }, track),
      );
      frag.append(row);
    });
    body.replaceChildren(frag);
    textLang();
    scroller.scrollTop = keep;
    drawnAt = started;
    place();
  }

  function textLang() {
    const lang = (model.get("document") || {}).language || "";
    if (lang) body.setAttribute("lang", lang);
  }

  /** Put every partial stripe over the lines its span covers (read all, then write all). */
  function place() {
    if (!root.isConnected || body.clientWidth === 0) return;
    const tracks = new Map();
    const spots = pending.map(({ marks, track }) => {
      if (!tracks.has(track)) tracks.set(track, track.getBoundingClientRect().top);
      if (!marks.length) return null;
      const first = marks[0].getClientRects();
      const last = marks[marks.length - 1].getClientRects();
      if (!first.length || !last.length) return null;
      const top0 = tracks.get(track);
      return [first[0].top - top0, last[last.length - 1].bottom - top0];
    });
    pending.forEach(({ stripe }, i) => {
      const spot = spots[i];
      if (!spot) return;
      stripe.style.top = `${Math.max(0, spot[0]).toFixed(1)}px`;
      stripe.style.height = `${Math.max(4, spot[1] - spot[0]).toFixed(1)}px`;
    });
    if (drawnAt) {
      root.dataset.renderMs = (performance.now() - drawnAt).toFixed(1);
      renders += 1;
      root.dataset.render = String(renders);
      drawnAt = 0;
    }
  }

  let placing = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(placing);
    placing = requestAnimationFrame(place);
  });
  observer.observe(body);

  // ---- events (delegated: one listener for every turn) ----------------------------------
  let awaitingTagger = 0; // when the user clicked a turn: until then
  function open(row) {
    if (!row || !row.classList.contains("dv-interviewee")) return;
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed && row.contains(sel.anchorNode)) return; // selecting to copy
    status.dataset.state = "busy";
    status.textContent = "…";
    awaitingTagger = performance.now() + 5000;
    model.send({ type: "open", segment: Number(row.dataset.segment) });
  }

  /** Bring the tagger below the view (the same widget box) into sight once it is drawn. */
  function showTagger() {
    if (performance.now() > awaitingTagger) return;
    const tagger = root.closest(".widget-vbox")?.querySelector(".vt-root");
    if (!tagger) {
      requestAnimationFrame(showTagger);
      return;
    }
    awaitingTagger = 0;
    tagger.scrollIntoView({ block: "nearest" });
  }
  body.addEventListener("click", (event) => open(event.target.closest(".dv-turn")));
  body.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const row = event.target.closest(".dv-turn");
    if (row && event.target === row) {
      event.preventDefault();
      open(row);
    }
  });
  scroller.addEventListener("click", (event) => {
    const headEl = event.target.closest(".dv-lane-head, .dv-lane-swatch");
    if (!headEl) return;
    const code = headEl.dataset.code;
    setFilters({ code: filters().code === code ? "" : code });
  });

  function showTip(target, x, y) {
    if (tip.textContent !== target.dataset.tip) tip.textContent = target.dataset.tip;
    tip.style.left = "0px"; // measure at full width before placing it
    tip.hidden = false;
    const box = root.getBoundingClientRect();
    const width = tip.offsetWidth;
    const left = Math.min(x - box.left + 14, box.width - width - 6);
    tip.style.left = `${Math.max(4, left)}px`;
    tip.style.top = `${y - box.top + 16}px`;
  }
  let tipFor = null;
  root.addEventListener("mousemove", (event) => {
    const target = event.target.closest?.("[data-tip]");
    if (!target || !root.contains(target)) {
      if (tipFor) tip.hidden = true;
      tipFor = null;
      return;
    }
    tipFor = target;
    showTip(target, event.clientX, event.clientY);
  });
  root.addEventListener("mouseleave", () => {
    tip.hidden = true;
    tipFor = null;
  });

  function renderStatus() {
    const s = model.get("status") || {};
    status.dataset.state = s.state || "idle";
    status.textContent = s.state === "error" ? `⚠ ${s.text}` : s.text || "";
    status.title = status.textContent; // the whole of it on hover, should the line be cut
  }

  function renderOpened() {
    const id = model.get("opened");
    for (const row of body.querySelectorAll(".dv-opened")) row.classList.remove("dv-opened");
    const row = body.querySelector(`.dv-turn[data-segment="${Number(id)}"]`);
    if (row) row.classList.add("dv-opened");
    if (awaitingTagger) showTagger();
  }

  // Python sends turns, codings, lanes and layers in one update: draw once for all of them.
  let queued = false;
  function redraw() {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      draw();
    });
  }

  const handlers = {
    "change:turns": redraw,
    "change:codings": redraw,
    "change:lanes": redraw,
    "change:layers": redraw,
    "change:filters": redraw,
    "change:strings": () => {
      renderTop();
      redraw();
    },
    "change:document": renderTop,
    "change:status": renderStatus,
    "change:opened": renderOpened,
  };
  for (const [event, fn] of Object.entries(handlers)) model.on(event, fn);

  renderTop();
  draw();
  renderStatus();

  return () => {
    observer.disconnect();
    for (const [event, fn] of Object.entries(handlers)) model.off(event, fn);
  };
}

export default { render };
