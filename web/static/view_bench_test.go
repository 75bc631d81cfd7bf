package static_test

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsmap/web/static"
)

// BenchmarkView measures the view helpers in Chromium at the sizes a large corpus gives:
// placing 2,000 and 20,000 place labels (every zoom runs it over the places shown), and
// the first view's bounds over 100,000 mentions (run once at load). Each operation
// includes one DevTools round trip (about 0.1 ms).
func BenchmarkView(b *testing.B) {
	path := chromiumPath()
	if path == "" {
		b.Skip("chromium not found")
	}
	srv := httptest.NewServer(static.Handler())
	b.Cleanup(srv.Close)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(b.TempDir()))
	b.Cleanup(cancelA)
	ctx, cancelB := chromedp.NewContext(actx)
	b.Cleanup(cancelB)
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	b.Cleanup(cancelT)
	// A blank page of the server with view.js only, and deterministic inputs.
	setup := `(() => { let s = 1; const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
		const labels = n => Array.from({length: n}, () => ({x: rnd() * 1280, y: rnd() * 800,
			r: 4 + rnd() * 12, w: 40 + rnd() * 120, h: 16, weight: Math.floor(rnd() * 50)}));
		window.bench = {l2k: labels(2000), l20k: labels(20000),
			pts: Array.from({length: 100000}, () => [35 + rnd() * 10, 40 + rnd() * 12, 1])};
		return true; })()`
	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/vendor/leaflet/LICENSE")); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise((ok, fail) => {
		const s = document.createElement('script'); s.src = '/view.js'; s.onload = () => ok(true); s.onerror = fail;
		document.head.appendChild(s); })`, chromedp.EvalAwaitPromise)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](setup)); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, js string }{
		{"placeLabels/2000", `newsmapView.placeLabels(bench.l2k).length`},
		{"placeLabels/20000", `newsmapView.placeLabels(bench.l20k).length`},
		{"focusBounds/100000", `newsmapView.focusBounds(bench.pts).length`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](bc.js)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// chromiumPath is Debian's chromium, or "" when there is none.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}
