package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsmap/geo/layerstore"
	"newsmap/geo/layerstore/layertest"
)

// paddedStore is a layer of n points of about 1 kB each, large enough that a response
// holding it fills the socket buffers of a client that does not read.
func paddedStore(t testing.TB, n int) *layerstore.Store {
	t.Helper()
	pad := strings.Repeat("x", 900)
	return layertest.Open(t, layertest.Spec{N: n, Seed: [2]uint64{5, 6}, MinLon: 38, MinLat: 36, DLon: 14, DLat: 8,
		Props: func(i int, _ *rand.Rand) string { return fmt.Sprintf(`"kind":"city","note":"%s"`, pad) }})
}

// stalledClients opens n connections that each send GET target and then never read,
// with the smallest receive buffer the kernel allows.
func stalledClients(t *testing.T, addr, target string, n int) {
	t.Helper()
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.(*net.TCPConn).SetReadBuffer(4096)
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", target)
	}
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestSlowReaders: clients that open large downloads and never read them hold no
// concurrency slot, so that every other request is still answered.
func TestSlowReaders(t *testing.T) {
	st := paddedStore(t, 8000) // ~8 MB
	srv := httptest.NewServer(NewServer(st, Options{MaxInFlight: 4, QueueWait: 50 * time.Millisecond}))
	t.Cleanup(srv.Close) // after the clients below are closed
	addr := strings.TrimPrefix(srv.URL, "http://")
	getStatus(t, srv.URL+"/api/layers/big.csv") // rendered once per layer version, then kept
	stalledClients(t, addr, "/api/layers/big.geojson", 8)
	stalledClients(t, addr, "/api/layers/big.csv", 4)
	time.Sleep(300 * time.Millisecond) // the handlers are now blocked writing
	for _, target := range []string{"/api/layers", "/tiles/big/4/10/6.mvt", "/api/layers/big.geojson?limit=1", "/tiles/big.json"} {
		if code := getStatus(t, srv.URL+target); code != 200 {
			t.Errorf("%s while 12 clients do not read: %d", target, code)
		}
	}
}

// TestStalledStream: a response streamed as it is produced keeps its slot, but only
// while its client takes writes: one that stops reading is cut after StallTimeout.
func TestStalledStream(t *testing.T) {
	st := paddedStore(t, 8000)
	srv := httptest.NewServer(NewServer(st, Options{MaxExports: 2, QueueWait: 50 * time.Millisecond, StallTimeout: 300 * time.Millisecond}))
	t.Cleanup(srv.Close) // after the clients below are closed
	addr := strings.TrimPrefix(srv.URL, "http://")
	stalledClients(t, addr, "/api/layers/big.geojsonseq?kind=city", 2)
	time.Sleep(100 * time.Millisecond)
	if code := getStatus(t, srv.URL+"/api/layers/big.geojsonseq?kind=city&limit=1"); code != http.StatusServiceUnavailable {
		t.Errorf("third export while two stream: %d, want 503", code)
	}
	if code := getStatus(t, srv.URL+"/api/layers"); code != 200 {
		t.Errorf("catalogue while exports stream: %d", code)
	}
	var health struct{ Status string }
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health.Status != "saturated" {
		t.Errorf("/healthz status %q while the exports bound is full, want saturated", health.Status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for getStatus(t, srv.URL+"/api/layers/big.geojsonseq?kind=city&limit=1") != 200 {
		if time.Now().After(deadline) {
			t.Fatal("stalled streams still hold their slots after 5s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestHealthSaturated: /healthz reports a full bound.
func TestHealthSaturated(t *testing.T) {
	h, release := blockedServer(t, Options{MaxInFlight: 1, QueueWait: 20 * time.Millisecond}, "/slow", Middleware.Data)
	rec := do(h, "GET", "/healthz")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"saturated"`) || !strings.Contains(rec.Body.String(), `"all":{"in_use":1,"max":1`) {
		t.Errorf("healthz while full: %d %s", rec.Code, rec.Body)
	}
	release()
}

// TestExportMemory: eight concurrent filtered exports of a ~10 MB layer add a bounded
// amount to the live heap (measured with runtime/metrics), because each is written as it
// is produced instead of rendered into memory first.
func TestExportMemory(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("memory test (not under -race, which changes allocation)")
	}
	st := paddedStore(t, 10000)
	srv := httptest.NewServer(NewServer(st, Options{MaxExports: 8, QueueWait: time.Minute}))
	t.Cleanup(srv.Close)
	runtime.GC()
	base := liveHeap()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var p uint64
		for {
			select {
			case <-stop:
				peak <- p
				return
			case <-time.After(5 * time.Millisecond):
				p = max(p, liveHeap())
			}
		}
	}()
	var wg sync.WaitGroup
	formats := []string{"csv", "kml", "geojsonseq", "gpkg"}
	var total atomic.Int64
	for i := range 8 {
		wg.Go(func() {
			resp, err := http.Get(srv.URL + "/api/layers/big." + formats[i%len(formats)] + "?kind=city")
			if err != nil {
				t.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
			total.Add(n)
		})
	}
	wg.Wait()
	close(stop)
	grown := int64(<-peak) - int64(base)
	t.Logf("8 exports, %d MB sent; live heap %d MB before, peak growth %d MB", total.Load()>>20, base>>20, grown>>20)
	if total.Load() < 8*7<<20 {
		t.Fatalf("exports too small to test: %d bytes", total.Load())
	}
	if grown > 32<<20 { // rendered into memory first, they added ~120 MB at 20,000 features
		t.Errorf("live heap grew by %d MB during 8 exports of %d MB in all", grown>>20, total.Load()>>20)
	}
}

// liveHeap is the heap marked live by the last garbage collection.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestExportStopsWithClient: a filtered export stops when its client goes away and gives
// its slot back.
func TestExportStopsWithClient(t *testing.T) {
	st := paddedStore(t, 8000)
	srv := httptest.NewServer(NewServer(st, Options{MaxExports: 1, QueueWait: 50 * time.Millisecond}))
	t.Cleanup(srv.Close)
	for _, format := range []string{"kml", "csv", "geojson", "gpkg"} {
		path := "/api/layers/big." + format + "?kind=city"
		if format == "geojson" {
			path = "/api/layers/big.geojsonseq?kind=city"
		}
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Read(make([]byte, 100))
		cancel()
		resp.Body.Close()
		deadline := time.Now().Add(2 * time.Second)
		for getStatus(t, srv.URL+"/api/layers/big.csv?kind=city&id=s000001") != 200 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the export still holds its slot 2s after its client left", format)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
