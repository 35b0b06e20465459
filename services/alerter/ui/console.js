// The analyst console: reads the alerter's history API (/alerts, /quantities, /quantities/{key}) and draws
// with plain SVG. Nothing is fetched from anywhere else.
// Article text is data, never markup: every node is built with createElement and filled with text nodes or
// textContent (nothing is parsed as HTML), and only http(s) addresses become links.
"use strict";

const POLL_MS = 2000;
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
const state = { alerts: [], quantities: [], selected: null };

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

function svg(tag, attrs = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (/^on|^style$|href$|^src$/i.test(name)) throw new Error(`svg(): attribute ${name} is not allowed`);
    node.setAttribute(name, value);
  }
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

function colorOf(source) {
  let hash = 0;
  for (const ch of source || "unattributed") hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

function fmt(value) {
  return value === null || value === undefined ? "…" : Math.round(value).toLocaleString("en-US");
}

function interval(figure) {
  if (!figure) return "";
  if (figure.lower !== null && figure.upper !== null && figure.lower === figure.upper) return fmt(figure.lower);
  return `[${fmt(figure.lower)}, ${fmt(figure.upper)}]`;
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (response.status === 401) {
    window.location.assign("./");  // the session expired: the page answers with the login form
    throw new Error("the session has expired: log in again");
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// --- alert feed ---------------------------------------------------------------------------------------
function filteredAlerts() {
  const kind = $("filter-kind").value;
  const quantity = $("filter-quantity").value.trim().toLowerCase();
  const source = $("filter-source").value.trim().toLowerCase();
  const since = $("filter-since").value;
  return state.alerts.filter((alert) => {
    if (kind && alert.kind !== kind) return false;
    if (quantity && !alert.quantity_key.toLowerCase().includes(quantity)) return false;
    const sources = [alert.claim, ...(alert.related || [])].map((c) => (c.source || "").toLowerCase());
    if (source && !sources.some((s) => s.includes(source))) return false;
    // a date from the picker is midnight UTC, as the API reads it
    if (since && alert.claim.published_at && Date.parse(alert.claim.published_at) < Date.parse(since)) return false;
    return true;
  });
}

function renderFeed() {
  const feed = $("feed");
  feed.replaceChildren();
  for (const alert of filteredAlerts()) {
    const related = el("ul", { class: "related" });
    for (const claim of [alert.claim, ...(alert.related || [])]) {
      related.append(el("li", {}, `${claim.figure_text} — ${claim.source || "unattributed"}, ${claim.as_of || "undated"}`));
    }
    feed.append(el("li", { class: `kind-${alert.kind}`, "data-kind": alert.kind },
      el("div", { class: "meta" }, `${alert.kind} · ${alert.severity} · `,
        el("button", { class: "link", onclick: () => openQuantity(alert.quantity_key) }, alert.quantity_key)),
      el("div", { class: "summary" }, alert.summary), related));
  }
  if (!feed.children.length) feed.append(el("li", {}, "no alerts match"));
}

// --- quantities ---------------------------------------------------------------------------------------
function renderQuantities() {
  const body = $("quantities").querySelector("tbody");
  body.replaceChildren();
  for (const quantity of state.quantities) {
    const latest = quantity.latest;
    body.append(el("tr", { "data-quantity": quantity.quantity_key },
      el("td", {}, el("button", { class: "link", onclick: () => openQuantity(quantity.quantity_key) }, quantity.quantity_key)),
      el("td", {}, latest ? `${latest.figure_text} (${latest.source || "unattributed"}, ${latest.as_of || "undated"})` : "—"),
      el("td", {}, interval(latest)),
      el("td", {}, String(quantity.independent_sources)),
      el("td", {}, quantity.status)));
  }
}

// --- timeline -----------------------------------------------------------------------------------------
function eventTime(figure) {
  return Date.parse(figure.as_of || figure.published_at || "1970-01-01");
}

function drawTimeline(data) {
  const figures = data.timeline.filter((f) => f.modality !== "denial");
  const denials = data.timeline.filter((f) => f.modality === "denial");
  const width = 900, height = 360, left = 70, right = 20, top = 20, bottom = 50;
  const times = data.timeline.map(eventTime);
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const span = Math.max(t1 - t0, 86400000);
  const top_value = Math.max(1, ...figures.map((f) => f.upper ?? f.value ?? f.lower ?? 0)) * 1.15;
  const x = (t) => left + ((t - t0) / span) * (width - left - right);
  const y = (v) => height - bottom - (v / top_value) * (height - top - bottom);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
                             "aria-label": `figures of ${data.quantity_key} over event time` });
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "#999" }));
  chart.append(svg("line", { x1: left, y1: top, x2: left, y2: height - bottom, stroke: "#999" }));
  for (let i = 0; i <= 4; i++) {
    const value = (top_value / 4) * i;
    const label = svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", "font-size": 11 });
    label.textContent = fmt(value);
    chart.append(label);
  }
  const seenDays = new Set();
  // open bars first, then bands, then points: the narrower a mark, the later it is drawn, so none hides another
  const layer = (f) => (f.lower === null || f.upper === null ? 0 : f.lower === f.upper ? 2 : 1);
  const drawOrder = figures.map((figure, index) => [figure, index]).sort((a, b) => layer(a[0]) - layer(b[0]));
  drawOrder.forEach(([figure, index]) => {
    const cx = x(eventTime(figure)) + (figure.modality === "projection" ? 8 : 0);  // projections drawn apart
    const color = colorOf(figure.source);
    const contradicted = figure.alerts.some((a) => a.kind === "contradiction");
    const group = svg("g", { class: "figure", tabindex: 0, role: "button", "data-index": index,
                             "data-figure": figure.figure_text, "aria-label": `${figure.figure_text}, ${figure.source || "unattributed"}, ${figure.as_of || "undated"}` });
    const dash = figure.modality === "projection" ? "4 3" : "";
    const lower = figure.lower ?? 0, upper = figure.upper ?? top_value;
    if (figure.lower !== null && figure.upper !== null && figure.lower === figure.upper) {
      group.append(svg("circle", { cx, cy: y(figure.lower), r: 6, fill: figure.modality === "projection" ? "#fff" : color,
                                   stroke: color, "stroke-width": 2, "stroke-dasharray": dash }));
    } else {
      // a band for approximate figures and ranges; an open bar for one-sided bounds
      group.append(svg("rect", { x: cx - 6, y: y(upper), width: 12, height: Math.max(2, y(lower) - y(upper)),
                                 fill: color, "fill-opacity": figure.upper === null || figure.lower === null ? 0.15 : 0.4,
                                 stroke: color, "stroke-dasharray": figure.upper === null || figure.lower === null ? "2 2" : dash }));
      if (figure.value !== null) group.append(svg("line", { x1: cx - 8, x2: cx + 8, y1: y(figure.value), y2: y(figure.value), stroke: color, "stroke-width": 2 }));
    }
    if (contradicted) group.append(svg("circle", { cx, cy: y(figure.value ?? lower), r: 11, fill: "none", stroke: "#c0392b", "stroke-width": 2 }));
    if (figure.modality === "retracted") group.append(svg("line", { x1: cx - 10, x2: cx + 10, y1: y(figure.value ?? lower) + 10, y2: y(figure.value ?? lower) - 10, stroke: "#000", "stroke-width": 2 }));
    const label = svg("text", { x: cx + 9, y: y(figure.value ?? lower) - 8, "font-size": 11, fill: color });
    label.textContent = figure.figure_text;
    group.append(label);
    group.addEventListener("click", () => showEvidence(figure));
    group.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") showEvidence(figure); });
    const title = svg("title");
    title.textContent = `${figure.figure_text} — ${figure.source || "unattributed"}, ${figure.as_of || "undated"}`;
    group.append(title);
    chart.append(group);
    const day = (figure.as_of || "").slice(0, 10);
    const tickX = x(eventTime(figure));
    if (day && !seenDays.has(day) && [...seenDays].every((d) => Math.abs(x(Date.parse(d)) - tickX) > 70)) {
      seenDays.add(day);  // dates too close to a labelled one stay unlabelled: the figures list has them all
      const tick = svg("text", { x: x(eventTime(figure)), y: height - bottom + 16, "text-anchor": "middle", "font-size": 10 });
      tick.textContent = day;
      chart.append(tick);
    }
  });
  for (const denial of denials) {
    const mark = svg("text", { x: x(eventTime(denial)), y: top + 12, "text-anchor": "middle", "font-size": 14, fill: "#c0392b" });
    mark.textContent = `✕ denied by ${denial.source || "unattributed"}`;
    chart.append(mark);
  }
  $("chart").replaceChildren(chart);
}

function renderFigureList(data) {
  const list = $("figures");
  list.replaceChildren();
  for (const figure of data.timeline) {
    const swatch = el("span", { class: "swatch" });
    swatch.style.backgroundColor = colorOf(figure.source);  // CSSOM, not a style attribute: the CSP forbids those
    const button = el("button", { type: "button", class: figure.modality === "retracted" ? "retracted" : "",
                                  "data-figure": figure.figure_text, onclick: () => showEvidence(figure) },
      swatch, `${figure.figure_text} · ${figure.source || "unattributed"} · ${figure.as_of || "undated"} · ${figure.modality}`);
    list.append(el("li", {}, button));
  }
}

function showEvidence(figure) {
  const box = $("evidence");
  const sentence = figure.sentence || "";
  const at = sentence.indexOf(figure.figure_text);
  const quote = el("blockquote", { class: "sentence" });
  if (at >= 0) {
    quote.append(sentence.slice(0, at), el("mark", {}, figure.figure_text), sentence.slice(at + figure.figure_text.length));
  } else {
    quote.append(sentence);
  }
  const details = el("dl", {},
    el("dt", {}, "source"), el("dd", {}, figure.source || "unattributed"),
    el("dt", {}, "date"), el("dd", {}, figure.as_of || "undated"),
    el("dt", {}, "qualifier"), el("dd", {}, `${figure.qualifier} ${interval(figure)}`),
    el("dt", {}, "modality"), el("dd", {}, figure.modality));
  box.replaceChildren(el("h3", {}, figure.figure_text), details, quote, articleLink(figure));
  box.hidden = false;
}

async function openQuantity(key) {
  state.selected = key;
  const data = await getJSON(`/quantities/${encodeURIComponent(key)}`);
  $("timeline-section").hidden = false;
  $("timeline-title").textContent = `Timeline: ${key} (${data.status}, ${data.independent_sources} independent sources)`;
  $("evidence").hidden = true;
  drawTimeline(data);
  renderFigureList(data);
  $("timeline-section").scrollIntoView({ block: "start" });
}

async function refresh() {
  try {
    [state.alerts, state.quantities] = await Promise.all([getJSON("/alerts"), getJSON("/quantities")]);
    renderFeed();
    renderQuantities();
    $("status").textContent = `${state.alerts.length} alerts, ${state.quantities.length} quantities · updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    $("status").textContent = `cannot reach the alerter: ${error.message}`;
  }
}

$("filters").addEventListener("input", renderFeed);
$("filters").addEventListener("change", renderFeed);
$("filters").addEventListener("submit", (event) => event.preventDefault());
refresh();
setInterval(refresh, POLL_MS);
