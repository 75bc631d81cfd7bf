package static_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsmap/geo/schema"
)

// viewPlace is a place of the regional fixture: a story about Karabakh that also names
// Moscow, Russia and the United States a few times.
type viewPlace struct {
	id, label, name string
	lon, lat        float64
	mentions        int
}

var viewPlaces = []viewPlace{
	{"gn:nk", "Bergkarabach", "Nagorno-Karabakh", 46.75, 39.83, 16},
	{"gn:stepanakert", "Stepanakert", "Xankandi", 46.7528, 39.8177, 4},
	{"gn:goris", "Goris", "Goris", 46.34168, 39.51111, 2},
	{"gn:yerevan", "Eriwan", "Yerevan", 44.51361, 40.18111, 1},
	{"cc:AM", "Armenien", "Armenia", 45, 40, 10},
	{"cc:AZ", "Aserbaidschan", "Azerbaijan", 47.5, 40.5, 9},
	{"gn:moscow", "Moskau", "Moscow", 37.61556, 55.75222, 5},
	{"cc:RU", "Russland", "Russia", 100, 60, 3},
	{"cc:US", "USA", "United States", -97, 38, 1},
}

// writeViewLayers writes the mentions and places layers of viewPlaces into a new folder.
func writeViewLayers(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	feature := func(id string, lon, lat float64, props map[string]any) map[string]any {
		props[schema.ID] = id
		props[schema.Date] = "2023-09-25"
		return map[string]any{"type": "Feature", "id": id,
			"geometry": map[string]any{"type": "Point", "coordinates": []float64{lon, lat}}, "properties": props}
	}
	var mentions, places []any
	for _, p := range viewPlaces {
		for i := range p.mentions {
			mentions = append(mentions, feature(fmt.Sprintf("a:%s:%d", p.id, i), p.lon, p.lat, map[string]any{
				schema.Name: p.name, schema.Text: p.label, schema.PlaceID: p.id, schema.Kind: "city",
			}))
		}
		places = append(places, feature(p.id, p.lon, p.lat, map[string]any{
			schema.Name: p.name, schema.Label: p.label, schema.MentionCount: p.mentions,
			schema.Texts: []string{p.label}, schema.Kind: "city",
		}))
	}
	for name, feats := range map[string][]any{schema.MentionsLayer: mentions, schema.PlacesLayer: places} {
		b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".geojson"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// labelOverlaps lists the place labels shown in the map's box and the pairs of them
// that overlap on screen.
const labelOverlaps = `(() => {
	const m = document.getElementById('map').getBoundingClientRect();
	const ls = [...document.querySelectorAll('.leaflet-tooltip.place-label')].filter(e => {
		const r = e.getBoundingClientRect();
		return getComputedStyle(e).visibility !== 'hidden' && r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom;
	});
	const out = [];
	for (let i = 0; i < ls.length; i++) for (let j = i + 1; j < ls.length; j++) {
		const a = ls[i].getBoundingClientRect(), b = ls[j].getBoundingClientRect();
		if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
			out.push(ls[i].textContent + ' / ' + ls[j].textContent);
	}
	return JSON.stringify({shown: ls.map(e => e.textContent), overlaps: out});
})()`

type labelState struct {
	Shown, Overlaps []string
}

func labels(t *testing.T, ctx context.Context) labelState {
	t.Helper()
	var s labelState
	if err := json.Unmarshal([]byte(eval[string](t, ctx, labelOverlaps)), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestE2EView opens the map without a permalink on a regional story with a few far
// mentions: the first view is the region, not the world, and no place label covers
// another at any zoom.
func TestE2EView(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test")
	}
	chromium(t)
	ts := httptest.NewServer(newServer(t, writeViewLayers(t)))
	t.Cleanup(ts.Close)
	srv := ts.URL
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	log := newNetLog()
	ctx = browser(t, ctx, log)

	log.do(t, ctx, "load page",
		chromedp.Navigate(srv+"/"),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
	)
	var view struct {
		Zoom         int
		In           map[string]bool
		South, North float64
		West, East   float64
	}
	js := `(() => { const m = window.newsmap.map, b = m.getBounds(), in_ = {};
		for (const [n, lat, lon] of %s) in_[n] = b.contains([lat, lon]);
		return JSON.stringify({zoom: m.getZoom(), in: in_, south: b.getSouth(), north: b.getNorth(),
			west: b.getWest(), east: b.getEast()}); })()`
	var pts []string
	for _, p := range viewPlaces {
		pts = append(pts, fmt.Sprintf("[%q, %g, %g]", p.name, p.lat, p.lon))
	}
	if err := json.Unmarshal([]byte(eval[string](t, ctx, fmt.Sprintf(js, "["+strings.Join(pts, ",")+"]"))), &view); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Nagorno-Karabakh", "Xankandi", "Goris", "Yerevan", "Armenia", "Azerbaijan"} {
		if !view.In[name] {
			t.Errorf("first view %+v leaves out %s", view, name)
		}
	}
	for _, name := range []string{"Moscow", "Russia", "United States"} {
		if view.In[name] {
			t.Errorf("first view %+v takes in the outlier %s", view, name)
		}
	}
	if view.Zoom < 5 {
		t.Errorf("first view zoom %d, want the region (≥ 5)", view.Zoom)
	}

	for _, zoom := range []int{6, 5, 4, 3, 8, 10} {
		log.do(t, ctx, fmt.Sprintf("zoom %d", zoom),
			// without animation, zoomend and with it the label placement run at once
			void(chromedp.Evaluate[bool](fmt.Sprintf(`(window.newsmap.map.setView([39.8, 46.7], %d, {animate: false}), true)`, zoom))),
		)
		s := labels(t, ctx)
		if len(s.Overlaps) > 0 {
			t.Errorf("zoom %d: labels overlap: %v", zoom, s.Overlaps)
		}
		if len(s.Shown) == 0 {
			t.Errorf("zoom %d: no label shown", zoom)
		}
		if zoom == 6 {
			for _, want := range []string{"Stepanakert (Xankandi)", "Bergkarabach (Nagorno-Karabakh)"} {
				found := false
				for _, l := range s.Shown {
					found = found || l == want
				}
				if !found {
					t.Errorf("zoom 6: label %q not shown (shown: %v)", want, s.Shown)
				}
			}
		}
	}
	log.check(t, strings.TrimPrefix(srv, "http://"))
}
