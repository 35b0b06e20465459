// The timeline's layout, as pure functions (no DOM): where each figure goes on the broken time axis, where
// each value goes on a lane's linear or log scale, and where each label goes so that none overlaps another
// label or a mark. console.js draws with them; tests/unit/test_timeline_layout.py runs them under node.
"use strict";

const DAY_MS = 86400000;

function dayOf(figure) {
  const text = figure.as_of || (figure.published_at || "").slice(0, 10);
  return text ? text.slice(0, 10) : null;
}

// Segments (from the history API's axis.time) side by side, `gap` pixels apart, each as wide as its weight.
// Inside a segment every figure gets its own column, in time order, so a burst of same-day figures is spread
// out instead of drawn on one spot; a day's label goes under the middle of its columns.
// Returns {columns: Map(index -> x), days: [{day, x}], segments: [{start, end, x0, x1}], breaks: [{x, days}]}.
function layoutTime(figures, segments, left, width, gap = 28) {
  const inner = width - gap * Math.max(0, segments.length - 1);
  const placed = { columns: new Map(), days: [], segments: [], breaks: [] };
  let x0 = left;
  segments.forEach((segment, s) => {
    const x1 = x0 + inner * segment.weight;
    const members = figures.map((figure, index) => ({ figure, index, day: dayOf(figure) }))
      .filter((m) => m.day && m.day >= segment.start && m.day <= segment.end)
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.index - b.index));
    const step = (x1 - x0) / Math.max(1, members.length);
    members.forEach((m, i) => placed.columns.set(m.index, x0 + step * (i + 0.5)));
    const byDay = new Map();
    members.forEach((m) => byDay.set(m.day, [...(byDay.get(m.day) || []), placed.columns.get(m.index)]));
    for (const [day, xs] of byDay) placed.days.push({ day, x: (Math.min(...xs) + Math.max(...xs)) / 2 });
    placed.segments.push({ start: segment.start, end: segment.end, x0, x1 });
    if (s > 0) {
      const previous = segments[s - 1];
      const days = Math.round((Date.parse(segment.start) - Date.parse(previous.end)) / DAY_MS);
      placed.breaks.push({ x: x0 - gap / 2, days });
    }
    x0 = x1 + gap;
  });
  return placed;
}

// A value's height in a lane [top, bottom] on the API's scale {kind: linear|log, min, max}.
function valueY(scale, value, top, bottom) {
  if (scale.kind === "log") {
    const v = Math.max(value, scale.min);
    const share = (Math.log10(v) - Math.log10(scale.min)) / (Math.log10(scale.max) - Math.log10(scale.min) || 1);
    return bottom - share * (bottom - top);
  }
  const share = (value - scale.min) / ((scale.max - scale.min) || 1);
  return bottom - Math.min(1, Math.max(0, share)) * (bottom - top);
}

// How a gap reads under its break mark: "+12 d", "+5 wk", "+14 mo".
function gapText(days) {
  if (days < 21) return `+${days} d`;
  if (days < 75) return `+${Math.round(days / 7)} wk`;
  return `+${Math.round(days / 30.4)} mo`;
}

function overlaps(a, b, pad = 1) {
  return a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;
}

// Labels that never collide: each anchor {x, y, w, h} (the mark's centre and the label's size) gets a box
// {x, y, w, h} (top-left) beside its mark if that is free, else the nearest free row above or below, right
// or left, and `moved` says a leader line should join them. Boxes stay inside bounds {x0, y0, x1, y1} and
// clear of the obstacles (the marks). An anchor with no free place in reach gets a box of null: it is still
// drawn and its label shows on focus.
function placeLabels(anchors, bounds, obstacles = []) {
  const placed = [];
  const taken = obstacles.slice();
  const order = anchors.map((a, i) => i).sort((i, j) => anchors[i].x - anchors[j].x || anchors[i].y - anchors[j].y);
  const result = new Array(anchors.length);
  for (const i of order) {
    const a = anchors[i];
    const candidates = [];
    const rows = Math.ceil((bounds.y1 - bounds.y0) / (a.h + 2));
    for (let k = 0; k <= rows; k++) {
      for (const dy of k === 0 ? [0] : [-k, k]) {
        for (const side of [1, -1]) {
          const x = side > 0 ? a.x + 9 : a.x - 9 - a.w;
          candidates.push({ x, y: a.y - a.h / 2 + dy * (a.h + 2), w: a.w, h: a.h, far: k });
        }
      }
    }
    const free = candidates.find((box) => box.x >= bounds.x0 && box.x + box.w <= bounds.x1 && box.y >= bounds.y0
      && box.y + box.h <= bounds.y1 && !taken.some((t) => overlaps(box, t)));
    if (free) {
      const box = { x: free.x, y: free.y, w: free.w, h: free.h };
      taken.push(box);
      placed.push(box);
      result[i] = { box, moved: free.far > 0 };
    } else {
      result[i] = { box: null, moved: false };
    }
  }
  return result;
}

if (typeof module !== "undefined") module.exports = { dayOf, layoutTime, valueY, gapText, overlaps, placeLabels };
