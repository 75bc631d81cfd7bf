package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"-addr", "127.0.0.1:0", "-layers", "../../geo/layerstore/testdata/layers", "-reload", "50ms"}, &stdout, &stderr)
	}()
	urlRE := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == ""; {
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		base = urlRE.FindString(stdout.String())
		time.Sleep(10 * time.Millisecond)
	}
	for path, want := range map[string]string{
		"healthz":                   `"status":"ok"`,
		"api/layers":                `"mentions"`,
		"api/layers/routes.geojson": `route:lachin`,
		"tiles/regions.json":        `"tilejson":"3.0.0"`,
		"":                          `<html`,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(b)), strings.ToLower(want)) {
			t.Errorf("/%s: %d %.200s", path, resp.StatusCode, b)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runServe: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful shutdown")
	}
	if !strings.Contains(stderr.String(), `msg="layer added; the new version is served" layer=mentions`) || !strings.Contains(stderr.String(), "msg=\"listening; loading the layers\"") {
		t.Errorf("no loading log: %s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "msg=request") {
		t.Errorf("no request log: %s", stderr.String())
	}
}

func TestServeBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := runServe(context.Background(), []string{"-nope"}, &out, &out); !errors.Is(err, errUsage) {
		t.Errorf("bad flag: %v", err)
	}
	if err := runServe(context.Background(), []string{"-layers", t.TempDir() + "/missing"}, &out, &out); err == nil {
		t.Error("missing layers folder accepted")
	}
}
