// newsmap page: an offline Natural Earth basemap, the four layers from /api/layers,
// a time slider, place search, permalinks and downloads. Plain browser JS, no build.
// Property names come from schema.js (generated from geo/schema), the view helpers from
// view.js; page.js holds what the published site (web/site) shares with this page: the
// dates, popups, basemap, legend, time bar and permalink.
(function () {
  'use strict';

  var S = window.newsmapSchema;
  var V = window.newsmapView;
  var C = window.newsmapClusters;
  var P = window.newsmapPage;
  var DEFAULT_LAYERS = S.Layers;
  var EXPORTS = ['gpkg', 'kml', 'csv', 'geojsonseq'];
  var DAY = P.DAY, esc = P.esc, isoDay = P.isoDay, parseValue = P.parseValue;
  var mentionPopup = P.mentionPopup, aggregatePopup = P.aggregatePopup;

  // ---------------------------------------------------------------- state

  var statusEl = document.getElementById('status');
  function status(msg) { statusEl.textContent = msg; }

  var state = {
    layers: {},          // name -> {name, title, group, items:[{layer, iv, props}], count}
    extent: null,        // [start, end) ms over all features
    allDates: true,
    step: 'day',
    day: null,           // ms, start of the slider's day (or week)
    playing: null,
    catalogue: [],
    ready: false
  };

  // ---------------------------------------------------------------- map

  var base = P.newMap('map', status);
  var map = base.map, layerControl = base.layerControl;

  // ---------------------------------------------------------------- layers

  function mentionIcon(p) {
    var c = P.KIND_COLORS[p[S.Kind]] || P.LAYER_COLORS.mentions;
    return L.divIcon({
      className: 'mention-icon', iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8],
      html: '<span style="--c:' + c + '"></span>'
    });
  }

  function makeItem(name, f) {
    var p = f.properties || {};
    var g = f.geometry;
    if (!g) return null;
    var lyr;
    if (name === 'mentions' && g.type === 'Point') {
      lyr = L.marker([g.coordinates[1], g.coordinates[0]], {
        icon: mentionIcon(p), title: p[S.Name] || '', alt: p[S.Name] || '', keyboard: true, riseOnHover: true
      });
      lyr.bindPopup(function () { return mentionPopup(p); }, { maxWidth: 360 });
    } else if (name === 'places' && g.type === 'Point') {
      var n = +p[S.MentionCount] || 1;
      var radius = Math.min(30, 4 + 3 * Math.sqrt(n));
      lyr = L.circleMarker([g.coordinates[1], g.coordinates[0]], {
        radius: radius, color: P.LAYER_COLORS.places, weight: 1.5,
        fillColor: P.LAYER_COLORS.places, fillOpacity: 0.3
      });
      lyr.bindPopup(function () { return aggregatePopup(p, name); }, { maxWidth: 360 });
      // A permanent label in the articles' own word ("Stepanakert"), with the
      // gazetteer name when it differs ("Xankandi"); declutterLabels moves it to another
      // side of the circle, or hides it, where it would cover another label.
      var text = p[S.Label] && p[S.Label] !== p[S.Name] ? p[S.Label] + ' (' + p[S.Name] + ')' : (p[S.Name] || '');
      lyr.bindTooltip(esc(text), { direction: 'right', permanent: true, className: 'place-label', offset: labelOffset('right', radius) });
      lyr.labelInfo = { radius: radius, weight: n, side: 'right', size: null };
    } else {
      var color = P.LAYER_COLORS[name] || P.KIND_COLORS[p[S.Kind]] || '#555';
      lyr = L.geoJSON({ type: 'Feature', properties: p, geometry: P.unwrapGeometry(g) }, {
        style: function () {
          if (name === 'routes') {
            return { color: color, weight: 3, opacity: 0.85, dashArray: p[S.GeometrySource] === 'straight-line' ? '6 6' : null };
          }
          return { color: color, weight: 1.5, fillColor: color, fillOpacity: 0.15 };
        },
        pointToLayer: function (_, ll) { return L.circleMarker(ll, { radius: 5, color: color }); }
      });
      lyr.bindPopup(function () { return aggregatePopup(p, name); }, { maxWidth: 360 });
    }
    return { layer: lyr, iv: P.featureInterval(p), ivs: P.featureIntervals(p), props: p, feature: f };
  }

  // labelOffset is the tooltip offset that puts a label on side of a circle of radius r.
  function labelOffset(side, r) {
    var g = r + 2;
    return L.point(side === 'left' ? -g : side === 'right' ? g : 0, side === 'top' ? -g : side === 'bottom' ? g : 0);
  }

  // declutterLabels keeps the permanent labels of the places from covering one another:
  // the places with the most mentions choose first, each label takes the first free side
  // of its circle (right, left, above, below) or is hidden until the zoom makes room.
  // It runs after every move and zoom (moveend) and time filter change.
  function declutterLabels() {
    var l = state.layers[S.PlacesLayer];
    if (!l || !map.hasLayer(l.group)) return;
    // Only the labels in view (and a margin) take part: the work follows what is
    // shown, and a pan (moveend) places the labels that come into view.
    var open = [], view = map.getBounds().pad(0.1);
    l.items.forEach(function (it) {
      var tt = it.layer.getTooltip && it.layer.getTooltip();
      if (it.layer.labelInfo && tt && map.hasLayer(it.layer) && tt.isOpen() && view.contains(it.layer.getLatLng())) open.push(it);
    });
    // Measure new labels first, all at once (one layout), then write.
    open.forEach(function (it) {
      var info = it.layer.labelInfo, el = it.layer.getTooltip().getElement();
      if (!info.size && el) info.size = [el.offsetWidth, el.offsetHeight];
    });
    var sides = V.placeLabels(open.map(function (it) {
      var info = it.layer.labelInfo, pt = map.latLngToLayerPoint(it.layer.getLatLng());
      return { x: pt.x, y: pt.y, r: info.radius, w: info.size ? info.size[0] : 0, h: info.size ? info.size[1] : 0, weight: info.weight };
    }));
    var shown = 0;
    open.forEach(function (it, i) {
      var info = it.layer.labelInfo, tt = it.layer.getTooltip(), el = tt.getElement();
      if (!sides[i]) {
        L.DomUtil.addClass(el, 'label-hidden');
        return;
      }
      shown++;
      L.DomUtil.removeClass(el, 'label-hidden');
      if (sides[i] !== info.side) {
        info.side = sides[i];
        tt.options.direction = info.side;
        tt.options.offset = labelOffset(info.side, info.radius);
        tt.update();
      }
    });
    map.getContainer().dataset.labelsShown = String(shown);
  }
  map.on('moveend', declutterLabels);

  function addLayerData(name, title, fc) {
    var group = name === 'mentions'
      ? L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true, maxClusterRadius: 40 })
      : L.featureGroup();
    var items = [];
    (fc.features || []).forEach(function (f) {
      var it = makeItem(name, f);
      if (it) items.push(it);
    });
    var L0 = { name: name, title: title, group: group, items: items, count: items.length };
    state.layers[name] = L0;
    items.forEach(function (it) {
      if (!it.iv) return;
      if (!state.extent) state.extent = [it.iv[0], it.iv[1]];
      state.extent[0] = Math.min(state.extent[0], it.iv[0]);
      state.extent[1] = Math.max(state.extent[1], it.iv[1]);
    });
    layerControl.addOverlay(group, esc(title) + ' <small>(' + items.length + ')</small>');
    return L0;
  }

  // addServerLayer adds a layer too large to download: it is drawn from the server's
  // clusters for the view and the time window (clusters.js); its time extent comes from
  // the catalogue.
  function addServerLayer(e, title) {
    var name = e.name;
    var color = P.LAYER_COLORS[name] || '#555';
    var group = C.serverLayer(name, {
      color: color,
      popup: function (p) { return name === 'mentions' ? mentionPopup(p) : aggregatePopup(p, name); },
      onUpdate: function () { if (state.ready) showCounts(); },
      ready: function () { return state.ready; }
    });
    var L0 = { name: name, title: title, group: group, items: [], count: e.count, server: true };
    state.layers[name] = L0;
    if (e.time) {
      var iv = [Date.parse(e.time.start), Date.parse(e.time.end)];
      if (isFinite(iv[0]) && isFinite(iv[1])) {
        if (!state.extent) state.extent = [iv[0], iv[1]];
        state.extent[0] = Math.min(state.extent[0], iv[0]);
        state.extent[1] = Math.max(state.extent[1], iv[1]);
      }
    }
    layerControl.addOverlay(group, esc(title) + ' <small>(' + e.count + ')</small>');
    return L0;
  }

  function applyTime() {
    var w = P.timeWindow(state);
    Object.keys(state.layers).forEach(function (name) {
      var l = state.layers[name];
      if (l.server) { l.group.setWindow(w); return; } // filtered on the server
      var vis = l.items.filter(function (it) {
        if (!w) return true;
        return it.ivs.some(function (iv) { return iv[0] < w[1] && iv[1] > w[0]; });
      });
      l.group.clearLayers();
      if (l.group.addLayers) l.group.addLayers(vis.map(function (it) { return it.layer; }));
      else vis.forEach(function (it) { l.group.addLayer(it.layer); });
      l.visible = vis.length;
    });
    showCounts();
    declutterLabels();
    link.write();
  }

  // showCounts writes the time label and how many features are shown (for a layer
  // drawn from clusters: those matched in the view).
  function showCounts() {
    var w = P.timeWindow(state);
    var shown = 0, total = 0;
    Object.keys(state.layers).forEach(function (name) {
      var l = state.layers[name];
      if (!map.hasLayer(l.group)) return;
      shown += l.server ? l.group.matched : l.visible;
      total += l.server ? l.count : l.items.length;
    });
    var label = bar.label(w);
    if (state.ready) status('Showing ' + shown + ' of ' + total + ' features · ' + label);
  }

  // ---------------------------------------------------------------- time bar and permalink

  var bar = P.timeBar(state, applyTime);
  var link = P.permalink(base, state, bar, applyTime);


  // ---------------------------------------------------------------- search

  var searchForm = document.getElementById('search');
  var searchInput = document.getElementById('search-input');
  var nameList = document.getElementById('place-names');

  // placeNames: the names a place is found by (the schema's SearchKeys): its names and
  // the words the articles used for it (texts of places, text of a mention).
  function placeNames(p) {
    var out = [];
    S.SearchKeys.forEach(function (k) {
      var v = p[k];
      // a string, an array of strings, or names by language ({de: …, fr: …})
      out = out.concat(v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map(function (l) { return v[l]; }) : v);
    });
    return out.filter(function (s) { return typeof s === 'string' && s !== ''; });
  }

  function fillNames() {
    var names = [];
    ['places', 'mentions'].forEach(function (n) {
      var l = state.layers[n];
      if (l) l.items.forEach(function (it) { Array.prototype.push.apply(names, placeNames(it.props)); });
    });
    P.fillNames(nameList, names);
  }

  function findPlace(q) {
    var tests = P.nameTests(q);
    var pools = ['places', 'mentions'].map(function (n) { return state.layers[n] ? state.layers[n].items : []; });
    for (var t = 0; t < tests.length; t++) {
      for (var p = 0; p < pools.length; p++) {
        var best = null;
        pools[p].forEach(function (it) {
          var names = placeNames(it.props);
          if (names.some(tests[t]) && (!best || (+it.props[S.MentionCount] || 0) > (+best.props[S.MentionCount] || 0))) best = it;
        });
        if (best) return best;
      }
    }
    return null;
  }

  searchForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var it = findPlace(searchInput.value);
    if (!it) { status('No place matches “' + searchInput.value + '”.'); return; }
    var ll = it.layer.getLatLng ? it.layer.getLatLng() : it.layer.getBounds().getCenter();
    var zoom = Math.max(map.getZoom(), 7);
    status('Found ' + (it.props[S.Name] || it.props[S.ID]) + '.');
    map.once('moveend', function () {
      if (map.hasLayer(it.layer)) it.layer.openPopup();
      else L.popup({ maxWidth: 360 }).setLatLng(ll).setContent(it.layer.getPopup().getContent()(it.layer)).openOn(map);
    });
    map.flyTo(ll, zoom, { duration: 0.8 });
  });

  // ---------------------------------------------------------------- downloads

  var dlList = document.getElementById('download-list');
  var exportProbes = {}; // format -> Promise<bool>, one HEAD request per format

  // exportAvailable asks the server once per format, with HEAD on the first layer,
  // whether that export route exists.
  function exportAvailable(fmt, href) {
    if (!exportProbes[fmt]) {
      exportProbes[fmt] = fetch(href, { method: 'HEAD' })
        .then(function (r) { return r.ok; })
        .catch(function () { return false; });
    }
    return exportProbes[fmt];
  }

  function addDownloads(name, title) {
    var li = document.createElement('li');
    var head = document.createElement('strong');
    head.textContent = title;
    li.appendChild(head);
    var base = 'api/layers/' + encodeURIComponent(name);
    function link(fmt) {
      var a = document.createElement('a');
      a.href = base + '.' + fmt;
      a.textContent = P.EXPORT_TITLES[fmt];
      a.setAttribute('download', name + '.' + fmt);
      a.setAttribute('aria-label', 'Download ' + title + ' as ' + P.EXPORT_TITLES[fmt]);
      a.className = 'dl-' + fmt;
      a.dataset.layer = name;
      return a;
    }
    li.appendChild(link('geojson'));
    dlList.appendChild(li);
    EXPORTS.forEach(function (fmt) {
      var a = link(fmt);
      a.hidden = true;
      li.appendChild(a);
      exportAvailable(fmt, a.href).then(function (ok) { a.hidden = !ok; });
    });
  }

  // ---------------------------------------------------------------- load

  function catalogueEntries(js) {
    var arr = Array.isArray(js) ? js : js && (js.layers || js.collections || js.items);
    if (!Array.isArray(arr)) return [];
    return arr.map(function (e) {
      if (typeof e === 'string') return { name: e };
      return { name: e.name || e.id, title: e.title, count: e.count, time: e.time, bbox: e.bbox };
    }).filter(function (e) { return typeof e.name === 'string' && /^[A-Za-z0-9_-]+$/.test(e.name); });
  }

  // fitToMentions opens the map on where the mentions are, leaving out outliers
  // (V.focusBounds): the mentions' points, else the places' weighted by their mention
  // counts, else the bounds of every shape.
  function fitToMentions() {
    var pts = [];
    [[S.MentionsLayer, false], [S.PlacesLayer, true]].forEach(function (src) {
      var l = state.layers[src[0]];
      if (pts.length || !l) return;
      l.items.forEach(function (it) {
        if (!it.layer.getLatLng) return;
        var ll = it.layer.getLatLng();
        pts.push([ll.lat, ll.lng, src[1] ? (+it.props[S.MentionCount] || 1) : 1]);
      });
    });
    var fb = V.focusBounds(pts), b = fb ? L.latLngBounds(fb) : L.latLngBounds([]);
    if (!b.isValid()) {
      Object.keys(state.layers).forEach(function (n) {
        state.layers[n].items.forEach(function (it) { if (it.layer.getBounds) b.extend(it.layer.getBounds()); });
      });
    }
    if (!b.isValid()) { // every layer drawn from clusters: their catalogue bounding boxes
      state.catalogue.forEach(function (e) {
        if (Array.isArray(e.bbox) && e.bbox.length === 4) b.extend(L.latLngBounds([e.bbox[1], e.bbox[0]], [e.bbox[3], e.bbox[2]]));
      });
    }
    if (b.isValid()) map.fitBounds(b.pad(0.2), { maxZoom: 6, animate: false });
  }

  function load() {
    return fetch('api/layers', { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (js) {
        var entries = catalogueEntries(js);
        if (!entries.length) entries = DEFAULT_LAYERS.map(function (n) { return { name: n }; });
        var order = P.DRAW_ORDER;
        entries.sort(function (a, b) { return (order[a.name] == null ? 9 : order[a.name]) - (order[b.name] == null ? 9 : order[b.name]); });
        state.catalogue = entries;
        return Promise.all(entries.map(function (e) {
          if (e.count > C.LARGE) return Promise.resolve({ e: e, server: true });
          return fetch('api/layers/' + encodeURIComponent(e.name) + '.geojson', { headers: { Accept: 'application/geo+json' } })
            .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
            .then(function (fc) { return { e: e, fc: fc }; })
            .catch(function (err) { return { e: e, err: err }; });
        }));
      })
      .then(function (results) {
        var failed = [];
        results.forEach(function (res) {
          var e = res.e, t = (e.title && e.title !== e.name ? e.title : P.LAYER_TITLES[e.name]) || e.title || e.name;
          if (res.err) { failed.push(e.name); return; }
          if (res.server) addServerLayer(e, t).group.addTo(map);
          else addLayerData(e.name, t, res.fc).group.addTo(map);
          addDownloads(e.name, t);
        });
        fillNames();
        state.ready = true;
        var hasView = link.restore();
        if (!hasView) fitToMentions();
        Object.keys(state.layers).forEach(function (n) { if (state.layers[n].server) state.layers[n].group.refresh(); });
        base.updateLabels();
        applyTime();
        if (failed.length) status('Could not load: ' + failed.join(', '));
        document.body.dataset.ready = 'true';
      })
      .catch(function (err) {
        status('Could not show the layers: ' + (err && err.message || err));
        console.error(err && err.stack || err);
      });
  }

  // Exposed for debugging and the end-to-end test.
  window.newsmap = { map: map, state: state, parseValue: parseValue, featureInterval: P.featureInterval,
    highlightQuote: P.highlightQuote, setDay: function (s) { var iv = parseValue(s); if (iv) bar.setDay(iv[0], true); } };

  load();
})();
