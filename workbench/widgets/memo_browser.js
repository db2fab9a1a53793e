// Vardag memo browser: the browser side of workbench.widgets.MemoBrowser.
//
// Renders the synced state (memos, filters, today's journal entry, status), reports filter
// changes, the journal's text and clicks on segment memos to Python.  No rules live here.

const TEXT_INPUTS = "textarea, input, select";

/** `text` with the code-point spans `marks` wrapped in <mark>. */
function marked(text, marks) {
  const out = [];
  let at = 0;
  for (const [start, end] of marks || []) {
    const a = codePointsToUtf16(text, start);
    const b = codePointsToUtf16(text, end);
    if (a > at) out.push(text.slice(at, a));
    out.push(h("mark", { class: "vm-hit" }, text.slice(a, b)));
    at = b;
  }
  out.push(text.slice(at));
  return out;
}

function render({ model, el }) {
  // The interface string `key` in the browser's language, `{name}` filled from `values`.
  const t = translator(model);

  // ---- skeleton ----------------------------------------------------------------------------
  const title = h("strong", { class: "vm-title" });
  const count = h("span", { class: "vm-count" });
  const kindLabel = h("span", {});
  const kindSelect = h("select", { class: "vm-f-kind" });
  const authorLabel = h("span", {});
  const authorSelect = h("select", { class: "vm-f-author" });
  const wordLabel = h("span", {});
  const wordInput = h("input", { type: "search", class: "vm-f-word" });
  const clearButton = h("button", { type: "button", class: "vm-btn vm-ghost vm-clear" });
  const refreshButton = h("button", { type: "button", class: "vm-btn vm-ghost vm-refresh" });
  const status = h("span", { class: "vm-status", role: "status", "aria-live": "polite" });
  const journalLabel = h("label", { class: "vm-journal-label", for: "" });
  const journalBox = h("textarea", { class: "vm-journal-text", rows: "3" });
  const journalHint = h("span", { class: "vm-muted vm-journal-hint" });
  const saveButton = h("button", { type: "button", class: "vm-btn vm-primary vm-save" });
  const list = h("ol", { class: "vm-list" });
  const more = h("p", { class: "vm-muted vm-more", hidden: true });

  const root = h(
    "div",
    { class: "vm-root", "data-lm-suppress-shortcuts": "true" },
    h(
      "header",
      { class: "vm-top" },
      h("div", { class: "vm-heading" }, title, count),
      h("label", { class: "vm-filter" }, kindLabel, kindSelect),
      h("label", { class: "vm-filter" }, authorLabel, authorSelect),
      h("label", { class: "vm-filter vm-filter-word" }, wordLabel, wordInput),
      clearButton,
      refreshButton,
      status,
    ),
    h("section", { class: "vm-journal" }, journalLabel, journalBox, h("div", { class: "vm-journal-foot" }, journalHint, saveButton)),
    list,
    more,
  );
  el.appendChild(root);

  // Typing never reaches JupyterLab's notebook shortcuts ("a", "b", "d d" would edit cells).
  root.addEventListener("keydown", (event) => {
    if (event.target instanceof Element && event.target.matches(TEXT_INPUTS)) event.stopPropagation();
  });

  function send(message) {
    model.send(message);
  }

  // ---- filters -----------------------------------------------------------------------------
  function fillSelect(select, options, chosen, allLabel) {
    select.replaceChildren(h("option", { value: "" }, allLabel), ...options.map((o) => h("option", { value: o.value }, o.label)));
    select.value = chosen || "";
  }
  kindSelect.addEventListener("change", () => send({ type: "filter", kind: kindSelect.value }));
  authorSelect.addEventListener("change", () => send({ type: "filter", author: authorSelect.value }));
  let wordTimer = null;
  wordInput.addEventListener("input", () => {
    clearTimeout(wordTimer);
    wordTimer = setTimeout(() => send({ type: "filter", word: wordInput.value }), 250);
  });
  clearButton.addEventListener("click", () => {
    wordInput.value = "";
    send({ type: "filter", kind: "", author: "", word: "" });
  });
  refreshButton.addEventListener("click", () => send({ type: "refresh" }));

  // ---- the journal: saved as typed, never replaced while typed in, never saved untyped ------
  // `dirty` is set only by typing, so a box filled from the stored entry (after a reload,
  // a refresh, another window's change) is never written back, least of all as empty.
  const journal = { timer: null, saved: null, date: null, dirty: false };
  function saveJournal() {
    clearTimeout(journal.timer);
    journal.timer = null;
    if (!journal.dirty || journalBox.value === journal.saved) return;
    journal.dirty = false;
    journal.saved = journalBox.value;
    status.dataset.state = "saving";
    status.textContent = t("saving");
    send({ type: "journal", date: journal.date, text: journalBox.value });
  }
  journalBox.addEventListener("input", () => {
    journal.dirty = true;
    clearTimeout(journal.timer);
    journal.timer = setTimeout(saveJournal, 300);
  });
  journalBox.addEventListener("blur", saveJournal);
  // A reload or a closed tab right after typing loses nothing: the entry is sent first.
  // Back on the page (another tab, window or kernel may have written memos): read them again,
  // at most every few seconds and never over an entry being typed.
  let lastRead = performance.now();
  function reread() {
    if (journal.dirty || performance.now() - lastRead < 3000) return;
    lastRead = performance.now();
    send({ type: "refresh" });
  }
  const saveHidden = () => (document.visibilityState === "hidden" ? saveJournal() : reread());
  window.addEventListener("focus", reread);
  window.addEventListener("pagehide", saveJournal);
  window.addEventListener("beforeunload", saveJournal);
  document.addEventListener("visibilitychange", saveHidden);
  saveButton.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus
  saveButton.addEventListener("click", saveJournal);

  function renderJournal() {
    const j = model.get("journal") || {};
    journalLabel.textContent = t("journal_for", { date: j.date || "", author: j.author || "" });
    const typing = journal.dirty && journal.date === j.date;
    if (typing) return; // what is being typed is saved for its day, never replaced
    if (journalBox.value !== (j.text || "")) journalBox.value = j.text || "";
    journal.saved = j.text || "";
    journal.date = j.date;
  }

  // ---- the list ----------------------------------------------------------------------------
  function renderList() {
    const memos = model.get("memos") || [];
    const total = model.get("total") || 0;
    const matching = model.get("count") || 0;
    list.replaceChildren();
    count.textContent = matching !== total
      ? t("count_filtered", { n: matching, total })
      : total === 1 ? t("count_one") : t("count", { n: total });
    if (!memos.length) {
      list.append(h("li", { class: "vm-empty" }, total ? t("no_match") : t("none")));
    }
    for (const m of memos) {
      const open = m.segment != null
        ? () => send({ type: "open", segment: m.segment })
        : null;
      list.append(
        h(
          "li",
          { class: `vm-memo vm-kind-${m.kind}`, "data-kind": m.kind, "data-segment": m.segment ?? undefined },
          h(
            "div",
            { class: "vm-memo-head" },
            h("span", { class: "vm-kind" }, m.kind_label),
            open
              ? h("button", { type: "button", class: "vm-on vm-link", title: t("open_title"), onclick: open }, m.on)
              : h("span", { class: "vm-on" }, m.on),
            h("span", { class: "vm-meta" }, h("span", { class: "vm-author" }, m.author), " · ", h("time", { datetime: m.updated_at }, m.updated)),
            open ? h("button", { type: "button", class: "vm-btn vm-ghost vm-open", title: t("open_title"), onclick: open }, t("open")) : null,
          ),
          h("div", { class: "vm-text" }, ...marked(m.text, m.marks)),
        ),
      );
    }
    more.hidden = matching <= memos.length;
    more.textContent = t("shown", { shown: memos.length, n: matching });
  }

  function renderFilters() {
    const f = model.get("filters") || {};
    const o = model.get("options") || {};
    fillSelect(kindSelect, o.kinds || [], f.kind, t("all_kinds"));
    fillSelect(authorSelect, o.authors || [], f.author, t("all_authors"));
    if (document.activeElement !== wordInput) wordInput.value = f.word || "";
  }

  function renderStatus() {
    const s = model.get("status") || {};
    status.dataset.state = s.state || "idle";
    status.textContent = s.state === "error" ? `⚠ ${s.text}` : s.text || "";
    status.title = status.textContent; // the whole of it on hover, should the line be cut
  }

  function renderStrings() {
    title.textContent = t("title");
    kindLabel.textContent = t("kind");
    authorLabel.textContent = t("author");
    wordLabel.textContent = t("word");
    wordInput.placeholder = t("search");
    clearButton.textContent = t("clear");
    refreshButton.textContent = t("refresh");
    refreshButton.title = t("refresh_title");
    journalBox.placeholder = t("journal_placeholder");
    journalHint.textContent = t("journal_hint");
    saveButton.textContent = t("save");
    renderFilters();
    renderJournal();
    renderList();
    renderStatus();
  }

  const handlers = {
    "change:strings": renderStrings,
    "change:filters": renderFilters,
    "change:options": renderFilters,
    "change:memos": renderList,
    "change:count": renderList,
    "change:total": renderList,
    "change:journal": renderJournal,
    "change:status": renderStatus,
  };
  for (const [event, fn] of Object.entries(handlers)) model.on(event, fn);
  renderStrings();

  return () => {
    saveJournal();
    window.removeEventListener("pagehide", saveJournal);
    window.removeEventListener("beforeunload", saveJournal);
    document.removeEventListener("visibilitychange", saveHidden);
    window.removeEventListener("focus", reread);
    for (const [event, fn] of Object.entries(handlers)) model.off(event, fn);
  };
}

export default { render };
