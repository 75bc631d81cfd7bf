package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// countingWriter records the sizes of the writes and fails after failAfter of them.
type countingWriter struct {
	*httptest.ResponseRecorder
	writes    []int
	failAfter int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.failAfter > 0 && len(c.writes) == c.failAfter {
		return 0, errors.New("client gone")
	}
	c.writes = append(c.writes, len(b))
	return c.ResponseRecorder.Write(b)
}

func TestWriteBody(t *testing.T) {
	large := bytes.Repeat([]byte("0123456789"), 100_000) // 1,000,000 bytes
	for _, tt := range []struct {
		name      string
		body      []byte
		failAfter int
		writes    int
	}{
		{"small in one write", large[:4*fairChunk], 0, 1},
		{"large in pieces", large, 0, (len(large) + fairChunk - 1) / fairChunk},
		{"stops when the client leaves", large, 3, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := &countingWriter{ResponseRecorder: httptest.NewRecorder(), failAfter: tt.failAfter}
			writeBody(w, tt.body)
			if len(w.writes) != tt.writes {
				t.Errorf("%d writes, want %d", len(w.writes), tt.writes)
			}
			if tt.failAfter == 0 && !bytes.Equal(w.Body.Bytes(), tt.body) {
				t.Error("body differs")
			}
			for _, n := range w.writes[:max(len(w.writes)-1, 0)] {
				if len(w.writes) > 1 && n != fairChunk {
					t.Errorf("piece of %d bytes, want %d", n, fairChunk)
				}
			}
		})
	}
}

// readerFromRecorder is a ResponseWriter that records whether its ReadFrom was used, as
// net/http's response uses it to hand files to sendfile(2).
type readerFromRecorder struct {
	*httptest.ResponseRecorder
	readFrom int
}

func (r *readerFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	r.readFrom++
	return io.Copy(r.ResponseRecorder, src)
}

// TestWrappersKeepReadFrom checks that a spooled body reaches the connection's ReadFrom
// (sendfile) through every wrapper of the routes that send them, and that a compressed
// response still compresses what is copied.
func TestWrappersKeepReadFrom(t *testing.T) {
	body := bytes.Repeat([]byte("newsmap "), 4096)
	path := filepath.Join(t.TempDir(), "body")
	os.WriteFile(path, body, 0o600)
	b := &versionBody{path: path, size: int64(len(body))}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		sendBody(t, w, b)
	})
	s := &server{log: slog.New(slog.DiscardHandler)}
	chain := s.logRequests(s.recoverPanics(cors(gzipResponses(wrap(handler, newLimiter(1, time.Second, time.Second))))))
	for _, ae := range []string{"", "gzip"} {
		rec := &readerFromRecorder{ResponseRecorder: httptest.NewRecorder()}
		req := httptest.NewRequest("GET", "/x", nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		chain.ServeHTTP(rec, req)
		if rec.readFrom != 1 {
			t.Errorf("Accept-Encoding %q: ReadFrom used %d times, want 1", ae, rec.readFrom)
		}
		if !bytes.Equal(rec.Body.Bytes(), body) {
			t.Errorf("Accept-Encoding %q: body differs (%d bytes)", ae, rec.Body.Len())
		}
	}
	// A body the middleware compresses goes through gzip, not around it.
	compressible := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(http.StatusOK)
		sendBody(t, w, b)
	})
	rec := &readerFromRecorder{ResponseRecorder: httptest.NewRecorder()}
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	s.logRequests(gzipResponses(wrap(compressible, newLimiter(1, time.Second, time.Second)))).ServeHTTP(rec, req)
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(got, body) {
		t.Errorf("compressed copy: encoding %q, %d bytes after gunzip, want %d", rec.Header().Get("Content-Encoding"), len(got), len(body))
	}
}
