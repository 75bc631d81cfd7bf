// newsmap large layers: a layer too large to download whole (the catalogue's count
// above LARGE) is drawn from server-side clusters (/api/layers/{name}/clusters): one
// request per view (bounds, zoom and time window), a circle per cluster with its count,
// a marker per lone feature whose details are fetched on click. Plain browser JS, no
// build; app.js uses window.newsmapClusters.
(function () {
  'use strict';

  // LARGE is the feature count above which a layer is drawn from clusters.
  var LARGE = 20000;

  function isoInstant(ms) { return new Date(ms).toISOString().replace('.000Z', 'Z'); }

  // serverLayer returns a Leaflet layer group drawing layer name from clusters.
  // opts: color, popup(props) -> html, onUpdate(matched) after each redraw, ready() ->
  // whether the map shows its first view yet (no request for the view before it).
  function serverLayer(name, opts) {
    var group = L.featureGroup();
    var map = null, win = null, seq = 0, ctrl = null;
    group.matched = 0;
    group.loaded = false;

    function url() {
      var b = map.getBounds(), z = Math.round(map.getZoom());
      var w = Math.max(-180, b.getWest()), e = Math.min(180, b.getEast());
      if (b.getEast() - b.getWest() >= 360) { w = -180; e = 180; }
      var s = Math.max(-90, b.getSouth()), n = Math.min(90, b.getNorth());
      var q = 'zoom=' + z + '&bbox=' + [w, s, e, n].map(function (v) { return v.toFixed(5); }).join(',');
      if (win) q += '&datetime=' + isoInstant(win[0]) + '/' + isoInstant(win[1] - 1000);
      return 'api/layers/' + encodeURIComponent(name) + '/clusters?' + q;
    }

    function details(id, ll) {
      var popup = L.popup({ maxWidth: 360 }).setLatLng(ll).setContent('Loading…').openOn(map);
      fetch('api/layers/' + encodeURIComponent(name) + '.geojson?id=' + encodeURIComponent(id) + '&limit=1',
        { headers: { Accept: 'application/geo+json' } })
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
        .then(function (fc) {
          var f = fc.features && fc.features[0];
          popup.setContent(f ? opts.popup(f.properties || {}) : 'Not found.');
        })
        .catch(function (err) { popup.setContent('Could not load the details: ' + (err && err.message || err)); });
    }

    function draw(fc) {
      group.clearLayers();
      var total = 0;
      (fc.features || []).forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties, ll = [c[1], c[0]];
        total += p.count;
        if (p.count === 1 && p.id) {
          var m = L.circleMarker(ll, { radius: 6, color: '#fff', weight: 1.5, fillColor: opts.color, fillOpacity: 0.9 });
          m.on('click', function () { details(p.id, ll); });
          m.featureId = p.id;
          group.addLayer(m);
          return;
        }
        var size = Math.round(Math.min(56, 22 + 6 * Math.log10(p.count)));
        var icon = L.divIcon({
          className: 'cluster-icon', iconSize: [size, size],
          html: '<span style="--c:' + opts.color + '">' + (p.count >= 10000 ? Math.round(p.count / 1000) + 'k' : p.count) + '</span>'
        });
        var mk = L.marker(ll, { icon: icon, keyboard: true, title: p.count + ' features' });
        mk.on('click', function () {
          var bb = p.bbox, bounds = L.latLngBounds([bb[1], bb[0]], [bb[3], bb[2]]);
          if (bounds.getNorth() - bounds.getSouth() < 1e-6 && bounds.getEast() - bounds.getWest() < 1e-6) map.setView(ll, Math.min(map.getMaxZoom(), map.getZoom() + 3));
          else map.fitBounds(bounds.pad(0.1), { maxZoom: map.getMaxZoom() });
        });
        group.addLayer(mk);
      });
      group.matched = fc.numberMatched != null ? fc.numberMatched : total;
      group.loaded = true;
      if (opts.onUpdate) opts.onUpdate(group.matched);
    }

    var last = null; // the URL asked for last (in flight or drawn)
    function refresh() {
      if (!map || (opts.ready && !opts.ready())) return; // the page's first view is not set yet
      var u = url();
      if (u === last) return;
      last = u;
      var my = ++seq;
      if (ctrl) ctrl.abort();
      ctrl = typeof AbortController === 'function' ? new AbortController() : null;
      fetch(u, { headers: { Accept: 'application/geo+json' }, signal: ctrl ? ctrl.signal : undefined })
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
        .then(function (fc) { if (my === seq) draw(fc); })
        .catch(function (err) {
          if (my === seq) last = null; // let the next move try again
          if (!err || err.name !== 'AbortError') console.error(err);
        });
    }

    group.on('add', function () { map = group._map; map.on('moveend', refresh); refresh(); });
    group.on('remove', function () { if (map) map.off('moveend', refresh); map = null; last = null; });
    // setWindow sets the time window [start, end) in ms (null: all dates) and redraws.
    group.setWindow = function (w) {
      var same = (!w && !win) || (w && win && w[0] === win[0] && w[1] === win[1]);
      win = w;
      if (!same) refresh();
    };
    group.refresh = refresh;
    return group;
  }

  window.newsmapClusters = { LARGE: LARGE, serverLayer: serverLayer };
})();
