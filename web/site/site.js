// newsmap published page: the map of web/static/app.js for a static site written by
// `newsmap publish`. The layers come from one PMTiles archive (tiles/layers.pmtiles) read
// with range requests and drawn by protomaps-leaflet; index.json holds the catalogue,
// the time extent, the place names for search and the downloads. No server code runs:
// any static host serves the folder. Popups, the time slider, search, legend and
// permalink behave as on the served page; dates follow the same rules (timex.ParseValue).
(function () {
  'use strict';

  var DAY = 86400000;
  var LAYER_TITLES = { mentions: 'Mentions', places: 'Places', routes: 'Routes', regions: 'Regions' };
  var LAYER_COLORS = { mentions: '#d7301f', places: '#6a3d9a', routes: '#1f78b4', regions: '#33a02c' };
  var KIND_COLORS = {
    city: '#d7301f', town: '#fc4e2a', village: '#fd8d3c', country: '#33a02c', region: '#1b9e77',
    admin: '#66a61e', water: '#1f78b4', route: '#0b5cad', landform: '#a6761d', facility: '#7570b3',
    demonym: '#e7298a'
  };
  var DRAW_ORDER = { regions: 0, routes: 1, places: 2, mentions: 3 };
  var EXPORT_TITLES = { geojson: 'GeoJSON', gpkg: 'GeoPackage', kml: 'KML', csv: 'CSV', geojsonseq: 'GeoJSONSeq' };

  // ---------------------------------------------------------------- helpers

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function safeURL(u) {
    if (typeof u !== 'string') return '';
    try {
      var p = new URL(u, location.href);
      return (p.protocol === 'http:' || p.protocol === 'https:') ? p.href : '';
    } catch (e) { return ''; }
  }

  function dayOf(ms) { return Math.floor(ms / DAY) * DAY; }
  function pad(n, w) { n = String(n); while (n.length < (w || 2)) n = '0' + n; return n; }
  function isoDay(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  }
  function weekStart(y, w) {
    var jan4 = Date.UTC(y, 0, 4);
    var wd = (new Date(jan4).getUTCDay() + 6) % 7;
    return jan4 + (7 * (w - 1) - wd) * DAY;
  }
  function weeksInYear(y) { return isoWeek(Date.UTC(y, 11, 28))[1]; }
  function isoWeek(ms) {
    var d = dayOf(ms);
    var thu = d + (3 - (new Date(d).getUTCDay() + 6) % 7) * DAY;
    var y = new Date(thu).getUTCFullYear();
    return [y, 1 + Math.floor((thu - Date.UTC(y, 0, 1)) / (7 * DAY))];
  }
  function formatWeek(ms) { var w = isoWeek(ms); return w[0] + '-W' + pad(w[1]); }
  function mondayOf(ms) { var d = dayOf(ms); return d - ((new Date(d).getUTCDay() + 6) % 7) * DAY; }

  // parseValue: an ISO value at newsmap's precisions as [start, end) in UTC ms, or null.
  function parseValue(s) {
    if (typeof s !== 'string') return null;
    var v = s.trim(), m, t;
    if ((m = /^(\d{4})$/.exec(v))) return [Date.UTC(+m[1], 0, 1), Date.UTC(+m[1] + 1, 0, 1)];
    if ((m = /^(\d{4})-(\d{2})$/.exec(v))) {
      if (+m[2] < 1 || +m[2] > 12) return null;
      return [Date.UTC(+m[1], +m[2] - 1, 1), Date.UTC(+m[1], +m[2], 1)];
    }
    if ((m = /^(\d{4})-[Ww](\d{2})$/.exec(v))) {
      var y = +m[1], w = +m[2];
      if (w < 1 || w > weeksInYear(y)) return null;
      t = weekStart(y, w);
      return [t, t + 7 * DAY];
    }
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) {
      t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
      if (isoDay(t) !== v) return null;
      return [t, t + DAY];
    }
    if ((m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2})(?::(\d{2})(?::(\d{2}))?)?[Zz]?$/.exec(v))) {
      t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4]);
      if (isoDay(Date.UTC(+m[1], +m[2] - 1, +m[3])) !== v.slice(0, 10) || +m[4] > 23) return null;
      return [t, t + 3600000];
    }
    return null;
  }

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
    var ivs = [];
    if (p.dates && p.dates.length) ivs = p.dates.map(parseValue).filter(Boolean);
    if (!ivs.length) {
      var a = parseValue(p.date);
      if (a) {
        var b = p.date_end ? parseValue(p.date_end) : null;
        ivs = [[a[0], b && b[1] > a[0] ? b[1] : a[1]]];
      }
    }
    got = { props: p, ivs: ivs };
    infoCache.set(f, got);
    return got;
  }

  function highlightQuote(quote, start, text) {
    if (typeof quote !== 'string' || quote === '') return '';
    var cps = Array.from(quote);
    var tcp = typeof text === 'string' ? Array.from(text) : [];
    var at = -1;
    if (tcp.length && typeof start === 'number' && start >= 0 && start + tcp.length <= cps.length) {
      if (cps.slice(start, start + tcp.length).join('').toLowerCase() === text.toLowerCase()) at = start;
    }
    if (at < 0 && tcp.length) {
      var i = quote.toLowerCase().indexOf(text.toLowerCase());
      if (i >= 0) at = Array.from(quote.slice(0, i)).length;
    }
    if (at < 0) return esc(quote);
    return esc(cps.slice(0, at).join('')) + '<mark>' + esc(cps.slice(at, at + tcp.length).join('')) +
      '</mark>' + esc(cps.slice(at + tcp.length).join(''));
  }

  function fmtDates(p) {
    if (!p.date) return '';
    return esc(p.date) + (p.date_end && p.date_end !== p.date ? ' – ' + esc(p.date_end) : '');
  }
  function row(label, html) { return html === '' || html == null ? '' : '<dt>' + esc(label) + '</dt><dd>' + html + '</dd>'; }
  function title(p) {
    var de = p.name_de && p.name_de !== p.name ? ' <span class="de" lang="de">(' + esc(p.name_de) + ')</span>' : '';
    return '<h3>' + esc(p.name || p.id || 'unnamed') + de + '</h3>';
  }
  function articleLink(p) {
    var u = safeURL(p.url);
    var t = esc(p.title || p.article_id || '');
    if (!t) return '';
    return u ? '<a href="' + esc(u) + '" target="_blank" rel="noopener noreferrer">' + t + '</a>' : t;
  }
  function list(a, max) {
    if (!Array.isArray(a) || !a.length) return '';
    var more = a.length > max ? ' … (+' + (a.length - max) + ')' : '';
    return a.slice(0, max).map(esc).join(', ') + more;
  }
  // grouped notes a feature that stands for several points at low zoom.
  function grouped(p, what) {
    return p.point_count > 1 ? '<p class="grouped">One of ' + esc(p.point_count) + ' ' + what +
      ' here on this date; zoom in to see them all.</p>' : '';
  }

  function mentionPopup(p) {
    var alts = '';
    if (p.alternatives && p.alternatives.length) {
      alts = '<ul>' + p.alternatives.slice(0, 5).map(function (a) {
        return '<li>' + esc(a.name) + (a.country_code ? ' (' + esc(a.country_code) + ')' : '') +
          (typeof a.score === 'number' ? ' · ' + a.score.toFixed(2) : '') + '</li>';
      }).join('') + '</ul>';
    }
    var conf = typeof p.confidence === 'number' ? Math.round(p.confidence * 100) + '%' : '';
    return '<div class="popup">' + title(p) +
      (p.quote ? '<blockquote>' + highlightQuote(p.quote, p.quote_start, p.text) + '</blockquote>' : '') +
      '<dl>' +
      row('Kind', esc(p.kind || '')) +
      row('Article', articleLink(p)) +
      row('Source', esc(p.source || '')) +
      row('Date', fmtDates(p) + (p.timex ? ' <small>(“' + esc(p.timex) + '”)</small>' : '')) +
      row('Confidence', esc(conf)) +
      row('Alternatives', alts) +
      '</dl>' + grouped(p, 'mentions') + '</div>';
  }

  function aggregatePopup(p, layer) {
    return '<div class="popup">' + title(p) + '<dl>' +
      row('Kind', esc(p.kind || '')) +
      (layer === 'routes' ? row('From', esc(p.from || '')) + row('To', esc(p.to || '')) +
        row('Geometry', esc(p.geometry_source || '')) : '') +
      row('Mentions', p.mention_count != null ? esc(p.mention_count) : '') +
      row('Articles', p.article_count != null ? esc(p.article_count) : list(p.articles, 5)) +
      row('Texts', list(p.texts, 8)) +
      row('Dates', fmtDates(p)) +
      '</dl>' + grouped(p, 'places') + '</div>';
  }

  function popupHTML(layer, p) { return layer === 'mentions' ? mentionPopup(p) : aggregatePopup(p, layer); }

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

  var map = L.map('map', { zoomControl: true, maxZoom: 18, worldCopyJump: true, minZoom: 1, keyboard: true });
  map.attributionControl.setPrefix(
    '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');
  map.attributionControl.addAttribution(
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)');
  map.setView([30, 20], 2);

  map.createPane('basemap').style.zIndex = 200;
  map.createPane('newsmap').style.zIndex = 400; // the layers' tiles, above the basemap
  map.createPane('labels').style.zIndex = 450;
  map.getPane('labels').style.pointerEvents = 'none';

  var countries = L.geoJSON(null, {
    pane: 'basemap',
    interactive: false,
    attribution: '<a href="https://www.naturalearthdata.com/">Natural Earth</a>',
    style: { color: '#a39e93', weight: 0.8, fillColor: '#f4f1ea', fillOpacity: 1 }
  }).addTo(map);
  var labels = L.layerGroup();
  var osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 19,
    attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
  });

  var layerControl = L.control.layers(null, null, { collapsed: window.innerWidth < 700 }).addTo(map);
  layerControl.addOverlay(countries, 'Countries (Natural Earth)');
  layerControl.addOverlay(osm, 'OpenStreetMap tiles (online)');

  function unwrap(coords) {
    if (coords.some(function (c) { return Math.abs(c[1]) > 85; })) return coords;
    var out = [coords[0].slice()], prev = coords[0][0];
    for (var i = 1; i < coords.length; i++) {
      var x = coords[i][0];
      while (x - prev > 180) x -= 360;
      while (prev - x > 180) x += 360;
      out.push([x, coords[i][1]]);
      prev = x;
    }
    return out;
  }
  function unwrapGeometry(g) {
    if (!g) return g;
    switch (g.type) {
      case 'LineString': return { type: g.type, coordinates: unwrap(g.coordinates) };
      case 'MultiLineString':
      case 'Polygon': return { type: g.type, coordinates: g.coordinates.map(unwrap) };
      case 'MultiPolygon': return { type: g.type, coordinates: g.coordinates.map(function (p) { return p.map(unwrap); }) };
      default: return g;
    }
  }
  function labelPoint(geom) {
    var polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
    var best = null, bestA = 0;
    polys.forEach(function (poly) {
      var r = poly[0], a = 0, cx = 0, cy = 0;
      for (var i = 0, j = r.length - 1; i < r.length; j = i++) {
        var f = r[j][0] * r[i][1] - r[i][0] * r[j][1];
        a += f; cx += (r[j][0] + r[i][0]) * f; cy += (r[j][1] + r[i][1]) * f;
      }
      if (Math.abs(a) > bestA && a !== 0) { bestA = Math.abs(a); best = [cy / (3 * a), cx / (3 * a), bestA]; }
    });
    return best;
  }
  function updateLabels() {
    var show = map.getZoom() >= 4 && map.hasLayer(countries);
    if (show && !map.hasLayer(labels)) labels.addTo(map);
    if (!show && map.hasLayer(labels)) map.removeLayer(labels);
  }
  map.on('zoomend overlayadd overlayremove', updateLabels);

  fetch('vendor/world-atlas/countries-110m.json').then(function (r) {
    if (!r.ok) throw new Error('basemap: HTTP ' + r.status);
    return r.json();
  }).then(function (topo) {
    var fc = topojson.feature(topo, topo.objects.countries);
    fc.features.forEach(function (f) { f.geometry = unwrapGeometry(f.geometry); });
    countries.addData(fc);
    fc.features.forEach(function (f) {
      var pt = f.geometry && labelPoint(f.geometry);
      if (!pt || !f.properties || !f.properties.name || pt[2] < 2) return;
      L.marker([pt[0], pt[1]], {
        pane: 'labels', interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'country-label', html: esc(f.properties.name), iconSize: null })
      }).addTo(labels);
    });
    updateLabels();
  }).catch(function (e) { status('Basemap unavailable: ' + e.message); });

  // ---------------------------------------------------------------- legend

  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'legend');
    div.setAttribute('role', 'region');
    div.setAttribute('aria-label', 'Legend');
    var kinds = Object.keys(KIND_COLORS).map(function (k) {
      return '<li><span class="sw dot" style="background:' + KIND_COLORS[k] + '"></span>' + esc(k) + '</li>';
    }).join('');
    div.innerHTML = '<details' + (window.innerWidth >= 700 ? ' open' : '') + '><summary>Legend</summary>' +
      '<ul>' +
      '<li><span class="sw ring" style="border-color:' + LAYER_COLORS.places + ';background:' + LAYER_COLORS.places + '55"></span>Places (size: mentions)</li>' +
      '<li><span class="sw line" style="border-color:' + LAYER_COLORS.routes + '"></span>Route / corridor</li>' +
      '<li><span class="sw dash" style="border-color:' + LAYER_COLORS.routes + '"></span>Route (straight line)</li>' +
      '<li><span class="sw area" style="border-color:' + LAYER_COLORS.regions + ';background:' + LAYER_COLORS.regions + '33"></span>Regions</li>' +
      '</ul><h2>Mentions by kind</h2><ul>' + kinds + '</ul></details>';
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);

  // ---------------------------------------------------------------- tiles

  function timeWindow() {
    if (state.allDates || state.day == null) return null;
    return [state.day, state.day + (state.step === 'week' ? 7 : 1) * DAY];
  }

  // shown: the layer is switched on and the feature lies in the slider's window.
  function shown(name, f) {
    var l = state.layers[name];
    if (!l || !map.hasLayer(l.group)) return false;
    var w = timeWindow();
    if (!w) return true;
    return info(f).ivs.some(function (iv) { return iv[0] < w[1] && iv[1] > w[0]; });
  }

  function paintRules(layers) {
    var rules = [];
    layers.forEach(function (l) {
      var name = l.name, src = 'z' + l.maxzoom;
      var filter = function (z, f) { return shown(name, f); };
      var color = LAYER_COLORS[name] || '#555';
      if (name === 'mentions' || (l.geometry === 'point' && name !== 'places')) {
        rules.push({ dataSource: src, dataLayer: name, filter: filter, symbolizer: new protomapsL.CircleSymbolizer({
          radius: function (z, f) { var n = +f.props.point_count || 1; return 6 + Math.min(6, 1.5 * Math.log2(n)); },
          fill: function (z, f) { return KIND_COLORS[f.props.kind] || color; },
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
    out.sort(function (a, b) { return (DRAW_ORDER[b.layer] || 0) - (DRAW_ORDER[a.layer] || 0); });
    return out;
  }

  function openPopupAt(latlng, hits) {
    var top = hits[0];
    var more = hits.slice(1, 6).map(function (h) {
      return '<li>' + esc(h.props.name || h.props.id) + ' <small>(' + esc(LAYER_TITLES[h.layer] || h.layer) + ')</small></li>';
    }).join('');
    var html = popupHTML(top.layer, top.props) +
      (more ? '<div class="popup"><h4>Also here</h4><ul>' + more + '</ul></div>' : '');
    L.popup({ maxWidth: 360 }).setLatLng(latlng).setContent(html).openOn(map);
  }

  map.on('click', function (e) {
    var hits = picked(e.latlng);
    if (hits.length) openPopupAt(e.latlng, hits);
  });

  // ---------------------------------------------------------------- time bar

  var slider = document.getElementById('time');
  var timeLabel = document.getElementById('time-label');
  var allBox = document.getElementById('all-dates');
  var playBtn = document.getElementById('play');

  function configureSlider() {
    if (!state.extent) { slider.disabled = true; playBtn.disabled = true; return; }
    slider.disabled = false; playBtn.disabled = false;
    var lo = dayOf(state.extent[0]), hi = dayOf(state.extent[1] - 1);
    if (state.step === 'week') { lo = mondayOf(lo); hi = mondayOf(hi); }
    slider.min = String(lo / DAY);
    slider.max = String(hi / DAY);
    slider.step = state.step === 'week' ? '7' : '1';
    if (state.day == null || state.day < lo || state.day > hi) state.day = lo;
    if (state.step === 'week') state.day = mondayOf(state.day);
    slider.value = String(state.day / DAY);
  }

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
    var w = timeWindow();
    var label = w ? (state.step === 'week' ? formatWeek(w[0]) + ' (' + isoDay(w[0]) + ')' : isoDay(w[0])) : 'all dates';
    timeLabel.textContent = label;
    slider.setAttribute('aria-valuetext', label);
    redraw();
    if (state.ready) status('Showing ' + countIn(w) + (w && state.step === 'week' ? ' feature-days' : ' features') + ' · ' + label);
    writeHash();
  }

  function setDay(ms, fromUser) {
    state.day = state.step === 'week' ? mondayOf(ms) : dayOf(ms);
    slider.value = String(state.day / DAY);
    if (fromUser && state.allDates) { state.allDates = false; allBox.checked = false; }
    applyTime();
  }

  slider.addEventListener('input', function () { setDay(+slider.value * DAY, true); });
  allBox.addEventListener('change', function () { state.allDates = allBox.checked; applyTime(); });
  Array.prototype.forEach.call(document.querySelectorAll('input[name=step]'), function (r) {
    r.addEventListener('change', function () {
      if (!r.checked) return;
      state.step = r.value;
      configureSlider();
      applyTime();
    });
  });

  function stopPlay() {
    if (state.playing) clearInterval(state.playing);
    state.playing = null;
    playBtn.textContent = '▶'; playBtn.setAttribute('aria-pressed', 'false');
    playBtn.setAttribute('aria-label', 'Play');
  }
  playBtn.addEventListener('click', function () {
    if (state.playing) { stopPlay(); return; }
    if (!state.extent) return;
    if (state.allDates) { state.allDates = false; allBox.checked = false; }
    if (+slider.value >= +slider.max) state.day = +slider.min * DAY;
    setDay(state.day, false);
    playBtn.textContent = '❚❚'; playBtn.setAttribute('aria-pressed', 'true');
    playBtn.setAttribute('aria-label', 'Pause');
    state.playing = setInterval(function () {
      var next = state.day + (state.step === 'week' ? 7 : 1) * DAY;
      if (next / DAY > +slider.max) { stopPlay(); return; }
      setDay(next, false);
    }, 800);
  });

  // ---------------------------------------------------------------- permalink

  var restoring = false;
  function writeHash() {
    if (restoring || !state.ready) return;
    var c = map.getCenter(), z = map.getZoom();
    var on = Object.keys(state.layers).filter(function (n) { return map.hasLayer(state.layers[n].group); });
    if (map.hasLayer(osm)) on.push('osm');
    if (!map.hasLayer(countries)) on.push('-countries');
    var h = '#' + [
      'map=' + z + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4),
      'layers=' + on.join(','),
      't=' + (state.allDates || state.day == null ? 'all' : isoDay(state.day)),
      'step=' + state.step
    ].join('&');
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  function readHash() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    return out;
  }

  function restoreHash() {
    var h = readHash();
    restoring = true;
    var hasView = false;
    if (h.map) {
      var m = h.map.split('/').map(Number);
      if (m.length === 3 && m.every(isFinite)) { map.setView([m[1], m[2]], m[0]); hasView = true; }
    }
    if (h.layers != null) {
      var want = h.layers.split(',');
      Object.keys(state.layers).forEach(function (n) {
        var g = state.layers[n].group;
        if (want.indexOf(n) >= 0) { if (!map.hasLayer(g)) g.addTo(map); } else if (map.hasLayer(g)) map.removeLayer(g);
      });
      if (want.indexOf('osm') >= 0) { if (!map.hasLayer(osm)) osm.addTo(map); } else if (map.hasLayer(osm)) map.removeLayer(osm);
      if (want.indexOf('-countries') >= 0) { if (map.hasLayer(countries)) map.removeLayer(countries); } else if (!map.hasLayer(countries)) countries.addTo(map);
    }
    if (h.step === 'week' || h.step === 'day') {
      state.step = h.step;
      document.querySelector('input[name=step][value=' + h.step + ']').checked = true;
    }
    if (h.t && h.t !== 'all') {
      var iv = parseValue(h.t);
      if (iv) { state.allDates = false; allBox.checked = false; state.day = iv[0]; }
    } else if (h.t === 'all') {
      state.allDates = true; allBox.checked = true;
    }
    configureSlider();
    restoring = false;
    applyTime();
    return hasView;
  }

  map.on('moveend', function () { writeHash(); });
  map.on('overlayadd overlayremove', function () { redraw(); writeHash(); });
  window.addEventListener('hashchange', function () { if (state.ready) restoreHash(); });

  // ---------------------------------------------------------------- search

  var searchForm = document.getElementById('search');
  var searchInput = document.getElementById('search-input');
  var nameList = document.getElementById('place-names');

  function fillNames(places) {
    var seen = {}, opts = [];
    places.forEach(function (pl) {
      pl.names.forEach(function (s) { if (!seen[s]) { seen[s] = true; opts.push(s); } });
    });
    opts.sort(function (a, b) { return a.localeCompare(b); });
    nameList.innerHTML = opts.slice(0, 5000).map(function (s) { return '<option value="' + esc(s) + '">'; }).join('');
  }

  // findPlace: exact name, then prefix, then substring; the most mentioned wins.
  function findPlace(q) {
    q = q.trim().toLowerCase();
    if (!q || !state.index) return null;
    var tests = [
      function (s) { return s.toLowerCase() === q; },
      function (s) { return s.toLowerCase().indexOf(q) === 0; },
      function (s) { return s.toLowerCase().indexOf(q) >= 0; }
    ];
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
      a.textContent = EXPORT_TITLES[d.format] || d.format;
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
      layers.sort(function (a, b) { return (DRAW_ORDER[a.name] == null ? 9 : DRAW_ORDER[a.name]) - (DRAW_ORDER[b.name] == null ? 9 : DRAW_ORDER[b.name]); });
      var sources = {};
      layers.forEach(function (l) { sources['z' + l.maxzoom] = { url: idx.tiles, maxDataZoom: l.maxzoom }; });
      tiles = protomapsL.leafletLayer({ pane: 'newsmap', sources: sources, paintRules: paintRules(layers), labelRules: [], attribution: '' });
      tiles.addTo(map);
      // state.layers keeps index.json's order, which index.days counts follow.
      (idx.layers || []).forEach(function (l) {
        if (layers.indexOf(l) < 0) return;
        var group = L.layerGroup(); // stands for the layer in the control and the permalink
        var t = l.title && l.title !== l.name ? l.title : (LAYER_TITLES[l.name] || l.title || l.name);
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
      if (!restoreHash() && Array.isArray(idx.bounds) && idx.bounds.length === 4) {
        var bb = L.latLngBounds([idx.bounds[1], idx.bounds[0]], [idx.bounds[3], idx.bounds[2]]);
        if (bb.isValid()) map.fitBounds(bb.pad(0.2), { maxZoom: 6 });
      }
      updateLabels();
      applyTime();
      document.body.dataset.ready = 'true';
    }).catch(function (err) {
      status('Could not show the layers: ' + (err && err.message || err));
      console.error(err && err.stack || err);
    });
  }

  // Exposed for debugging and the end-to-end test.
  window.newsmap = {
    map: map, state: state, parseValue: parseValue, highlightQuote: highlightQuote,
    tiles: function () { return tiles; },
    featuresAt: function (lat, lng, brush) { return picked(L.latLng(lat, lng), brush); },
    setDay: function (s) { var iv = parseValue(s); if (iv) setDay(iv[0], true); }
  };

  load();
})();
