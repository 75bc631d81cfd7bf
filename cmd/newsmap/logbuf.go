package main

import (
	"io"
	"sync"
	"time"
)

// logBufferSize is the most a bufferedLog holds before it writes.
const logBufferSize = 64 << 10

// bufferedLog batches the server's log lines into few writes, as nginx's
// `access_log … buffer= flush=` does: one write(2) per request line costs a busy server
// about as much as writing a small response. Each Write (one slog record) is kept whole;
// the buffer is written when it would exceed logBufferSize, at the latest `every` after
// its first line, and on Close. A crash loses at most the last `every` of lines.
type bufferedLog struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte
	timer  *time.Timer
	every  time.Duration
	closed bool
	err    error // the first write error; later lines are dropped, as a full disk would
}

func newBufferedLog(w io.Writer, every time.Duration) *bufferedLog {
	b := &bufferedLog{w: w, every: every, buf: make([]byte, 0, logBufferSize)}
	b.timer = time.AfterFunc(time.Hour, func() { b.Flush() })
	b.timer.Stop()
	return b
}

// Write keeps p (one log record) for the next flush.
func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	if b.closed {
		_, b.err = b.w.Write(p)
		return len(p), b.err
	}
	if len(b.buf)+len(p) > logBufferSize {
		b.flushLocked()
		if len(p) > logBufferSize {
			_, b.err = b.w.Write(p)
			return len(p), b.err
		}
	}
	if len(b.buf) == 0 {
		b.timer.Reset(b.every)
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes what is buffered.
func (b *bufferedLog) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
	return b.err
}

func (b *bufferedLog) flushLocked() {
	if len(b.buf) == 0 || b.err != nil {
		b.buf = b.buf[:0]
		return
	}
	_, b.err = b.w.Write(b.buf)
	b.buf = b.buf[:0]
}

// Close writes what is buffered and stops the timer; later Writes go straight through.
func (b *bufferedLog) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.timer.Stop()
	b.flushLocked()
	b.closed = true
	return b.err
}
