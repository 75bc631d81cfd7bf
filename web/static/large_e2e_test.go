package static_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsmap/geo/layerstore/layertest"
	"newsmap/geo/schema"
	"newsmap/web"
	"newsmap/web/static"
)

// largeMentions is the size of the large-layer map test: well above the size at which
// the page stops downloading a layer (clusters.js LARGE).
const largeMentions = 100000

// firstRenderBound is the generous bound on the first render of the large layer in the
// test (a loaded CI machine); BenchmarkLargeLayerFirstRender measures the real figure.
const firstRenderBound = 30 * time.Second

// largeServer serves a synthetic mentions layer of n points over Europe and the Middle
// East, dated over 2023, with the page.
func largeServer(tb testing.TB, n int) *httptest.Server {
	tb.Helper()
	kinds := []string{"city", "town", "village", "country", "region"}
	store := layertest.Open(tb, layertest.Spec{
		Name: schema.MentionsLayer, N: n, Seed: [2]uint64{7, 11},
		MinLon: -10, MinLat: 30, DLon: 60, DLat: 30,
		Props: func(i int, r *rand.Rand) string {
			day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365)).Format("2006-01-02")
			name := fmt.Sprintf("Place %d", i%5000)
			return fmt.Sprintf(`%q:%q,%q:%q,%q:%q,%q:%q,%q:"a%d",%q:%q,%q:0,%q:0.9`,
				schema.Name, name, schema.Text, name, schema.Kind, kinds[i%len(kinds)], schema.Date, day,
				schema.ArticleID, i/10, schema.Quote, "Reports came from "+name+" on that day.", schema.QuoteStart, schema.Confidence)
		},
	})
	srv := httptest.NewServer(web.NewServer(store, web.Options{Static: static.Handler()}))
	tb.Cleanup(srv.Close)
	return srv
}

// firstRender opens the page and waits until the large layer's clusters are drawn.
func firstRender(ctx context.Context, url string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		void(chromedp.Poll[bool](`window.newsmap.state.layers.mentions.group.loaded === true`, chromedp.WithPollingInterval(20*time.Millisecond))),
		chromedp.WaitVisible(chromedp.CSS(`.cluster-icon`)),
	)
}

// TestLargeLayerMap: at 100,000 mentions the page draws the layer from server-side
// clusters within the bound, never downloads the whole layer, filters by time on the
// server and fetches a mention's details on click.
func TestLargeLayerMap(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test with a large layer")
	}
	chromium(t)
	srv := largeServer(t, largeMentions)
	ctx, cancel := context.WithTimeout(context.Background(), 2*firstRenderBound+30*time.Second)
	t.Cleanup(cancel)
	log := newNetLog()
	ctx = browser(t, ctx, log)
	t.Cleanup(srv.CloseClientConnections)                                          // before the browser goes: a request may be in flight
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil { // start Chromium outside the timing
		t.Fatal(err)
	}

	start := time.Now()
	if err := firstRender(ctx, srv.URL+"/"); err != nil {
		log.report(t)
		t.Fatalf("first render: %v", err)
	}
	if d := time.Since(start); d > firstRenderBound {
		t.Errorf("first render of %d mentions took %v, bound %v", largeMentions, d, firstRenderBound)
	} else {
		t.Logf("first render of %d mentions: %v", largeMentions, d.Round(time.Millisecond))
	}
	if n := eval[int](t, ctx, `window.newsmap.state.layers.mentions.group.matched`); n < largeMentions/2 {
		t.Errorf("clusters of the first view hold %d mentions, want most of %d", n, largeMentions)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.cluster-icon').length`); n < 5 || n > 2000 {
		t.Errorf("%d clusters drawn", n)
	}

	// the time slider asks the server: a day holds about 1/365 of the mentions
	setSliderDay(t, ctx, "2023-06-15")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.newsmap.state.layers.mentions.group.matched < 2000`, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		t.Fatalf("time filter: %v", err)
	}

	// zoomed in far, lone mentions are markers; a click fetches the mention
	eval[bool](t, ctx, `(() => { document.getElementById('all-dates').click(); return true; })()`)
	// find a lone mention anywhere at a deep zoom: jump to the first one of a wider view
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch('api/layers/mentions/clusters?zoom=16&bbox=-10,30,50,60');
		const fc = await r.json(); const f = fc.features.find(f => f.properties.id);
		const m = window.newsmap.map; const c = f.geometry.coordinates;
		const g = window.newsmap.state.layers.mentions.group;
		g.loaded = false; m.setView([c[1], c[0]], 16, {animate: false});
		return f.properties.id; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("find a lone mention: %v", err)
	}
	if err := chromedp.Do(ctx, void(chromedp.Poll[bool](fmt.Sprintf(`(() => { let hit = false; const g = window.newsmap.state.layers.mentions.group;
		g.eachLayer(l => { if (l.featureId === %q) { l.fire('click'); hit = true; } }); return hit; })()`, id), chromedp.WithPollingInterval(20*time.Millisecond))),
		chromedp.WaitVisible(chromedp.CSS(`.leaflet-popup-content blockquote`))); err != nil {
		log.report(t)
		t.Fatalf("details of %s: %v", id, err)
	}
	quote := eval[string](t, ctx, `document.querySelector('.leaflet-popup-content blockquote').textContent`)
	if !strings.HasPrefix(quote, "Reports came from Place") {
		t.Errorf("popup quote %q", quote)
	}

	log.mu.Lock()
	for _, u := range log.urls {
		if strings.HasPrefix(u, "GET ") && strings.HasSuffix(u, "/api/layers/mentions.geojson") {
			t.Errorf("the page downloaded the whole large layer: %s", u)
		}
	}
	// a pan or a new time window cancels the clusters request it makes stale
	problems := log.problems[:0]
	for _, p := range log.problems {
		if !strings.Contains(p, "/clusters?") || !strings.Contains(p, "ERR_ABORTED") {
			problems = append(problems, p)
		}
	}
	log.problems = problems
	log.mu.Unlock()
	log.check(t, strings.TrimPrefix(srv.URL, "http://"))
}

// BenchmarkLargeLayerFirstRender measures the first render of a 100,000-mention layer in
// headless Chromium: from navigation to the clusters drawn, in a running browser (a
// returning reader: the page's assets and the server's answer for the first view may
// be cached, as they are for every reader after the first).
func BenchmarkLargeLayerFirstRender(b *testing.B) {
	path := chromiumPath()
	if path == "" {
		b.Skip("chromium not found")
	}
	srv := largeServer(b, largeMentions)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(b.TempDir()),
		chromedp.WindowSize(1280, 800))
	b.Cleanup(cancelA)
	ctx, cancelB := chromedp.NewContext(actx)
	b.Cleanup(cancelB)
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
	b.Cleanup(cancelT)
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := firstRender(ctx, srv.URL+"/"); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
	}
}
