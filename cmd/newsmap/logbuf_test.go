package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the flush timer's goroutine.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuffer) snapshot() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

func TestBufferedLog(t *testing.T) {
	out := &lockedBuffer{}
	bl := newBufferedLog(out, time.Hour)
	line := "level=INFO msg=request path=/tiles/x/0/0/0.mvt\n"
	for range 100 {
		bl.Write([]byte(line))
	}
	if s, n := out.snapshot(); n != 0 || s != "" {
		t.Fatalf("written before a flush: %d writes", n)
	}
	// A batch larger than the buffer is written when the next line would not fit, in
	// whole lines.
	big := strings.Repeat("x", logBufferSize/2) + "\n"
	bl.Write([]byte(big))
	bl.Write([]byte(big))
	s, n := out.snapshot()
	if n != 1 || s != strings.Repeat(line, 100)+big {
		t.Fatalf("after overflowing the buffer: %d writes of %d bytes", n, len(s))
	}
	if err := bl.Close(); err != nil {
		t.Fatal(err)
	}
	if s, _ := out.snapshot(); s != strings.Repeat(line, 100)+big+big {
		t.Fatalf("Close did not write the rest")
	}
	// After Close, lines go straight through.
	bl.Write([]byte(line))
	if s, _ := out.snapshot(); !strings.HasSuffix(s, big+line) {
		t.Fatalf("a line after Close was not written")
	}

	// The timer writes a line at the latest `every` after it.
	out2 := &lockedBuffer{}
	bl2 := newBufferedLog(out2, 10*time.Millisecond)
	defer bl2.Close()
	bl2.Write([]byte(line))
	for range 200 {
		if s, _ := out2.snapshot(); s == line {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the timer did not write the buffered line")
}
