// newsmap map view helpers: where the map opens, and where place labels go. Plain
// browser JS, no build; app.js uses window.newsmapView.
(function () {
  'use strict';

  var STEP = 0.01; // degrees (about 1 km): the resolution of the medians below

  // weightedMedian returns the value in [lo, hi] below and above which half of the
  // weight lies, to STEP: the values are counted into bins, so that it takes linear
  // time (a sort of 100,000 mentions would take longer than drawing them).
  function weightedMedian(values, weights, lo, hi) {
    var n = Math.ceil((hi - lo) / STEP) + 1, bins = new Float64Array(n), total = 0, i;
    for (i = 0; i < values.length; i++) {
      bins[Math.min(n - 1, Math.max(0, Math.floor((values[i] - lo) / STEP)))] += weights[i];
      total += weights[i];
    }
    var acc = 0;
    for (i = 0; i < n; i++) {
      acc += bins[i];
      if (acc >= total / 2) return lo + (i + 0.5) * STEP;
    }
    return hi;
  }

  // focusBounds returns [[south, west], [north, east]] around the points [lat, lon,
  // weight] where the weight is, leaving out outliers (one mention on another continent
  // must not zoom a regional story out to the whole world), or null for no points.
  //
  // The centre is the weighted median of latitude and of longitude; a point's distance
  // is in degrees of latitude (longitude scaled by the cosine of the centre's latitude),
  // and a point is an outlier when it lies farther than three times the weighted median
  // distance (for a round cluster that keeps well over 99% of it), but never within
  // minRadius degrees (default 0.5) of the centre. Longitudes are taken within 180° of
  // the centre's, so a cluster across the antimeridian stays one box.
  function focusBounds(points, minRadius) {
    var pts = (points || []).filter(function (p) {
      return isFinite(p[0]) && isFinite(p[1]) && Math.abs(p[0]) <= 90 && !(p[2] <= 0);
    });
    if (!pts.length) return null;
    var m = pts.length, lat = new Float64Array(m), lon = new Float64Array(m), w = new Float64Array(m), i;
    for (i = 0; i < m; i++) {
      lat[i] = pts[i][0];
      lon[i] = ((pts[i][1] + 180) % 360 + 360) % 360 - 180;
      w[i] = pts[i][2] == null ? 1 : pts[i][2];
    }
    var clat = weightedMedian(lat, w, -90, 90);
    var clon0 = weightedMedian(lon, w, -180, 180);
    for (i = 0; i < m; i++) { // within 180° of clon0
      if (lon[i] - clon0 > 180) lon[i] -= 360; else if (clon0 - lon[i] > 180) lon[i] += 360;
    }
    var clon = weightedMedian(lon, w, clon0 - 180, clon0 + 180);
    var k = Math.cos(clat * Math.PI / 180), dist = new Float64Array(m);
    for (i = 0; i < m; i++) {
      var dx = (lon[i] - clon) * k, dy = lat[i] - clat;
      dist[i] = Math.sqrt(dx * dx + dy * dy);
    }
    var r = Math.max(3 * weightedMedian(dist, w, 0, 400), minRadius == null ? 0.5 : minRadius);
    var s = 90, n = -90, west = Infinity, east = -Infinity;
    for (i = 0; i < m; i++) {
      if (dist[i] > r) continue;
      s = Math.min(s, lat[i]); n = Math.max(n, lat[i]);
      west = Math.min(west, lon[i]); east = Math.max(east, lon[i]);
    }
    return [[s, west], [n, east]];
  }

  // The places a label may take around its point, in order of preference.
  var SIDES = ['right', 'left', 'top', 'bottom'];

  // labelBox returns the box [x0, y0, x1, y1] of a w × h label on side of a point at
  // (x, y) whose symbol has radius r, with a gap of 2 px.
  function labelBox(side, x, y, r, w, h) {
    var g = r + 2;
    switch (side) {
      case 'right': return [x + g, y - h / 2, x + g + w, y + h / 2];
      case 'left': return [x - g - w, y - h / 2, x - g, y + h / 2];
      case 'top': return [x - w / 2, y - g - h, x + w / 2, y - g];
      default: return [x - w / 2, y + g, x + w / 2, y + g + h];
    }
  }

  // Boxes is a grid of placed boxes, so that a new box is tested against its
  // neighbours only: placing n labels is linear in n while they are spread out.
  function Boxes(cell) { this.cell = cell; this.grid = {}; }
  Boxes.prototype.cells = function (b, fn) {
    var c = this.cell;
    for (var i = Math.floor(b[0] / c); i <= Math.floor(b[2] / c); i++) {
      for (var j = Math.floor(b[1] / c); j <= Math.floor(b[3] / c); j++) {
        if (fn(i + ',' + j) === false) return false;
      }
    }
    return true;
  };
  Boxes.prototype.free = function (b) {
    var grid = this.grid;
    return this.cells(b, function (key) {
      var list = grid[key] || [];
      for (var k = 0; k < list.length; k++) {
        var o = list[k];
        if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return false;
      }
    });
  };
  Boxes.prototype.add = function (b) {
    var grid = this.grid;
    this.cells(b, function (key) { (grid[key] = grid[key] || []).push(b); });
  };

  // placeLabels chooses a side for each label so that no two overlap: labels
  // [{x, y, r, w, h, weight}] (the point in pixels, its symbol's radius, the label's
  // size) are placed heaviest first, each on the first free side of SIDES, or hidden
  // (side null) when every side would cover a label placed before it. It returns the
  // sides, in the order of the input.
  function placeLabels(labels) {
    var order = labels.map(function (_, i) { return i; });
    order.sort(function (a, b) { return (labels[b].weight || 0) - (labels[a].weight || 0) || a - b; });
    var boxes = new Boxes(128);
    var sides = new Array(labels.length);
    order.forEach(function (i) {
      var l = labels[i];
      sides[i] = null;
      for (var s = 0; s < SIDES.length; s++) {
        var b = labelBox(SIDES[s], l.x, l.y, l.r || 0, l.w, l.h);
        if (boxes.free(b)) {
          boxes.add(b);
          sides[i] = SIDES[s];
          return;
        }
      }
    });
    return sides;
  }

  window.newsmapView = { focusBounds: focusBounds, placeLabels: placeLabels, labelBox: labelBox };
})();
