// A plotly chart drawn from the `figure` trait; clicks go back to Python as messages.
// Plotly itself comes from the page (the template's script or the PlotlyLoader widget), never
// from the network; it may still be loading when a chart is first rendered.

// The next animation frame: a filter change updates many widgets at once, and charts drawn
// in one frame, after the text widgets changed, make the page lay itself out once, not once
// per chart.
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function whenPlotly() {
  return new Promise((resolve) => {
    const tick = () => (window.Plotly ? resolve(window.Plotly) : setTimeout(tick, 20));
    tick();
  });
}

async function render({ model, el }) {
  // The chart's element exists at once (without data-version until drawn), so a page that
  // waits for every chart never mistakes a chart still waiting for plotly.js for none.
  const div = document.createElement("div");
  div.className = "vd-chart";
  el.appendChild(div);
  const Plotly = await whenPlotly();
  // Drawn before it is on the page, a chart takes plotly's default width (700 px), overflowing a
  // narrow column or leaving a wide one half empty: wait (a few frames at most) until it is.
  for (let i = 0; i < 10 && !div.isConnected; i++) {
    await nextFrame();
  }
  let wired = false;
  let drawing = null;
  let pending = false;
  const draw = async (later) => {
    // One draw at a time; changes arriving meanwhile collapse into one more draw.
    if (drawing) {
      pending = true;
      return drawing;
    }
    drawing = (async () => {
      if (later) {
        await nextFrame();
      }
      do {
        pending = false;
        const fig = model.get("figure") || {};
        await Plotly.react(div, fig.data || [], fig.layout || {}, { displayModeBar: false });
      } while (pending);
      if (!wired) {
        wired = true;
        div.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point) {
            model.send({ event: "click", customdata: point.customdata ?? null });
          }
        });
      }
      div.dataset.version = String(model.get("version"));
      drawing = null;
    })();
    return drawing;
  };
  // Listen before the first draw: a new figure may arrive while it is drawn.
  const redraw = () => draw(true);
  model.on("change:version", redraw);
  await draw(false);
  // Fit the chart to its column whenever that changes (window resized, a section shown).
  const fit = () => {
    const width = div._fullLayout && div._fullLayout.width;
    if (width && div.clientWidth > 0 && Math.abs(width - div.clientWidth) >= 1) {
      (drawing || Promise.resolve()).then(() => Plotly.Plots.resize(div));
    }
  };
  const observer = new ResizeObserver(fit);
  observer.observe(div);
  return () => {
    observer.disconnect();
    model.off("change:version", redraw);
    Plotly.purge(div);
  };
}

export default { render };
