// Page-side probes of benchmarks/canvas_render.py, installed before the app's own scripts: the token
// (the canvas opens signed in), the first-render watch, a requestAnimationFrame recorder and pans.
// window.__benchConfig = { token, nodes: [[id, x, y], ...], edges, sway: { x, y, periodX, periodY } }.
(() => {
  const config = window.__benchConfig;
  sessionStorage.setItem("studio.token", config.token);
  const bench = (window.__bench = { firstRender: null, inViewAtFirstRender: 0 });

  const flowElement = () => document.querySelector(".svelte-flow");
  const zoomElement = () => document.querySelector(".svelte-flow__zoom");

  // Svelte Flow writes the viewport as "translate(Xpx, Ypx) scale(Z)" on .svelte-flow__viewport.
  function viewport() {
    const element = document.querySelector(".svelte-flow__viewport");
    const match = element && /translate\(([^p]+)px, ([^p]+)px\) scale\(([^)]+)\)/.exec(element.style.transform);
    return match ? { x: Number(match[1]), y: Number(match[2]), zoom: Number(match[3]) } : null;
  }

  // Nodes whose top-left corner lies inside a pane of this size: a lower bound of what must be drawn, computed
  // from the graph the benchmark saved, not from the DOM under test.
  function inView(width, height) {
    const view = viewport();
    if (!view) return [];
    return config.nodes.filter(([, x, y]) => {
      const left = x * view.zoom + view.x;
      const top = y * view.zoom + view.y;
      return left >= 0 && left < width && top >= 0 && top < height;
    });
  }

  bench.nodesInView = () => {
    const flow = flowElement();
    if (!flow) return [];
    const { width, height } = flow.getBoundingClientRect();
    return inView(width, height);
  };

  bench.viewport = viewport;

  // The pane's size while the first render is watched, from a ResizeObserver: getBoundingClientRect in the watch
  // would force a layout in every frame of the render it times (the probe's work, not the canvas's).
  let paneSize = null;
  let observed = null;
  function observePane() {
    const flow = flowElement();
    if (!flow || flow === observed) return;
    observed = flow;
    new ResizeObserver(([entry]) => {
      const [box] = entry.borderBoxSize;
      paneSize = { width: box.inlineSize, height: box.blockSize };
    }).observe(flow);
  }

  // Drawn: every node in view (at the fitted first view) is in the DOM and measured, and edges are laid out.
  function drawn() {
    observePane();
    const expected = paneSize ? inView(paneSize.width, paneSize.height) : [];
    if (expected.length === 0) return false;
    const shown = new Map();
    for (const element of document.querySelectorAll(".svelte-flow__node")) shown.set(element.dataset.id, element);
    // A node Svelte Flow has not measured yet is drawn at its hinted size (an inline width; this graph has no
    // sized scene groups): it counts once measured.
    const drawnNode = (element) => element?.style.visibility === "visible" && element.style.width === "";
    const allShown = expected.every(([id]) => drawnNode(shown.get(id)));
    const edgesShown = config.edges === 0 || document.querySelector(".svelte-flow__edge") !== null;
    if (allShown && edgesShown) bench.inViewAtFirstRender = expected.length;
    return allShown && edgesShown;
  }

  function watch() {
    if (!drawn()) return requestAnimationFrame(watch);
    // One more frame: the one that paints what the check saw.
    requestAnimationFrame((now) => (bench.firstRender = now));
  }
  requestAnimationFrame(watch);

  bench.graphInStore = () => performance.getEntriesByName("studio:graph-in-store")[0]?.startTime ?? null;

  let frames = null;
  bench.startFrames = () => {
    const recording = (frames = []);
    const tick = (now) => {
      if (frames !== recording) return;
      recording.push(now);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  bench.stopFrames = () => {
    const recorded = frames;
    frames = null;
    return recorded;
  };

  // A point of the empty pane (not a node, handle or edge) near (x, y): a drag there pans.
  bench.panePoint = (x, y) => {
    for (let radius = 0; radius < 400; radius += 4) {
      for (let step = 0; step < Math.max(1, radius); step += 1) {
        const angle = (step / Math.max(1, radius)) * 2 * Math.PI;
        const px = Math.round(x + radius * Math.cos(angle));
        const py = Math.round(y + radius * Math.sin(angle));
        if (document.elementFromPoint(px, py)?.classList.contains("svelte-flow__pane")) return [px, py];
      }
    }
    return null;
  };

  const mouse = (type, x, y) =>
    new MouseEvent(type, {
      clientX: x,
      clientY: y,
      button: 0,
      buttons: type === "mouseup" ? 0 : 1,
      bubbles: true,
      cancelable: true,
      view: window,
    });

  bench.sway = (seconds) => [
    config.sway.x * Math.sin((2 * Math.PI * seconds) / config.sway.periodX),
    config.sway.y * Math.sin((2 * Math.PI * seconds) / config.sway.periodY),
  ];

  // The programmatic pan: one mouse move per frame, dispatched from requestAnimationFrame, through
  // the same d3-zoom listeners a pointer drag reaches. Resolves with the frame timestamps.
  bench.syntheticPan = (x, y, milliseconds) =>
    new Promise((resolve) => {
      document.elementFromPoint(x, y).dispatchEvent(mouse("mousedown", x, y));
      const recorded = [];
      const step = (now) => {
        recorded.push(now);
        const [dx, dy] = bench.sway((now - recorded[0]) / 1000);
        window.dispatchEvent(mouse("mousemove", x + dx, y + dy));
        if (now - recorded[0] < milliseconds) return requestAnimationFrame(step);
        window.dispatchEvent(mouse("mouseup", x + dx, y + dy));
        resolve(recorded);
      };
      requestAnimationFrame(step);
    });

  // Moves the view to (x, y, zoom) even below the app's minZoom: d3-zoom keeps the transform on its
  // element as __zoom and applies it on the next drag, which a click-sized drag at (px, py) provides.
  bench.setViewport = (x, y, zoom, px, py) => {
    const element = zoomElement();
    element.__zoom = new element.__zoom.constructor(zoom, x, y);
    document.elementFromPoint(px, py).dispatchEvent(mouse("mousedown", px, py));
    window.dispatchEvent(mouse("mousemove", px, py));
    window.dispatchEvent(mouse("mouseup", px, py));
  };
})();
