package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsmap/web/site"
)

// fixtureLayers are the served page's end-to-end fixture: a Stepanakert mention dated
// 2023-09-25, a Moscow mention dated 2021-01-11 and a week-dated Armenia mention.
const fixtureLayers = "../static/testdata/layers"

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// void drops an action's value.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := a(ctx, t)
		return err
	})
}

func poll(js string) chromedp.Action[chromedp.Void] {
	return void(chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second)))
}

// stepanakert is the JS that lists the shown features at the Stepanakert mention.
const stepanakert = `window.newsmap.featuresAt(39.81564, 46.75186, 8).filter(f => f.layer === 'mentions' && f.props.name === 'Stepanakert').length`

// pixel reads the drawn colour at Stepanakert from the tile canvases, as [r, g, b, a].
const pixel = `(() => {
  const pt = window.newsmap.map.latLngToContainerPoint([39.81564, 46.75186]);
  const box = document.getElementById('map').getBoundingClientRect();
  const x = box.left + pt.x, y = box.top + pt.y;
  let best = [0, 0, 0, 0];
  for (const c of document.querySelectorAll('canvas.leaflet-tile')) {
    const r = c.getBoundingClientRect();
    if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
    const s = c.width / r.width;
    const d = c.getContext('2d').getImageData(Math.floor((x - r.left) * s), Math.floor((y - r.top) * s), 1, 1).data;
    if (d[3] > best[3]) best = Array.from(d);
  }
  return JSON.stringify(best);
})()`

func mentionRed(rgba []int) bool {
	return rgba[3] > 200 && rgba[0] > 150 && rgba[1] < 110 && rgba[2] < 110
}

func readPixel(t *testing.T, ctx context.Context) []int {
	var rgba []int
	if err := json.Unmarshal([]byte(eval[string](t, ctx, pixel)), &rgba); err != nil || len(rgba) != 4 {
		t.Fatalf("pixel: %v %v", rgba, err)
	}
	return rgba
}

// waitPixel polls until the pixel at Stepanakert is (or is not) the mention red.
func waitPixel(t *testing.T, ctx context.Context, red bool) {
	t.Helper()
	var last []int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if last = readPixel(t, ctx); mentionRed(last) == red {
			return
		}
	}
	t.Fatalf("pixel at Stepanakert is %v; want mention red: %v", last, red)
}

// TestPublishedSiteInChromium publishes the fixture, serves the folder with nginx and
// drives the page in headless Chromium: features drawn from the PMTiles archive (read
// with range requests), the time slider, popups, search, permalink and downloads.
func TestPublishedSiteInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test")
	}
	chrome := tool(t, "/usr/bin/chromium", "chromium", "chromium-browser")
	dir, _ := publish(t, fixtureLayers, site.Options{})
	base, accessLog := nginx(t, dir)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	actx, cancelA := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 800))
	t.Cleanup(cancelA)
	var consoleErrors []string
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	ctx = bctx

	run(t, ctx, "load page",
		chromedp.Navigate(base+"/#map=8/39.8156/46.7519&layers=mentions,places,routes,regions&t=all&step=day"),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		poll(stepanakert+` > 0`),
		// The Natural Earth basemap is drawn (below the layers).
		poll(`document.querySelectorAll('.leaflet-basemap-pane path').length > 100`),
	)
	waitPixel(t, ctx, true)
	if got := eval[string](t, ctx, `document.querySelector('#time-label').textContent`); got != "all dates" {
		t.Errorf("time label %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.leaflet-control-layers-overlays input').length`); n != 6 {
		t.Errorf("layer control has %d overlays, want 4 layers + countries + OSM", n)
	}

	t.Run("time slider", func(t *testing.T) {
		run(t, ctx, "first day", chromedp.Click(chromedp.CSS(`#all-dates`)))
		if got := eval[string](t, ctx, `document.querySelector('#time-label').textContent`); got != "2021-01-11" {
			t.Errorf("slider starts at %q, want 2021-01-11", got)
		}
		run(t, ctx, "Stepanakert hidden on 2021-01-11", poll(stepanakert+` === 0`))
		waitPixel(t, ctx, false)
		run(t, ctx, "slide to 2023-09-25", void(chromedp.Evaluate[bool](`(() => { const s = document.getElementById('time');
				s.value = String(Date.UTC(2023, 8, 25) / 86400000); return s.dispatchEvent(new Event('input')); })()`)),
			poll(stepanakert+` > 0`))
		waitPixel(t, ctx, true)
		if h := eval[string](t, ctx, `location.hash`); !strings.Contains(h, "t=2023-09-25") {
			t.Errorf("permalink %q lacks the day", h)
		}
		if s := eval[string](t, ctx, `document.getElementById('status').textContent`); !strings.Contains(s, "2023-09-25") {
			t.Errorf("status %q", s)
		}
	})

	t.Run("popup", func(t *testing.T) {
		pt := eval[[]float64](t, ctx, `(() => { const p = window.newsmap.map.latLngToContainerPoint([39.81564, 46.75186]);
			const b = document.getElementById('map').getBoundingClientRect(); return [b.left + p.x, b.top + p.y]; })()`)
		run(t, ctx, "click Stepanakert", chromedp.MouseClickXY(pt[0], pt[1]),
			chromedp.WaitVisible(chromedp.CSS(`.leaflet-popup-content blockquote mark`)))
		if h := eval[string](t, ctx, `document.querySelector('.leaflet-popup-content h3').textContent`); !strings.Contains(h, "Stepanakert") {
			t.Errorf("popup title %q", h)
		}
	})

	t.Run("search", func(t *testing.T) {
		run(t, ctx, "search Moskau",
			chromedp.Click(chromedp.CSS(`#all-dates`)),
			chromedp.SetValue(chromedp.CSS(`#search-input`), "Moskau"),
			chromedp.Click(chromedp.CSS(`#search button[type=submit]`)),
			poll(`(() => { const p = document.querySelector('.leaflet-popup-content h3'); return !!p && p.textContent.includes('Moscow'); })()`))
	})

	t.Run("downloads", func(t *testing.T) {
		hrefs := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#download-list a')).map(a => a.href)`)
		if len(hrefs) != 8 {
			t.Fatalf("downloads %v, want GeoJSON and GeoPackage of 4 layers", hrefs)
		}
		for _, h := range hrefs {
			resp, err := http.Get(h)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %s", h, resp.Status)
			}
		}
	})

	t.Run("malformed permalink", func(t *testing.T) {
		// A mangled link must not stop the page ("URI malformed"): page.js ignores the
		// pairs that do not decode, as on the served map, and the layers load.
		run(t, ctx, "load a malformed permalink",
			chromedp.Navigate(base+"/#t=%E0%A4%A&map=abc/x/1&layers=%zz&step=%"),
			chromedp.Reload(),
			chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		)
		if n := eval[int](t, ctx, `Object.keys(window.newsmap.state.layers).length`); n != 4 {
			t.Errorf("%d layers loaded after a malformed permalink, want 4", n)
		}
		if got := eval[string](t, ctx, `document.querySelector('#time-label').textContent`); got != "all dates" {
			t.Errorf("time label %q after a malformed permalink, want all dates", got)
		}
	})

	// The archive was read with range requests (206), never whole.
	b, err := os.ReadFile(accessLog)
	if err != nil {
		t.Fatal(err)
	}
	ranges, whole := 0, 0
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, site.TilesPath) {
			continue
		}
		switch {
		case strings.Contains(line, "\" 206 "):
			ranges++
		case strings.Contains(line, "\" 200 "):
			whole++
		}
	}
	if ranges == 0 || whole > 0 {
		t.Errorf("archive requests: %d range (206), %d whole (200); want only range requests", ranges, whole)
	}
	for _, e := range consoleErrors {
		t.Errorf("console: %s", e)
	}
	fmt.Fprintf(os.Stderr, "published site: %d range requests for the archive\n", ranges)
}
