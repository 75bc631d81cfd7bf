// newsmap page parts that the served map (app.js) and the published static site
// (web/site/site.js; `newsmap publish` copies this file into the site) share: escaping,
// the dates newsmap writes, the popups, the map with its offline basemap and legend, the
// time bar and the permalink. One copy, so that a change reaches both pages. Plain
// browser JS, no build; property names come from schema.js; the pages use it as
// window.newsmapPage.
(function () {
  'use strict';

  var S = window.newsmapSchema;
  var DAY = 86400000;
  var LAYER_TITLES = { mentions: 'Mentions', places: 'Places', routes: 'Routes', regions: 'Regions' };
  var LAYER_COLORS = { mentions: '#d7301f', places: '#6a3d9a', routes: '#1f78b4', regions: '#33a02c' };
  var KIND_COLORS = {
    city: '#d7301f', town: '#fc4e2a', village: '#fd8d3c', country: '#33a02c', region: '#1b9e77',
    admin: '#66a61e', water: '#1f78b4', route: '#0b5cad', landform: '#a6761d', facility: '#7570b3',
    demonym: '#e7298a'
  };
  // Draw order: regions below routes below places below mentions.
  var DRAW_ORDER = { regions: 0, routes: 1, places: 2, mentions: 3 };
  var EXPORT_TITLES = { geojson: 'GeoJSON', gpkg: 'GeoPackage', kml: 'KML', csv: 'CSV', geojsonseq: 'GeoJSONSeq' };

  // ---------------------------------------------------------------- text

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

  // ---------------------------------------------------------------- dates

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

  function mondayOf(ms) { var d = dayOf(ms); return d - ((new Date(d).getUTCDay() + 6) % 7) * DAY; }

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

  // ---------------------------------------------------------------- popups

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

  // mentionPopup is the HTML of a mention's popup; note (HTML, may be empty) ends it.
  function mentionPopup(p, note) {
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
      '</dl>' + (note || '') + '</div>';
  }

  // aggregatePopup is the HTML of a place's, route's or region's popup.
  function aggregatePopup(p, layer, note) {
    return '<div class="popup">' + title(p) + '<dl>' +
      row('Kind', esc(p[S.Kind] || '')) +
      (layer === 'routes' ? row('From', esc(p[S.From] || '')) + row('To', esc(p[S.To] || '')) +
        row('Geometry', esc(p[S.GeometrySource] || '')) : '') +
      row('Mentions', p[S.MentionCount] != null ? esc(p[S.MentionCount]) : '') +
      row('Articles', p[S.ArticleCount] != null ? esc(p[S.ArticleCount]) : list(p[S.Articles], 5)) +
      row('Texts', list(p[S.Texts], 8)) +
      row('Dates', fmtDates(p)) +
      '</dl>' + (note || '') + '</div>';
  }

  function popupHTML(layer, p, note) {
    return layer === S.MentionsLayer ? mentionPopup(p, note) : aggregatePopup(p, layer, note);
  }

  // ---------------------------------------------------------------- map and basemap

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

  // labelPoint: [lat, lon, area] of the area-weighted centroid of the largest outer ring.
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

  function addLegend(map) {
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
  }

  // newMap makes the Leaflet map in the element with id: the offline Natural Earth
  // countries (with their names from zoom 4), OpenStreetMap tiles to switch on, the layer
  // control and the legend. status reports a basemap that cannot be read. It returns
  // {map, countries, osm, layerControl, updateLabels}.
  function newMap(id, status) {
    var map = L.map(id, { zoomControl: true, maxZoom: 18, worldCopyJump: true, minZoom: 1, keyboard: true });
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

    addLegend(map);
    return { map: map, countries: countries, osm: osm, layerControl: layerControl, updateLabels: updateLabels };
  }

  // ---------------------------------------------------------------- search

  // fillNames offers names (deduplicated, sorted, at most 5,000) in the datalist el.
  function fillNames(el, names) {
    var seen = {}, opts = [];
    names.forEach(function (s) { if (s && !seen[s]) { seen[s] = true; opts.push(s); } });
    opts.sort(function (a, b) { return a.localeCompare(b); });
    el.innerHTML = opts.slice(0, 5000).map(function (s) { return '<option value="' + esc(s) + '">'; }).join('');
  }

  // nameTests are the ways a name matches the query q, best first: exactly, as a
  // prefix, anywhere (case-insensitive).
  function nameTests(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    return [
      function (s) { return s.toLowerCase() === q; },
      function (s) { return s.toLowerCase().indexOf(q) === 0; },
      function (s) { return s.toLowerCase().indexOf(q) >= 0; }
    ];
  }

  // ---------------------------------------------------------------- time bar

  // timeWindow returns the slider's current [start, end) or null for all dates.
  function timeWindow(state) {
    if (state.allDates || state.day == null) return null;
    return [state.day, state.day + (state.step === 'week' ? 7 : 1) * DAY];
  }

  // timeBar wires the page's time bar (#time, #time-label, #all-dates, #play, the step
  // radios) to state ({extent, allDates, step, day, playing}); applyTime redraws after
  // each change. It returns {configure, setDay, setAllDates, label}.
  function timeBar(state, applyTime) {
    var slider = document.getElementById('time');
    var timeLabel = document.getElementById('time-label');
    var allBox = document.getElementById('all-dates');
    var playBtn = document.getElementById('play');

    function configure() {
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

    function setAllDates(all) { state.allDates = all; allBox.checked = all; }

    function setDay(ms, fromUser) {
      state.day = state.step === 'week' ? mondayOf(ms) : dayOf(ms);
      slider.value = String(state.day / DAY);
      if (fromUser && state.allDates) setAllDates(false);
      applyTime();
    }

    // label writes and returns the name of the window w (null: all dates).
    function label(w) {
      var text = w ? (state.step === 'week' ? formatWeek(w[0]) + ' (' + isoDay(w[0]) + ')' : isoDay(w[0])) : 'all dates';
      timeLabel.textContent = text;
      slider.setAttribute('aria-valuetext', text);
      return text;
    }

    slider.addEventListener('input', function () { setDay(+slider.value * DAY, true); });
    allBox.addEventListener('change', function () { state.allDates = allBox.checked; applyTime(); });
    Array.prototype.forEach.call(document.querySelectorAll('input[name=step]'), function (r) {
      r.addEventListener('change', function () {
        if (!r.checked) return;
        state.step = r.value;
        configure();
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
      if (state.allDates) setAllDates(false);
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

    return { configure: configure, setDay: setDay, setAllDates: setAllDates, label: label };
  }

  // ---------------------------------------------------------------- permalink

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

  // permalink keeps the location's hash (#map=z/lat/lon&layers=…&t=…&step=…) in step
  // with the view of base (from newMap), the layers of state.layers (each with a
  // group on the map) and the time bar bar; applyTime redraws after a restore. It
  // returns {write, restore}; restore reports whether the hash set the view.
  function permalink(base, state, bar, applyTime) {
    var map = base.map, osm = base.osm, countries = base.countries;
    var restoring = false;

    function write() {
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

    function toggle(layer, on) {
      if (on) { if (!map.hasLayer(layer)) layer.addTo(map); } else if (map.hasLayer(layer)) map.removeLayer(layer);
    }

    function restore() {
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
        Object.keys(state.layers).forEach(function (n) { toggle(state.layers[n].group, want.indexOf(n) >= 0); });
        toggle(osm, want.indexOf('osm') >= 0);
        toggle(countries, want.indexOf('-countries') < 0);
      }
      if (h.step === 'week' || h.step === 'day') {
        state.step = h.step;
        document.querySelector('input[name=step][value=' + h.step + ']').checked = true;
      }
      if (h.t && h.t !== 'all') {
        var iv = parseValue(h.t);
        if (iv) { bar.setAllDates(false); state.day = iv[0]; }
      } else if (h.t === 'all') {
        bar.setAllDates(true);
      }
      bar.configure();
      restoring = false;
      applyTime();
      return hasView;
    }

    map.on('moveend overlayadd overlayremove', write);
    window.addEventListener('hashchange', function () { if (state.ready) restore(); });
    return { write: write, restore: restore };
  }

  window.newsmapPage = Object.freeze({
    DAY: DAY, LAYER_TITLES: LAYER_TITLES, LAYER_COLORS: LAYER_COLORS, KIND_COLORS: KIND_COLORS,
    DRAW_ORDER: DRAW_ORDER, EXPORT_TITLES: EXPORT_TITLES,
    esc: esc, safeURL: safeURL,
    dayOf: dayOf, isoDay: isoDay, formatWeek: formatWeek, mondayOf: mondayOf,
    parseValue: parseValue, featureInterval: featureInterval, featureIntervals: featureIntervals,
    highlightQuote: highlightQuote, mentionPopup: mentionPopup, aggregatePopup: aggregatePopup, popupHTML: popupHTML,
    unwrapGeometry: unwrapGeometry, newMap: newMap,
    fillNames: fillNames, nameTests: nameTests,
    timeWindow: timeWindow, timeBar: timeBar, readHash: readHash, permalink: permalink
  });
})();
