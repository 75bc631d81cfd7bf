package web

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
	st := paddedStore(t, 20000) // ~20 MB
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
	st := paddedStore(t, 20000)
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
