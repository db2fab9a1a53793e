// A plotly chart drawn from the `figure` trait; clicks go back to Python as messages.
// Plotly itself comes from the page (the template's script or the PlotlyLoader widget), never
// from the network; it may still be loading when a chart is first rendered.
//
// A chart out of sight is drawn when it comes into sight: a filter change redraws what the
// viewer sees at once, and the charts further down as they are scrolled to.  Its element says
// which figure it shows (`data-version`) and, while one waits, which is pending
// (`data-pending`), so tests and benchmarks can tell drawn from waiting.

// The next animation frame: a filter change updates many widgets at once, and charts drawn
// in one frame, after the text widgets changed, make the page lay itself out once, not once
// per chart.
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
// How far outside the window a chart counts as in sight (drawn ahead of a scroll).
const MARGIN = "200px";

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
  let again = false;
  let visible = false;
  const draw = async (later) => {
    // One draw at a time; changes arriving meanwhile collapse into one more draw.
    if (drawing) {
      again = true;
      return drawing;
    }
    drawing = (async () => {
      if (later) {
        await nextFrame();
      }
      do {
        again = false;
        const fig = model.get("figure") || {};
        await Plotly.react(div, fig.data || [], fig.layout || {}, { displayModeBar: false });
      } while (again);
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
      delete div.dataset.pending;
      drawing = null;
    })();
    return drawing;
  };
  const stale = () => div.dataset.version !== String(model.get("version"));
  // A new figure: drawn now if in sight, else when it comes into sight.
  const changed = () => {
    if (visible) {
      draw(true);
    } else {
      div.dataset.pending = String(model.get("version"));
    }
  };
  const sight = new IntersectionObserver(
    (entries) => {
      visible = entries.some((e) => e.isIntersecting);
      if (visible && stale()) {
        draw(false);
      }
    },
    { rootMargin: MARGIN },
  );
  // Listen before the first draw: a new figure may arrive while it is drawn.  The first draw
  // too waits until the chart is in sight (the observer reports at once if it is).
  model.on("change:version", changed);
  div.dataset.pending = String(model.get("version"));
  sight.observe(div);
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
    sight.disconnect();
    model.off("change:version", changed);
    Plotly.purge(div);
  };
}

export default { render };
