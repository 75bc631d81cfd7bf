package web

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"testing"
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
