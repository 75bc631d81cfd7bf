// newsmap published page: the map of web/static/app.js for a static site written by
// `newsmap publish`. The layers come from one PMTiles archive (tiles/layers.pmtiles) read
// with range requests and drawn by protomaps-leaflet; index.json holds the catalogue,
// the time extent, the place names for search and the downloads. No server code runs:
// any static host serves the folder. The dates, popups, basemap, legend, time bar and
// permalink are those of the served page: page.js, which both pages load.
(function () {
  'use strict';

  var P = window.newsmapPage;
  var DAY = P.DAY, esc = P.esc, isoDay = P.isoDay, parseValue = P.parseValue;

  // ---------------------------------------------------------------- features

  // Vector tiles have no arrays: the publisher stores them as JSON text.
  var ARRAY_PROPS = ['alternatives', 'articles', 'texts', 'dates'];
  function arr(v) {
    if (Array.isArray(v)) return v;
    if (typeof v === 'string' && v.charAt(0) === '[') {
      try { var a = JSON.parse(v); if (Array.isArray(a)) return a; } catch (e) { /* not JSON */ }
    }
    return [];
  }

  // info returns a tile feature's properties with arrays restored and its time
  // intervals, computed once per feature.
  var infoCache = new WeakMap();
  function info(f) {
    var got = infoCache.get(f);
    if (got) return got;
    var p = {};
    Object.keys(f.props || {}).forEach(function (k) { p[k] = f.props[k]; });
    ARRAY_PROPS.forEach(function (k) { if (k in p) p[k] = arr(p[k]); });
    got = { props: p, ivs: P.featureIntervals(p) };
    infoCache.set(f, got);
    return got;
  }

  // grouped notes a feature that stands for several points at low zoom.
  function grouped(p, what) {
    return p.point_count > 1 ? '<p class="grouped">One of ' + esc(p.point_count) + ' ' + what +
      ' here on this date; zoom in to see them all.</p>' : '';
  }

  function popupHTML(layer, p) { return P.popupHTML(layer, p, grouped(p, layer === 'mentions' ? 'mentions' : 'places')); }

  // ---------------------------------------------------------------- state

  var statusEl = document.getElementById('status');
  function status(msg) { statusEl.textContent = msg; }

  var state = {
    index: null,
    layers: {},      // name -> {name, title, group, count}
    extent: null,    // [start, end) ms
    allDates: true,
    step: 'day',
    day: null,
    playing: null,
    ready: false
  };

  // ---------------------------------------------------------------- map

  var base = P.newMap('map', status);
  var map = base.map, layerControl = base.layerControl;
  map.createPane('newsmap').style.zIndex = 400; // the layers' tiles, above the basemap

  // ---------------------------------------------------------------- tiles

  // shown: the layer is switched on and the feature lies in the slider's window.
  function shown(name, f) {
    var l = state.layers[name];
    if (!l || !map.hasLayer(l.group)) return false;
    var w = P.timeWindow(state);
    if (!w) return true;
    return info(f).ivs.some(function (iv) { return iv[0] < w[1] && iv[1] > w[0]; });
  }

  function paintRules(layers) {
    var rules = [];
    layers.forEach(function (l) {
      var name = l.name, src = 'z' + l.maxzoom;
      var filter = function (z, f) { return shown(name, f); };
      var color = P.LAYER_COLORS[name] || '#555';
      if (name === 'mentions' || (l.geometry === 'point' && name !== 'places')) {
        rules.push({ dataSource: src, dataLayer: name, filter: filter, symbolizer: new protomapsL.CircleSymbolizer({
          radius: function (z, f) { var n = +f.props.point_count || 1; return 6 + Math.min(6, 1.5 * Math.log2(n)); },
          fill: function (z, f) { return P.KIND_COLORS[f.props.kind] || color; },
          stroke: '#ffffff', width: 1.5
        }) });
      } else if (name === 'places') {
        rules.push({ dataSource: src, dataLayer: name, filter: filter, symbolizer: new protomapsL.CircleSymbolizer({
          radius: function (z, f) { return Math.min(30, 4 + 3 * Math.sqrt(+f.props.mention_count || 1)); },
          fill: color + '4d', stroke: color, width: 1.5
        }) });
      } else if (l.geometry === 'line') {
        rules.push({ dataSource: src, dataLayer: name, symbolizer: new protomapsL.LineSymbolizer({ color: color, width: 3, opacity: 0.85 }),
          filter: function (z, f) { return f.props.geometry_source !== 'straight-line' && shown(name, f); } });
        rules.push({ dataSource: src, dataLayer: name, symbolizer: new protomapsL.LineSymbolizer({ color: color, width: 3, opacity: 0.85, dash: [6, 6] }),
          filter: function (z, f) { return f.props.geometry_source === 'straight-line' && shown(name, f); } });
      } else {
        rules.push({ dataSource: src, dataLayer: name, filter: filter, symbolizer: new protomapsL.PolygonSymbolizer({
          fill: color + '26', stroke: color, width: 1.5
        }) });
      }
    });
    return rules;
  }

  var tiles = null; // the protomaps-leaflet layer

  function redraw() { if (tiles) tiles.rerenderTiles(); }

  // picked returns the shown features under a point, mentions first.
  function picked(latlng, brush) {
    if (!tiles) return [];
    var out = [], seen = {};
    tiles.queryTileFeaturesDebug(latlng.lng, latlng.lat, brush || 10).forEach(function (list) {
      list.forEach(function (pf) {
        if (!shown(pf.layerName, pf.feature)) return;
        var p = info(pf.feature).props;
        var key = pf.layerName + '\x00' + (p.id || JSON.stringify(p));
        if (seen[key]) return;
        seen[key] = true;
        out.push({ layer: pf.layerName, props: p });
      });
    });
    out.sort(function (a, b) { return (P.DRAW_ORDER[b.layer] || 0) - (P.DRAW_ORDER[a.layer] || 0); });
    return out;
  }

  function openPopupAt(latlng, hits) {
    var top = hits[0];
    var more = hits.slice(1, 6).map(function (h) {
      return '<li>' + esc(h.props.name || h.props.id) + ' <small>(' + esc(P.LAYER_TITLES[h.layer] || h.layer) + ')</small></li>';
    }).join('');
    var html = popupHTML(top.layer, top.props) +
      (more ? '<div class="popup"><h4>Also here</h4><ul>' + more + '</ul></div>' : '');
    L.popup({ maxWidth: 360 }).setLatLng(latlng).setContent(html).openOn(map);
  }

  map.on('click', function (e) {
    var hits = picked(e.latlng);
    if (hits.length) openPopupAt(e.latlng, hits);
  });

  // ---------------------------------------------------------------- time bar and permalink

  // countIn sums the index's per-day counts of the switched-on layers over [w0, w1).
  function countIn(w) {
    var days = (state.index && state.index.days) || {}, n = 0;
    Object.keys(state.layers).forEach(function (name, i) {
      if (!map.hasLayer(state.layers[name].group)) return;
      if (!w) { n += state.layers[name].count; return; }
      for (var t = w[0]; t < w[1]; t += DAY) {
        var c = days[isoDay(t)];
        if (c) n += c[i] || 0;
      }
    });
    return n;
  }

  function applyTime() {
    var w = P.timeWindow(state);
    var label = bar.label(w);
    redraw();
    if (state.ready) status('Showing ' + countIn(w) + (w && state.step === 'week' ? ' feature-days' : ' features') + ' · ' + label);
    link.write();
  }

  var bar = P.timeBar(state, applyTime);
  var link = P.permalink(base, state, bar, applyTime);
  map.on('overlayadd overlayremove', redraw);

  // ---------------------------------------------------------------- search

  var searchForm = document.getElementById('search');
  var searchInput = document.getElementById('search-input');
  var nameList = document.getElementById('place-names');

  function fillNames(places) {
    var names = [];
    places.forEach(function (pl) { Array.prototype.push.apply(names, pl.names); });
    P.fillNames(nameList, names);
  }

  // findPlace: exact name, then prefix, then substring; the most mentioned wins.
  function findPlace(q) {
    if (!state.index) return null;
    var tests = P.nameTests(q);
    var places = state.index.places || [];
    for (var t = 0; t < tests.length; t++) {
      var best = null;
      places.forEach(function (pl) {
        if (pl.names.some(tests[t]) && (!best || (pl.count || 0) > (best.count || 0))) best = pl;
      });
      if (best) return best;
    }
    return null;
  }

  // popupWhenDrawn opens the popup of the feature at ll once its tile has been read.
  function popupWhenDrawn(ll, name, tries) {
    var hits = picked(ll, 16).filter(function (h) { return !name || h.props.name === name || h.props.id === name; });
    if (!hits.length) hits = picked(ll, 16);
    if (hits.length) { openPopupAt(ll, hits); return; }
    if (tries > 0) setTimeout(function () { popupWhenDrawn(ll, name, tries - 1); }, 100);
  }

  searchForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var pl = findPlace(searchInput.value);
    if (!pl) { status('No place matches “' + searchInput.value + '”.'); return; }
    var ll = L.latLng(pl.lat, pl.lon);
    status('Found ' + pl.name + '.');
    map.once('moveend', function () { popupWhenDrawn(ll, pl.name, 50); });
    map.flyTo(ll, Math.max(map.getZoom(), 7), { duration: 0.8 });
  });

  // ---------------------------------------------------------------- downloads

  var dlList = document.getElementById('download-list');
  function addDownloads(l) {
    var li = document.createElement('li');
    var head = document.createElement('strong');
    head.textContent = l.title;
    li.appendChild(head);
    (l.downloads || []).forEach(function (d) {
      var a = document.createElement('a');
      a.href = d.href;
      a.textContent = P.EXPORT_TITLES[d.format] || d.format;
      a.setAttribute('download', d.href.split('/').pop());
      a.setAttribute('aria-label', 'Download ' + l.title + ' as ' + a.textContent);
      a.className = 'dl-' + d.format;
      a.dataset.layer = l.name;
      li.appendChild(a);
    });
    dlList.appendChild(li);
  }

  // ---------------------------------------------------------------- load

  function load() {
    return fetch('index.json').then(function (r) {
      if (!r.ok) throw new Error('index.json: HTTP ' + r.status);
      return r.json();
    }).then(function (idx) {
      state.index = idx;
      var layers = (idx.layers || []).filter(function (l) { return /^[a-z][a-z0-9_-]*$/.test(l.name); });
      layers.sort(function (a, b) { return (P.DRAW_ORDER[a.name] == null ? 9 : P.DRAW_ORDER[a.name]) - (P.DRAW_ORDER[b.name] == null ? 9 : P.DRAW_ORDER[b.name]); });
      var sources = {};
      layers.forEach(function (l) { sources['z' + l.maxzoom] = { url: idx.tiles, maxDataZoom: l.maxzoom }; });
      tiles = protomapsL.leafletLayer({ pane: 'newsmap', sources: sources, paintRules: paintRules(layers), labelRules: [], attribution: '' });
      tiles.addTo(map);
      // state.layers keeps index.json's order, which index.days counts follow.
      (idx.layers || []).forEach(function (l) {
        if (layers.indexOf(l) < 0) return;
        var group = L.layerGroup(); // stands for the layer in the control and the permalink
        var t = l.title && l.title !== l.name ? l.title : (P.LAYER_TITLES[l.name] || l.title || l.name);
        state.layers[l.name] = { name: l.name, title: t, group: group, count: l.count };
        group.addTo(map);
        layerControl.addOverlay(group, esc(t) + ' <small>(' + l.count + ')</small>');
        addDownloads({ name: l.name, title: t, downloads: l.downloads });
      });
      if (idx.extent) {
        var a = parseValue(idx.extent[0]), b = parseValue(idx.extent[1]);
        if (a && b) state.extent = [a[0], b[1]];
      }
      fillNames(idx.places || []);
      state.ready = true;
      if (!link.restore() && Array.isArray(idx.bounds) && idx.bounds.length === 4) {
        var bb = L.latLngBounds([idx.bounds[1], idx.bounds[0]], [idx.bounds[3], idx.bounds[2]]);
        if (bb.isValid()) map.fitBounds(bb.pad(0.2), { maxZoom: 6 });
      }
      base.updateLabels();
      applyTime();
      document.body.dataset.ready = 'true';
    }).catch(function (err) {
      status('Could not show the layers: ' + (err && err.message || err));
      console.error(err && err.stack || err);
    });
  }

  // Exposed for debugging and the end-to-end test.
  window.newsmap = {
    map: map, state: state, parseValue: parseValue, highlightQuote: P.highlightQuote,
    tiles: function () { return tiles; },
    featuresAt: function (lat, lng, brush) { return picked(L.latLng(lat, lng), brush); },
    setDay: function (s) { var iv = parseValue(s); if (iv) bar.setDay(iv[0], true); }
  };

  load();
})();
