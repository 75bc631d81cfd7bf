package static_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"newsmap/web/static"
)

// fixtureLayers follows the layer contract (docs/ARCHITECTURE.md): a Stepanakert
// mention dated 2023-09-25, a Moscow mention dated 2021-01-11 and a week-dated one.
const fixtureLayers = "testdata/layers"

// chromium finds Debian's chromium; without it the test fails when
// NEWSMAP_REQUIRE_TOOLS=1 and is skipped otherwise.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
		t.Fatal("chromium not found (apt-get install -y chromium) and NEWSMAP_REQUIRE_TOOLS=1")
	}
	t.Skip("chromium not found; apt-get install -y chromium")
	return ""
}

// netLog records what the page asked for, from the tab's network events.
type netLog struct {
	mu       sync.Mutex
	requests map[network.RequestID]*network.Request
	urls     []string
	problems []string
}

func newNetLog() *netLog { return &netLog{requests: map[network.RequestID]*network.Request{}} }

func (n *netLog) listen(ev any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		n.requests[ev.RequestID] = ev.Request
		n.urls = append(n.urls, ev.Request.Method+" "+ev.Request.URL)
	case *network.EventLoadingFailed:
		req := n.requests[ev.RequestID]
		if req != nil && req.Method == http.MethodHead {
			return // a probe for an optional export format that is not served
		}
		u := "?"
		if req != nil {
			u = req.Method + " " + req.URL
		}
		n.problems = append(n.problems, fmt.Sprintf("failed: %s: %s", u, ev.ErrorText))
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg = d.Exception.Description
		}
		n.problems = append(n.problems, fmt.Sprintf("script error: %s (%s:%d)", msg, d.URL, d.LineNumber+1))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			n.problems = append(n.problems, "console.error: "+strings.Join(parts, " "))
		}
	case *network.EventResponseReceived:
		req := n.requests[ev.RequestID]
		// Probes for optional export formats may answer 404 or 405.
		if ev.Response.Status >= 400 && (req == nil || req.Method != http.MethodHead) {
			n.problems = append(n.problems, fmt.Sprintf("HTTP %d: %s", ev.Response.Status, ev.Response.URL))
		}
	}
}

// check reports failed requests and requests to any host but the test server.
func (n *netLog) check(t *testing.T, hosts ...string) {
	t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, p := range n.problems {
		t.Errorf("network: %s", p)
	}
	if len(n.urls) == 0 {
		t.Error("network: no requests seen")
	}
	for _, s := range n.urls {
		_, raw, _ := strings.Cut(s, " ")
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("network: bad URL %q", raw)
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about":
			continue
		}
		if !slices.Contains(hosts, u.Host) {
			t.Errorf("network: request to another host: %s", s)
		}
	}
}

func browser(t *testing.T, ctx context.Context, log *netLog) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelA)
	var copts []chromedp.ContextOption
	if log != nil {
		copts = append(copts, chromedp.WithListener(log.listen))
	}
	bctx, cancelB := chromedp.NewContext(actx, copts...)
	t.Cleanup(cancelB)
	return bctx
}

// do runs steps in the tab of ctx; on failure it reports what the page did.
func (n *netLog) do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		n.report(t)
		t.Fatalf("%s: %v", what, err)
	}
}

func (n *netLog) report(t *testing.T) {
	t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, p := range n.problems {
		t.Logf("seen: %s", p)
	}
	for _, u := range n.urls {
		t.Logf("requested: %s", u)
	}
}

// void drops an action's value.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := a(ctx, t)
		return err
	})
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

const stepanakert = `.leaflet-marker-icon[title="Stepanakert"]`

// setSliderDay moves the time slider the way a user's input does.
func setSliderDay(t *testing.T, ctx context.Context, day string) {
	t.Helper()
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		t.Fatal(err)
	}
	js := fmt.Sprintf(`(() => { const s = document.getElementById('time');
		s.value = String(%d); s.dispatchEvent(new Event('input', {bubbles: true})); return s.value; })()`,
		d.Unix()/86400)
	eval[string](t, ctx, js)
}

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test")
	}
	chromium(t)
	srv := httptest.NewServer(newServer(t, fixtureLayers))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	log := newNetLog()
	ctx = browser(t, ctx, log)

	// Load with a permalink: the view around Stepanakert, all layers, all dates.
	log.do(t, ctx, "load page",
		chromedp.Navigate(srv.URL+"/#map=7/39.8156/46.7519&layers=mentions,places,routes,regions&t=all&step=day"),
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(stepanakert)),
		chromedp.WaitReady(chromedp.CSS(`path.leaflet-interactive`)),
	)
	if n := eval[int](t, ctx, `window.newsmap.state.layers.mentions.count`); n != 3 {
		t.Errorf("mentions loaded = %d, want 3", n)
	}
	attribution := eval[string](t, ctx, `document.querySelector('.leaflet-control-attribution').textContent`)
	for _, want := range []string{"GeoNames", "CC BY 4.0", "Natural Earth"} {
		if !strings.Contains(attribution, want) {
			t.Errorf("attribution %q lacks %q", attribution, want)
		}
	}
	if strings.Contains(attribution, "OpenStreetMap") {
		t.Errorf("attribution %q names OpenStreetMap while its tiles are off", attribution)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll('.leaflet-basemap-pane path, .leaflet-pane path').length`); got < 100 {
		t.Errorf("basemap: %d paths drawn, want the Natural Earth countries", got)
	}

	t.Run("time parsing", func(t *testing.T) {
		js := `(() => { const p = window.newsmap.parseValue; const iso = v => v && v.map(x => new Date(x).toISOString());
			return JSON.stringify({w38: iso(p('2023-W38')), w53: iso(p('2020-W53')), bad: p('2023-W54'),
			month: iso(p('2023-02')), year: iso(p('2024')), hour: iso(p('2023-09-25T14:00')), day: iso(p('2023-02-29')),
			range: iso(window.newsmap.featureInterval({date: '2023-09', date_end: '2023-W40'}))}); })()`
		var got map[string][]string
		if err := json.Unmarshal([]byte(eval[string](t, ctx, js)), &got); err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"w38":   {"2023-09-18T00:00:00.000Z", "2023-09-25T00:00:00.000Z"},
			"w53":   {"2020-12-28T00:00:00.000Z", "2021-01-04T00:00:00.000Z"},
			"bad":   nil,
			"month": {"2023-02-01T00:00:00.000Z", "2023-03-01T00:00:00.000Z"},
			"year":  {"2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"},
			"hour":  {"2023-09-25T14:00:00.000Z", "2023-09-25T15:00:00.000Z"},
			"day":   nil,
			"range": {"2023-09-01T00:00:00.000Z", "2023-10-09T00:00:00.000Z"},
		}
		for k, w := range want {
			if !slices.Equal(got[k], w) {
				t.Errorf("%s: got %v, want %v", k, got[k], w)
			}
		}
		esc := eval[string](t, ctx, `window.newsmap.highlightQuote('a <b>Baku</b> & "x"', 5, 'Baku')`)
		if want := `a &lt;b&gt;<mark>Baku</mark>&lt;/b&gt; &amp; &quot;x&quot;`; esc != want {
			t.Errorf("highlightQuote = %s, want %s", esc, want)
		}
	})

	t.Run("time slider", func(t *testing.T) {
		log.do(t, ctx, "uncheck all dates", chromedp.Click(chromedp.CSS(`#all-dates`)))
		setSliderDay(t, ctx, "2023-09-24")
		log.do(t, ctx, "Stepanakert hidden on 2023-09-24", chromedp.WaitNotPresent(chromedp.CSS(stepanakert)))
		if got := eval[string](t, ctx, `document.getElementById('time-label').textContent`); got != "2023-09-24" {
			t.Errorf("time label = %q, want 2023-09-24", got)
		}
		// One step on with the keyboard.
		log.do(t, ctx, "arrow right on the slider",
			chromedp.Focus(chromedp.CSS(`#time`)),
			chromedp.KeyEvent(kb.ArrowRight),
			chromedp.WaitVisible(chromedp.CSS(stepanakert)),
		)
		if got := eval[string](t, ctx, `document.getElementById('time-label').textContent`); got != "2023-09-25" {
			t.Errorf("time label = %q, want 2023-09-25", got)
		}
		if got := eval[int](t, ctx, `window.newsmap.state.layers.mentions.visible`); got != 2 {
			t.Errorf("mentions visible on 2023-09-25 = %d, want 2 (Stepanakert and the week 2023-W39; not Moscow)", got)
		}
		if h := eval[string](t, ctx, `location.hash`); !strings.Contains(h, "t=2023-09-25") {
			t.Errorf("permalink %q lacks t=2023-09-25", h)
		}
		// Week steps: the slider's window is the ISO week 2023-W39 (Monday 2023-09-25).
		log.do(t, ctx, "step by week", chromedp.Click(chromedp.CSS(`input[name=step][value=week]`)),
			chromedp.WaitVisible(chromedp.CSS(stepanakert)))
		if got := eval[string](t, ctx, `document.getElementById('time-label').textContent`); got != "2023-W39 (2023-09-25)" {
			t.Errorf("week label = %q, want 2023-W39 (2023-09-25)", got)
		}
		log.do(t, ctx, "step by day", chromedp.Click(chromedp.CSS(`input[name=step][value=day]`)),
			chromedp.WaitVisible(chromedp.CSS(stepanakert)))
	})

	t.Run("popup", func(t *testing.T) {
		log.do(t, ctx, "click Stepanakert",
			chromedp.Click(chromedp.CSS(stepanakert)),
			chromedp.WaitVisible(chromedp.CSS(`.leaflet-popup-content blockquote`)),
		)
		text := eval[string](t, ctx, `document.querySelector('.leaflet-popup-content').textContent`)
		for _, want := range []string{"Thousands of people left Stepanakert on Monday", "Exodus from Nagorno-Karabakh", "2023-09-25", "91%", "Stepanavan"} {
			if !strings.Contains(text, want) {
				t.Errorf("popup lacks %q: %s", want, text)
			}
		}
		if got := eval[string](t, ctx, `document.querySelector('.leaflet-popup-content mark').textContent`); got != "Stepanakert" {
			t.Errorf("highlighted words = %q, want Stepanakert", got)
		}
		if got := eval[string](t, ctx, `document.querySelector('.leaflet-popup-content a').href`); got != "https://example.org/news/exodus" {
			t.Errorf("article link = %q", got)
		}
	})

	t.Run("search", func(t *testing.T) {
		log.do(t, ctx, "search Moskau",
			chromedp.Click(chromedp.CSS(`#all-dates`)), // back to all dates
			chromedp.SetValue(chromedp.CSS(`#search-input`), "Moskau"),
			chromedp.Click(chromedp.CSS(`#search button[type=submit]`)),
			void(chromedp.Poll[bool](`(() => { const p = document.querySelector('.leaflet-popup-content h3');
				return !!p && p.textContent.includes('Moscow'); })()`, chromedp.WithPollingTimeout(10*time.Second))),
		)
	})

	t.Run("download", func(t *testing.T) {
		href := eval[string](t, ctx, `document.querySelector('#download-list a.dl-geojson[data-layer="mentions"]').href`)
		if !strings.HasPrefix(href, srv.URL+"/") {
			t.Fatalf("download link %q is not on the test server", href)
		}
		res, err := http.Get(href)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", href, res.StatusCode, err)
		}
		if err := validGeoJSON(body); err != nil {
			t.Errorf("GET %s: %v", href, err)
		}
	})

	t.Run("phone", func(t *testing.T) {
		log.do(t, ctx, "375 px viewport",
			chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile),
			chromedp.Reload(),
			chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		)
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("page is %d px wide on a 375 px screen", w)
		}
		for _, sel := range []string{"#time", "#search-input", "#play", "#all-dates"} {
			visible := eval[bool](t, ctx, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
				return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= 375 && r.bottom <= innerHeight; })()`, sel))
			if !visible {
				t.Errorf("%s not fully on a 375 px screen", sel)
			}
		}
		log.do(t, ctx, "desktop viewport", chromedp.EmulateViewport(1280, 800))
	})

	t.Run("malformed permalink", func(t *testing.T) {
		// A mangled link must not stop the page ("URI malformed"): its bad pairs are
		// ignored and the map loads.
		log.do(t, ctx, "load a malformed permalink",
			chromedp.Navigate(srv.URL+"/#t=%E0%A4%A&map=abc/x/1&layers=%zz&step=%"),
			chromedp.Reload(),
			chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		)
		if n := eval[int](t, ctx, `window.newsmap.state.layers.mentions.count`); n != 3 {
			t.Errorf("mentions loaded = %d after a malformed permalink, want 3", n)
		}
	})

	hosts := []string{host}
	if os.Getenv("NEWSMAP_SCREENSHOT") == "1" {
		hosts = append(hosts, screenshot(t, ctx, log, srv.URL))
	}
	log.check(t, hosts...)
}

// screenshot saves docs/screenshot.png: of the layers in NEWSMAP_SCREENSHOT_LAYERS
// (such as data/layers) when set, else of the fixtures, at the permalink
// NEWSMAP_SCREENSHOT_HASH when set.
func screenshot(t *testing.T, ctx context.Context, log *netLog, base string) (host string) {
	t.Helper()
	if dir := os.Getenv("NEWSMAP_SCREENSHOT_LAYERS"); dir != "" {
		srv := httptest.NewServer(newServer(t, dir))
		t.Cleanup(srv.Close)
		base = srv.URL
	}
	var png []byte
	log.do(t, ctx, "screenshot",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(base+"/"+os.Getenv("NEWSMAP_SCREENSHOT_HASH")), // e.g. #map=7/39.6/45.8
		chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.Sleep(1500*time.Millisecond), // basemap and cluster animations
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			png, err = chromedp.FullScreenshot(100)(ctx, tg)
			return err
		}),
	)
	out := filepath.Join("..", "..", "docs", "screenshot.png")
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", out, len(png))
	return strings.TrimPrefix(base, "http://")
}

// validGeoJSON checks that body is a FeatureCollection of features with geometries.
func validGeoJSON(body []byte) error {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry *struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		return err
	}
	if fc.Type != "FeatureCollection" {
		return fmt.Errorf("type %q, want FeatureCollection", fc.Type)
	}
	if len(fc.Features) == 0 {
		return errors.New("no features")
	}
	for i, f := range fc.Features {
		if f.Type != "Feature" || f.Geometry == nil || f.Geometry.Type == "" || len(f.Geometry.Coordinates) == 0 {
			return fmt.Errorf("feature %d is not a Feature with a geometry", i)
		}
		if _, ok := f.Properties["date"].(string); !ok {
			return fmt.Errorf("feature %d has no date", i)
		}
	}
	return nil
}

// ensure static is used even when newServer does not need it.
var _ = static.Handler
