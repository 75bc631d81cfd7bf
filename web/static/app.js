// newsmap page: an offline Natural Earth basemap, the four layers from /api/layers,
// a time slider, place search, permalinks and downloads. Plain browser JS, no build.
// Property names come from schema.js (generated from geo/schema), the view helpers from
// view.js.
(function () {
  'use strict';

  var S = window.newsmapSchema;
  var V = window.newsmapView;
  var C = window.newsmapClusters;
  var DAY = 86400000;
  var DEFAULT_LAYERS = S.Layers;
  var LAYER_TITLES = { mentions: 'Mentions', places: 'Places', routes: 'Routes', regions: 'Regions' };
  var LAYER_COLORS = { mentions: '#d7301f', places: '#6a3d9a', routes: '#1f78b4', regions: '#33a02c' };
  var KIND_COLORS = {
    city: '#d7301f', town: '#fc4e2a', village: '#fd8d3c', country: '#33a02c', region: '#1b9e77',
    admin: '#66a61e', water: '#1f78b4', route: '#0b5cad', landform: '#a6761d', facility: '#7570b3',
    demonym: '#e7298a'
  };
  var EXPORTS = ['gpkg', 'kml', 'csv', 'geojsonseq'];
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

  // weekStart returns the Monday (UTC ms) that starts ISO week w of year y.
  function weekStart(y, w) {
    var jan4 = Date.UTC(y, 0, 4);
    var wd = (new Date(jan4).getUTCDay() + 6) % 7;
    return jan4 + (7 * (w - 1) - wd) * DAY;
  }

  function weeksInYear(y) { return isoWeek(Date.UTC(y, 11, 28))[1]; }

  // isoWeek returns [year, week] of the ISO week holding ms.
  function isoWeek(ms) {
    var d = dayOf(ms);
    var thu = d + (3 - (new Date(d).getUTCDay() + 6) % 7) * DAY; // Thursday of that week
    var y = new Date(thu).getUTCFullYear();
    return [y, 1 + Math.floor((thu - Date.UTC(y, 0, 1)) / (7 * DAY))];
  }

  function formatWeek(ms) { var w = isoWeek(ms); return w[0] + '-W' + pad(w[1]); }

  // parseValue turns an ISO value at the precisions newsmap writes (2023, 2023-09,
  // 2023-W38, 2023-09-25, 2023-09-25T14, 2023-09-25T14:00[:00][Z]) into a half-open
  // interval [start, end) in UTC milliseconds, or null. It mirrors timex.ParseValue.
  function parseValue(s) {
    if (typeof s !== 'string') return null;
    var v = s.trim(), m, t;
    if ((m = /^(\d{4})$/.exec(v))) {
      t = Date.UTC(+m[1], 0, 1);
      return [t, Date.UTC(+m[1] + 1, 0, 1)];
    }
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

  // featureInterval: from the start of date to the end of date_end (or of date).
  function featureInterval(p) {
    if (!p) return null;
    var a = parseValue(p[S.Date]);
    if (!a) return null;
    var b = p[S.DateEnd] ? parseValue(p[S.DateEnd]) : null;
    return [a[0], b && b[1] > a[0] ? b[1] : a[1]];
  }

  // featureIntervals: a place or route mentioned on several dates is there on each of
  // them (its "dates" list), not on every day between the first and the last.
  function featureIntervals(p) {
    if (p && Array.isArray(p[S.Dates]) && p[S.Dates].length) {
      var ivs = p[S.Dates].map(parseValue).filter(Boolean);
      if (ivs.length) return ivs;
    }
    var iv = featureInterval(p);
    return iv ? [iv] : [];
  }

  // highlightQuote escapes quote and marks the place's words, found at the code point
  // offset quote_start (falling back to a plain search for text).
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
    if (!p[S.Date]) return '';
    return esc(p[S.Date]) + (p[S.DateEnd] && p[S.DateEnd] !== p[S.Date] ? ' – ' + esc(p[S.DateEnd]) : '');
  }

  function row(label, html) { return html === '' || html == null ? '' : '<dt>' + esc(label) + '</dt><dd>' + html + '</dd>'; }

  function title(p) {
    var de = p[S.NameDE] && p[S.NameDE] !== p[S.Name] ? ' <span class="de" lang="de">(' + esc(p[S.NameDE]) + ')</span>' : '';
    return '<h3>' + esc(p[S.Name] || p[S.ID] || 'unnamed') + de + '</h3>';
  }

  function articleLink(p) {
    var u = safeURL(p[S.URL]);
    var t = esc(p[S.Title] || p[S.ArticleID] || '');
    if (!t) return '';
    return u ? '<a href="' + esc(u) + '" target="_blank" rel="noopener noreferrer">' + t + '</a>' : t;
  }

  function list(a, max) {
    if (!Array.isArray(a) || !a.length) return '';
    var more = a.length > max ? ' … (+' + (a.length - max) + ')' : '';
    return a.slice(0, max).map(esc).join(', ') + more;
  }

  function mentionPopup(p) {
    var alts = '';
    if (Array.isArray(p[S.Alternatives]) && p[S.Alternatives].length) {
      alts = '<ul>' + p[S.Alternatives].slice(0, 5).map(function (a) {
        return '<li>' + esc(a[S.Name]) + (a[S.CountryCode] ? ' (' + esc(a[S.CountryCode]) + ')' : '') +
          (typeof a[S.Score] === 'number' ? ' · ' + a[S.Score].toFixed(2) : '') + '</li>';
      }).join('') + '</ul>';
    }
    var conf = typeof p[S.Confidence] === 'number' ? Math.round(p[S.Confidence] * 100) + '%' : '';
    return '<div class="popup">' + title(p) +
      (p[S.Quote] ? '<blockquote>' + highlightQuote(p[S.Quote], p[S.QuoteStart], p[S.Text]) + '</blockquote>' : '') +
      '<dl>' +
      row('Kind', esc(p[S.Kind] || '')) +
      row('Article', articleLink(p)) +
      row('Source', esc(p[S.Source] || '')) +
      row('Date', fmtDates(p) + (p[S.Timex] ? ' <small>(“' + esc(p[S.Timex]) + '”)</small>' : '')) +
      row('Confidence', esc(conf)) +
      row('Alternatives', alts) +
      '</dl></div>';
  }

  function aggregatePopup(p, layer) {
    return '<div class="popup">' + title(p) + '<dl>' +
      row('Kind', esc(p[S.Kind] || '')) +
      (layer === 'routes' ? row('From', esc(p[S.From] || '')) + row('To', esc(p[S.To] || '')) +
        row('Geometry', esc(p[S.GeometrySource] || '')) : '') +
      row('Mentions', p[S.MentionCount] != null ? esc(p[S.MentionCount]) : '') +
      row('Articles', p[S.ArticleCount] != null ? esc(p[S.ArticleCount]) : list(p[S.Articles], 5)) +
      row('Texts', list(p[S.Texts], 8)) +
      row('Dates', fmtDates(p)) +
      '</dl></div>';
  }

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

  var map = L.map('map', { zoomControl: true, maxZoom: 18, worldCopyJump: true, minZoom: 1, keyboard: true });
  map.attributionControl.setPrefix(
    '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');
  map.attributionControl.addAttribution(
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)');
  map.setView([30, 20], 2);

  map.createPane('basemap').style.zIndex = 200;
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

  // unwrap keeps a line or ring continuous across the antimeridian: each longitude is
  // shifted by a multiple of 360 to lie within 180 degrees of the one before, so that a
  // shape cut at 180 (or jumping from 179 to -179) is not drawn across the whole world.
  // Rings that reach the poles (Antarctica) are left as they are.
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
      case 'GeometryCollection': return { type: g.type, geometries: g.geometries.map(unwrapGeometry) };
      default: return g;
    }
  }

  // ringLabelPoint: the area-weighted centroid of the largest outer ring.
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

  // ---------------------------------------------------------------- layers

  function mentionIcon(p) {
    var c = KIND_COLORS[p[S.Kind]] || LAYER_COLORS.mentions;
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
        radius: radius, color: LAYER_COLORS.places, weight: 1.5,
        fillColor: LAYER_COLORS.places, fillOpacity: 0.3
      });
      lyr.bindPopup(function () { return aggregatePopup(p, name); }, { maxWidth: 360 });
      // A permanent label in the articles' own word ("Stepanakert"), with the
      // gazetteer name when it differs ("Xankandi"); declutterLabels moves it to another
      // side of the circle, or hides it, where it would cover another label.
      var text = p[S.Label] && p[S.Label] !== p[S.Name] ? p[S.Label] + ' (' + p[S.Name] + ')' : (p[S.Name] || '');
      lyr.bindTooltip(esc(text), { direction: 'right', permanent: true, className: 'place-label', offset: labelOffset('right', radius) });
      lyr.labelInfo = { radius: radius, weight: n, side: 'right', size: null };
    } else {
      var color = LAYER_COLORS[name] || KIND_COLORS[p[S.Kind]] || '#555';
      lyr = L.geoJSON({ type: 'Feature', properties: p, geometry: unwrapGeometry(g) }, {
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
    return { layer: lyr, iv: featureInterval(p), ivs: featureIntervals(p), props: p, feature: f };
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
    var color = LAYER_COLORS[name] || '#555';
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

  // window returns the slider's current [start, end) or null for all dates.
  function timeWindow() {
    if (state.allDates || state.day == null) return null;
    return [state.day, state.day + (state.step === 'week' ? 7 : 1) * DAY];
  }

  function applyTime() {
    var w = timeWindow();
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
    writeHash();
  }

  // showCounts writes the time label and how many features are shown (for a layer
  // drawn from clusters: those matched in the view).
  function showCounts() {
    var w = timeWindow();
    var shown = 0, total = 0;
    Object.keys(state.layers).forEach(function (name) {
      var l = state.layers[name];
      if (!map.hasLayer(l.group)) return;
      shown += l.server ? l.group.matched : l.visible;
      total += l.server ? l.count : l.items.length;
    });
    var label = w ? (state.step === 'week' ? formatWeek(w[0]) + ' (' + isoDay(w[0]) + ')' : isoDay(w[0])) : 'all dates';
    timeLabel.textContent = label;
    slider.setAttribute('aria-valuetext', label);
    if (state.ready) status('Showing ' + shown + ' of ' + total + ' features · ' + label);
  }

  // ---------------------------------------------------------------- time bar

  var slider = document.getElementById('time');
  var timeLabel = document.getElementById('time-label');
  var allBox = document.getElementById('all-dates');
  var playBtn = document.getElementById('play');

  function mondayOf(ms) { var d = dayOf(ms); return d - ((new Date(d).getUTCDay() + 6) % 7) * DAY; }

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
    var parts = [
      'map=' + z + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4),
      'layers=' + on.join(','),
      't=' + (state.allDates || state.day == null ? 'all' : isoDay(state.day)),
      'step=' + state.step
    ];
    var h = '#' + parts.join('&');
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  // readHash reads the permalink's key=value pairs; a pair that does not decode (a
  // mangled link such as #t=%E0%A4%A) is ignored rather than stopping the page.
  function readHash() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i <= 0) return;
      try {
        out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
      } catch (e) { /* URIError: skip the pair */ }
    });
    return out;
  }

  function restoreHash() {
    var h = readHash();
    restoring = true;
    var hasView = false;
    if (h.map) {
      var m = h.map.split('/').map(Number);
      if (m.length === 3 && m.every(isFinite) && m[0] >= 0 && m[0] <= 22 && Math.abs(m[1]) <= 90 && Math.abs(m[2]) <= 540) {
        map.setView([m[1], m[2]], m[0]); hasView = true;
      }
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

  map.on('moveend overlayadd overlayremove', function () { writeHash(); });
  window.addEventListener('hashchange', function () { if (state.ready) restoreHash(); });

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
    var seen = {}, opts = [];
    ['places', 'mentions'].forEach(function (n) {
      var l = state.layers[n];
      if (!l) return;
      l.items.forEach(function (it) {
        placeNames(it.props).forEach(function (s) {
          if (s && !seen[s]) { seen[s] = true; opts.push(s); }
        });
      });
    });
    opts.sort(function (a, b) { return a.localeCompare(b); });
    nameList.innerHTML = opts.slice(0, 5000).map(function (s) { return '<option value="' + esc(s) + '">'; }).join('');
  }

  function findPlace(q) {
    q = q.trim().toLowerCase();
    if (!q) return null;
    var pools = ['places', 'mentions'].map(function (n) { return state.layers[n] ? state.layers[n].items : []; });
    var tests = [
      function (s) { return s.toLowerCase() === q; },
      function (s) { return s.toLowerCase().indexOf(q) === 0; },
      function (s) { return s.toLowerCase().indexOf(q) >= 0; }
    ];
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
      a.textContent = EXPORT_TITLES[fmt];
      a.setAttribute('download', name + '.' + fmt);
      a.setAttribute('aria-label', 'Download ' + title + ' as ' + EXPORT_TITLES[fmt]);
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
        // Draw order: regions below routes below places below mentions.
        var order = { regions: 0, routes: 1, places: 2, mentions: 3 };
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
          var e = res.e, t = (e.title && e.title !== e.name ? e.title : LAYER_TITLES[e.name]) || e.title || e.name;
          if (res.err) { failed.push(e.name); return; }
          if (res.server) addServerLayer(e, t).group.addTo(map);
          else addLayerData(e.name, t, res.fc).group.addTo(map);
          addDownloads(e.name, t);
        });
        fillNames();
        state.ready = true;
        var hasView = restoreHash();
        if (!hasView) fitToMentions();
        Object.keys(state.layers).forEach(function (n) { if (state.layers[n].server) state.layers[n].group.refresh(); });
        updateLabels();
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
  window.newsmap = { map: map, state: state, parseValue: parseValue, featureInterval: featureInterval,
    highlightQuote: highlightQuote, setDay: function (s) { var iv = parseValue(s); if (iv) setDay(iv[0], true); } };

  load();
})();
