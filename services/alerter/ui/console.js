// The analyst console: reads the alerter's history API (/alerts, /alerts/stream, /quantities, /quantities/{key})
// and draws with plain SVG, laid out by timeline.js. Nothing is fetched from anywhere else.
// Article text is data, never markup: every node is built with createElement and filled with text nodes or
// textContent (nothing is parsed as HTML), and only http(s) addresses become links.
"use strict";

const PAGE = 50;
const FALLBACK_MS = 30000;  // a slow re-read in case the event stream is down; new alerts come by the stream
// Sources get these, in order of first appearance in the quantity: no red (contradiction and denial) and no
// black (retraction), and none is a shade of another.
const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#56b4e9", "#7b4fa0", "#8c6d31", "#cc79a7", "#2f6f6f",
                 "#88a61b", "#4b4b9b"];
const UNATTRIBUTED = "#8a8a8a";
const ALARM = "#c8102e";  // contradiction ring and denial cross only
const state = { alerts: [], total: 0, offset: 0, quantities: [], selected: null, data: null };

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "onclick") node.addEventListener("click", value);
    // inline handlers, styles and addresses go through the checked paths below, never as attributes
    else if (/^on|^style$|href$|^src$/i.test(name)) throw new Error(`el(): attribute ${name} is not allowed`);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (/^on|^style$|href$|^src$/i.test(name)) throw new Error(`svg(): attribute ${name} is not allowed`);
    node.setAttribute(name, value);
  }
  if (text !== null) node.textContent = text;
  return node;
}

// An article's address as a link only when it parses as an absolute http(s) URL; anything else
// (javascript:, data:, a relative path, garbage) is shown as plain text.
function httpUrl(text) {
  if (typeof text !== "string") return null;
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url : null;
}

function articleLink(figure) {
  const url = httpUrl(figure.article_url);
  if (url) {
    const link = el("a", { rel: "noopener noreferrer", class: "article" }, "the article");
    link.href = url.href;
    return link;
  }
  const label = figure.article_url ? `article ${figure.article_id}: ${figure.article_url}` : `article ${figure.article_id}`;
  return el("span", { class: "article" }, label);
}

function headlineOf(claim) {
  return [claim.headline, claim.outlet].filter(Boolean).join(" · ");
}

// colours are given per quantity, by first appearance, so two sources of one timeline never share one
function sourceColors(figures) {
  const colors = new Map();
  for (const figure of figures) {
    const name = figure.source || "";
    if (!colors.has(name)) colors.set(name, name ? PALETTE[[...colors.keys()].filter(Boolean).length % PALETTE.length] : UNATTRIBUTED);
  }
  return colors;
}

function fmt(value) {
  if (value === null || value === undefined) return "…";
  return Math.abs(value) < 10 && !Number.isInteger(value) ? String(value) : Math.round(value).toLocaleString("en-US");
}

function shortFmt(value) {
  const units = [[1e9, "B"], [1e6, "M"], [1e3, "k"]];
  for (const [size, unit] of units) if (Math.abs(value) >= size) return `${+(value / size).toFixed(1)}${unit}`;
  return fmt(value);
}

function interval(figure) {
  if (!figure) return "";
  if (figure.lower !== null && figure.upper !== null && figure.lower === figure.upper) return fmt(figure.lower);
  return `[${fmt(figure.lower)}, ${fmt(figure.upper)}]`;
}

async function getJSON(path, withTotal = false) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (response.status === 401) {
    window.location.assign("./");  // the session expired: the page answers with the login form
    throw new Error("the session has expired: log in again");
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const body = await response.json();
  const missing = response.headers.get("X-Claimwatch-Missing");
  state.missing = state.missing || missing;  // a worker that did not answer: the view is partial, and says so
  return withTotal ? [body, Number(response.headers.get("X-Total-Count") || body.length)] : body;
}

// --- alert feed: filtered and paged by the server ---------------------------------------------------------
function feedQuery() {
  const params = new URLSearchParams({ scope: "all", limit: String(PAGE), offset: String(state.offset) });
  for (const [name, id] of [["kind", "filter-kind"], ["q", "filter-quantity"], ["source", "filter-source"],
                            ["since", "filter-since"]]) {
    const value = $(id).value.trim();
    if (value) params.set(name, value);
  }
  return `/alerts?${params}`;
}

function renderFeed(fresh = new Set()) {
  const feed = $("feed");
  feed.replaceChildren();
  for (const alert of state.alerts) {
    const related = el("ul", { class: "related" });
    for (const claim of [alert.claim, ...(alert.related || [])]) {
      related.append(el("li", {}, `${claim.figure_text} — ${claim.source || "unattributed"}, ${claim.as_of || "undated"}`));
    }
    const item = el("li", { class: `kind-${alert.kind}${fresh.has(alert.alert_id) ? " fresh" : ""}${alert.superseded ? " superseded" : ""}`,
                            "data-kind": alert.kind, "data-alert": alert.alert_id },
      el("div", { class: "meta" }, `${alert.kind} · ${alert.severity}${alert.superseded ? " · superseded by an amendment" : ""} · `,
        el("button", { class: "link", type: "button", onclick: () => openQuantity(alert.quantity_key) }, alert.quantity_key)),
      el("div", { class: "summary" }, alert.summary));
    const headline = headlineOf(alert.claim);
    if (headline) item.append(el("div", { class: "headline" }, headline));
    item.append(related, el("button", { type: "button", class: "evidence-button",
                                        onclick: () => openAlert(alert) }, "Show the evidence"));
    feed.append(item);
  }
  if (!feed.children.length) feed.append(el("li", {}, "no alerts match"));
  const last = Math.min(state.offset + PAGE, state.total);
  $("page-info").textContent = state.total ? `${state.offset + 1}–${last} of ${state.total}` : "";
  $("page-prev").disabled = state.offset === 0;
  $("page-next").disabled = last >= state.total;
}

// redrawn only when the answer changed, so focus, a selection and elements under test stay put
const drawn = { feed: null, quantities: null };

async function loadFeed(fresh) {
  [state.alerts, state.total] = await getJSON(feedQuery(), true);
  const shown = JSON.stringify([state.offset, state.total, state.alerts.map((a) => a.alert_id)]);
  if (shown === drawn.feed) return;
  drawn.feed = shown;
  renderFeed(fresh);
}

// --- quantities ---------------------------------------------------------------------------------------
function statusText(quantity) {
  return quantity.status_since ? `${quantity.status} since ${quantity.status_since}` : quantity.status;
}

function renderQuantities() {
  const body = $("quantities").querySelector("tbody");
  body.replaceChildren();
  for (const quantity of state.quantities) {
    const latest = quantity.latest;
    body.append(el("tr", { "data-quantity": quantity.quantity_key },
      el("td", {}, el("button", { class: "link", type: "button", onclick: () => openQuantity(quantity.quantity_key) }, quantity.quantity_key)),
      el("td", {}, latest ? `${latest.figure_text} (${latest.source || "unattributed"}, ${latest.as_of || "undated"})` : "—"),
      el("td", {}, interval(latest)),
      el("td", {}, String(quantity.independent_sources)),
      el("td", { class: `status-${quantity.status}` }, statusText(quantity))));
  }
}

// --- timeline -----------------------------------------------------------------------------------------
const WIDTH = 960, LEFT = 64, RIGHT = 16, TOP = 34, LANE_GAP = 30, AXIS = 40;
const LANE_HEIGHT = { reports: 300, projections: 150 };

function measure(chart, text) {
  const probe = svg("text", { "font-size": 11, x: -999, y: -999 }, text);
  chart.append(probe);
  const box = probe.getBBox();
  probe.remove();
  return { w: Math.ceil(box.width) + 2, h: Math.ceil(box.height) || 13 };
}

// a label is at most LABEL_CHARS long on the chart; the whole text is in the figure's title and the list
const LABEL_CHARS = 32;
function clip(text) {
  return text.length <= LABEL_CHARS ? text : `${text.slice(0, LABEL_CHARS - 1)}…`;
}

function drawTimeline(data) {
  const lanes = data.axis.lanes;
  const figures = data.timeline;
  const colors = sourceColors(figures.filter((f) => f.modality !== "denial"));
  const height = TOP + lanes.reduce((sum, lane) => sum + LANE_HEIGHT[lane.name] + LANE_GAP, 0) + AXIS;
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img",
                             "aria-label": `figures of ${data.quantity_key} over event time` });
  $("chart").replaceChildren(chart);  // in the page first, so text can be measured
  const time = layoutTime(figures, data.axis.time, LEFT, WIDTH - LEFT - RIGHT);
  const baseline = height - AXIS;
  const marks = [], anchors = [], groups = [];

  // the broken axis: one rule per segment, a break mark with the gap's length between segments
  for (const seg of time.segments) {
    chart.append(svg("line", { x1: seg.x0, x2: seg.x1, y1: baseline, y2: baseline, stroke: "#888" }));
  }
  for (const gap of time.breaks) {
    chart.append(svg("path", { d: `M${gap.x - 6},${baseline + 6} l6,-12 M${gap.x},${baseline + 6} l6,-12`,
                               stroke: "#888", fill: "none", class: "break" }));
    chart.append(svg("text", { x: gap.x + 3, y: TOP - 6, "text-anchor": "middle", "font-size": 10, fill: "#666",
                               class: "gap" }, gapText(gap.days)));
    chart.append(svg("line", { x1: gap.x + 3, x2: gap.x + 3, y1: TOP, y2: baseline, stroke: "#ddd",
                               "stroke-dasharray": "2 4" }));
  }
  const dayBoxes = [];
  for (const { day, x } of time.days.sort((a, b) => a.x - b.x)) {
    const size = measure(chart, day);
    const box = { x: x - size.w / 2, y: baseline + 6, w: size.w, h: size.h };
    const row = dayBoxes.some((b) => overlaps(b, box, 4)) ? 1 : 0;  // a second row before dropping a date
    const lowered = { ...box, y: box.y + row * (size.h + 2) };
    if (row && dayBoxes.some((b) => overlaps(b, lowered, 4))) continue;  // the figures list has every date
    dayBoxes.push(lowered);
    chart.append(svg("text", { x, y: lowered.y + size.h - 3, "text-anchor": "middle", "font-size": 10,
                               class: "day" }, day));
  }

  let laneTop = TOP;
  for (const lane of lanes) {
    const top = laneTop, bottom = laneTop + LANE_HEIGHT[lane.name];
    laneTop = bottom + LANE_GAP;
    const scale = lane.value;
    const y = (v) => valueY(scale, v, top, bottom);
    chart.append(svg("text", { x: LEFT, y: top - 8, "font-size": 11, "font-weight": "bold", class: "lane" },
                     lane.name === "reports" ? "Reports and estimates" : "Projections"));
    for (const tick of scale.ticks) {
      chart.append(svg("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(tick), y2: y(tick), stroke: "#eee" }));
      chart.append(svg("text", { x: LEFT - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 10, class: "tick" },
                       shortFmt(tick)));
    }
    if (scale.kind === "log") chart.append(svg("text", { x: 4, y: top + 4, "font-size": 9, fill: "#666" }, "log"));
    figures.forEach((figure, index) => {
      if (!lane.modalities.includes(figure.modality) || !time.columns.has(index)) return;
      const cx = time.columns.get(index);
      const color = colors.get(figure.source || "");
      const exact = figure.lower !== null && figure.upper !== null && figure.lower === figure.upper;
      const at = y(figure.value ?? figure.lower ?? figure.upper ?? scale.min);
      const group = svg("g", { class: "figure", tabindex: 0, role: "button", "data-index": index,
                               "data-figure": figure.figure_text,
                               "aria-label": `${figure.figure_text}, ${figure.source || "unattributed"}, ${figure.as_of || "undated"}` });
      if (exact) {
        group.append(svg("circle", { cx, cy: at, r: 6, fill: color, stroke: "#fff", "stroke-width": 1.5 }));
      } else {
        // a band for approximate figures and ranges; an open bar (to the lane's edge) for one-sided bounds
        const lo = figure.lower !== null ? y(figure.lower) : bottom;
        const hi = figure.upper !== null ? y(figure.upper) : top;
        const open = figure.lower === null || figure.upper === null;
        group.append(svg("rect", { x: cx - 5, y: hi, width: 10, height: Math.max(3, lo - hi), fill: color,
                                   "fill-opacity": open ? 0.18 : 0.45, stroke: color,
                                   "stroke-dasharray": open ? "3 2" : "" }));
        if (figure.value !== null) group.append(svg("line", { x1: cx - 7, x2: cx + 7, y1: at, y2: at, stroke: color, "stroke-width": 2.5 }));
      }
      const contradicted = figure.alerts.some((a) => a.kind === "contradiction");
      if (contradicted) {
        group.append(svg("circle", { cx, cy: at, r: 10, fill: "none", stroke: ALARM, "stroke-width": 2.5, class: "contradicted" }));
      }
      if (figure.modality === "retracted") {
        group.append(svg("line", { x1: cx - 9, x2: cx + 9, y1: at + 9, y2: at - 9, stroke: "#000", "stroke-width": 2.5 }));
      }
      group.append(svg("title", {}, `${figure.figure_text} — ${figure.source || "unattributed"}, ${figure.as_of || "undated"}`));
      group.addEventListener("click", () => showEvidence(figure));
      group.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") showEvidence(figure); });
      chart.append(group);
      const reach = contradicted ? 12 : 7;  // the ring is wider than the point: labels keep clear of it
      marks.push({ x: cx - reach, y: at - reach, w: 2 * reach, h: 2 * reach });
      const text = clip(figure.figure_text);
      const size = measure(chart, text);
      anchors.push({ x: cx, y: at, w: size.w, h: size.h, bounds: { x0: LEFT + 2, y0: top - 2, x1: WIDTH - RIGHT, y1: bottom + 2 } });
      groups.push({ group, figure, color, text });
    });
  }

  // denials: a red cross on the time axis with who denied, above the first lane
  const denialRow = [];
  figures.forEach((figure, index) => {
    if (figure.modality !== "denial" || !time.columns.has(index)) return;
    const cx = time.columns.get(index);
    const group = svg("g", { class: "denial", tabindex: 0, role: "button", "data-figure": figure.figure_text,
                             "aria-label": `denied by ${figure.source || "unattributed"}, ${figure.as_of || "undated"}` });
    group.append(svg("path", { d: `M${cx - 5},${baseline - 5} l10,10 M${cx + 5},${baseline - 5} l-10,10`, stroke: ALARM,
                               "stroke-width": 3, class: "denial-mark" }));
    group.append(svg("line", { x1: cx, x2: cx, y1: TOP, y2: baseline, stroke: ALARM, "stroke-dasharray": "1 3" }));
    group.append(svg("title", {}, `denied by ${figure.source || "unattributed"}: ${figure.figure_text}`));
    group.addEventListener("click", () => showEvidence(figure));
    group.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") showEvidence(figure); });
    chart.append(group);
    const text = clip(`✕ denied by ${figure.source || "unattributed"}`);
    const size = measure(chart, text);
    anchors.push({ x: cx, y: TOP + 8, w: size.w, h: size.h, bounds: { x0: LEFT + 2, y0: TOP, x1: WIDTH - RIGHT, y1: TOP + 60 } });
    groups.push({ group, figure, color: ALARM, text });
    denialRow.push(cx);
  });

  // labels: beside their mark when free, else on the nearest free row with a leader line; never overlapping
  const placed = [];
  anchors.forEach((anchor, i) => {
    const [spot] = placeLabels([anchor], anchor.bounds, [...marks, ...placed]);
    const { group, figure, color, text } = groups[i];
    if (!spot.box) return;  // no room: the label shows in the figure's title (hover, focus) and the list
    placed.push(spot.box);
    if (spot.moved) {
      const edge = spot.box.x > anchor.x ? spot.box.x : spot.box.x + spot.box.w;
      group.append(svg("line", { x1: anchor.x, y1: anchor.y, x2: edge, y2: spot.box.y + spot.box.h / 2,
                                 stroke: "#aaa", class: "leader" }));
    }
    group.append(svg("text", { x: spot.box.x + 1, y: spot.box.y + spot.box.h - 3, "font-size": 11,
                               fill: color === UNATTRIBUTED ? "#555" : color, class: "label" }, text));
  });
  renderLegend(colors);
}

function renderLegend(colors) {
  const legend = $("legend");
  legend.replaceChildren();
  for (const [name, color] of colors) {
    const swatch = el("span", { class: "swatch" });
    swatch.style.backgroundColor = color;  // CSSOM, not a style attribute: the CSP forbids those
    legend.append(el("li", { class: "source" }, swatch, name || "unattributed"));
  }
  for (const [glyph, meaning] of [["ring", "contradicted"], ["cross", "denied"], ["strike", "retracted"],
                                  ["band", "approximate or range"], ["bar", "one-sided bound"]]) {
    legend.append(el("li", { class: "meaning" }, el("span", { class: `glyph glyph-${glyph}` }), meaning));
  }
}

function renderFigureList(data) {
  const list = $("figures");
  list.replaceChildren();
  const colors = sourceColors(data.timeline.filter((f) => f.modality !== "denial"));
  for (const figure of data.timeline) {
    const swatch = el("span", { class: "swatch" });
    swatch.style.backgroundColor = figure.modality === "denial" ? ALARM : colors.get(figure.source || "");
    const button = el("button", { type: "button", class: figure.modality === "retracted" ? "retracted" : "",
                                  "data-figure": figure.figure_text, onclick: () => showEvidence(figure) },
      swatch, `${figure.figure_text} · ${figure.source || "unattributed"} · ${figure.as_of || "undated"} · ${figure.modality}`);
    list.append(el("li", {}, button));
  }
}

function quote(figure) {
  const sentence = figure.sentence || "";
  const at = sentence.indexOf(figure.figure_text);
  const block = el("blockquote", { class: "sentence" });
  if (at >= 0) {
    block.append(sentence.slice(0, at), el("mark", {}, figure.figure_text), sentence.slice(at + figure.figure_text.length));
  } else {
    block.append(sentence);
  }
  return block;
}

function evidenceCard(figure) {
  const details = el("dl", {},
    el("dt", {}, "source"), el("dd", {}, figure.source || "unattributed"),
    el("dt", {}, "date"), el("dd", {}, figure.as_of || "undated"),
    el("dt", {}, "qualifier"), el("dd", {}, `${figure.qualifier} ${interval(figure)}`),
    el("dt", {}, "modality"), el("dd", {}, figure.modality),
    el("dt", {}, "article"), el("dd", { class: "headline" }, headlineOf(figure) || "untitled"),
    el("dt", {}, "published"), el("dd", {}, figure.published_at || "unknown"));
  return el("article", { class: "evidence-card" }, el("h3", {}, figure.figure_text), details, quote(figure),
            articleLink(figure));
}

function showEvidence(...figures) {
  const box = $("evidence");
  box.replaceChildren(...figures.map(evidenceCard));
  box.hidden = false;
}

async function openQuantity(key) {
  state.selected = key;
  if (decodeURIComponent(window.location.hash.slice("#quantity=".length)) !== key) {
    history.replaceState(null, "", `#quantity=${encodeURIComponent(key)}`);
  }
  const data = await getJSON(`/quantities/${encodeURIComponent(key)}`);
  if (state.selected !== key) return;  // another quantity was chosen meanwhile
  state.data = data;
  $("timeline-section").hidden = false;
  $("timeline-title").textContent = `Timeline: ${key} (${statusText(data)}, ${data.independent_sources} independent sources)`;
  $("evidence").hidden = true;
  drawTimeline(data);
  renderFigureList(data);
  $("timeline-section").scrollIntoView({ block: "start" });
}

// one click from the feed: the alert's figure and the figures it was judged against, each with its sentence
async function openAlert(alert) {
  await openQuantity(alert.quantity_key);
  showEvidence(alert.claim, ...(alert.related || []));
  $("evidence").scrollIntoView({ block: "start" });
}

async function refresh(fresh) {
  state.missing = null;
  try {
    const [, quantities] = await Promise.all([loadFeed(fresh), getJSON("/quantities?scope=all")]);
    state.quantities = quantities;
    const shown = JSON.stringify(quantities);
    if (shown !== drawn.quantities) {
      drawn.quantities = shown;
      renderQuantities();
    }
    const partial = state.missing ? ` · partial: no answer from ${state.missing}` : "";
    $("status").textContent = `${state.total} alerts, ${state.quantities.length} quantities · updated ${new Date().toLocaleTimeString()}${partial}`;
  } catch (error) {
    $("status").textContent = `cannot reach the alerter: ${error.message}`;
  }
}

// --- live: server-sent events -----------------------------------------------------------------------------
let pending = new Set(), timer = null;

function onAlert(event) {
  let alert;
  try {
    alert = JSON.parse(event.data);
  } catch {
    return;
  }
  pending.add(alert.alert_id);
  clearTimeout(timer);
  timer = setTimeout(async () => {  // a burst of alerts is one re-read
    const fresh = pending;
    pending = new Set();
    await refresh(fresh);
    if (state.selected && [...fresh].length && alert.quantity_key === state.selected && $("evidence").hidden) {
      openQuantity(state.selected);
    }
  }, 100);
}

function listen() {
  const stream = new EventSource("/alerts/stream?scope=all");  // every worker's alerts, relayed by this one
  stream.addEventListener("alert", onAlert);
  stream.addEventListener("open", () => { $("live").textContent = "live"; $("live").className = "live on"; });
  stream.addEventListener("error", () => { $("live").textContent = "reconnecting…"; $("live").className = "live off"; });
}

function refilter() {
  state.offset = 0;
  refresh();
}

$("filters").addEventListener("change", refilter);
$("filters").addEventListener("input", (event) => {
  if (event.target.type !== "search") return;  // a choice is a change; typing waits for a pause
  clearTimeout(state.typing);
  state.typing = setTimeout(refilter, 250);
});
$("filters").addEventListener("submit", (event) => event.preventDefault());
$("page-prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); });
$("page-next").addEventListener("click", () => { state.offset += PAGE; refresh(); });
window.addEventListener("hashchange", () => {
  const key = decodeURIComponent(window.location.hash.slice("#quantity=".length));
  if (window.location.hash.startsWith("#quantity=") && key !== state.selected) openQuantity(key);
});
refresh().then(() => {
  if (window.location.hash.startsWith("#quantity=")) openQuantity(decodeURIComponent(window.location.hash.slice(10)));
});
listen();
setInterval(refresh, FALLBACK_MS);
