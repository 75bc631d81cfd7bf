// Package cache is a least-recently-used cache bounded in entries and in bytes, whose
// misses are computed once: callers that ask for a key while it is being computed wait
// for that computation (singleflight) instead of repeating it.
//
// It holds what newsmap computes once per layer version and serves many times: vector
// tiles, pages of features, the gzip encoding of a layer, exports. Keys must name
// everything a value depends on (typically the layer's content hash), so a reloaded layer
// never meets a stale value; stale values age out or are dropped with RemoveFunc.
package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// ErrPanicked is returned to the callers that waited for a computation that panicked
// (the caller that ran it gets the panic).
var ErrPanicked = errors.New("cache: computation panicked")

// Options bound a Cache. Zero values mean no bound.
type Options struct {
	// MaxEntries bounds the number of entries.
	MaxEntries int
	// MaxBytes bounds the sum of the entries' sizes.
	MaxBytes int64
	// MaxEntryBytes is the largest value kept: a larger one is computed and returned, but
	// not stored (so one huge value cannot evict everything else). Zero means MaxBytes.
	MaxEntryBytes int64
}

// Stats counts what a cache did; Hits + Misses + Shared is the number of lookups.
type Stats struct {
	Entries int   // entries held now
	Bytes   int64 // their total size
	Hits    int64 // lookups answered from the cache
	Misses  int64 // lookups that computed (Do) or found nothing (Get)
	Shared  int64 // Do calls that waited for another caller's computation
	Evicted int64 // entries dropped to stay within the bounds
}

// Cache maps keys to values. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	size func(V) int64
	opts Options

	mu    sync.Mutex
	m     map[K]*entry[K, V]
	root  entry[K, V] // sentinel of the recency list: root.next is the most recent
	bytes int64
	calls map[K]*call[V]

	hits, misses, shared, evicted atomic.Int64
}

type entry[K comparable, V any] struct {
	prev, next *entry[K, V]
	key        K
	val        V
	size       int64
}

type call[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// New returns a cache whose entries cost size(v) bytes each (nil: every entry costs 0
// bytes, and only MaxEntries bounds the cache).
func New[K comparable, V any](opts Options, size func(V) int64) *Cache[K, V] {
	if opts.MaxEntryBytes <= 0 || (opts.MaxBytes > 0 && opts.MaxEntryBytes > opts.MaxBytes) {
		opts.MaxEntryBytes = opts.MaxBytes
	}
	if size == nil {
		size = func(V) int64 { return 0 }
	}
	c := &Cache[K, V]{size: size, opts: opts, m: map[K]*entry[K, V]{}, calls: map[K]*call[V]{}}
	c.root.next, c.root.prev = &c.root, &c.root
	return c
}

// Get returns the value stored under k and marks it most recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	if ok {
		c.toFront(e)
	}
	c.mu.Unlock()
	if !ok {
		c.misses.Add(1)
		var zero V
		return zero, false
	}
	c.hits.Add(1)
	return e.val, true
}

// Add stores v under k (replacing any value there) unless v is larger than MaxEntryBytes,
// then evicts the least recently used entries beyond the bounds. It reports whether v
// was stored.
func (c *Cache[K, V]) Add(k K, v V) bool {
	n := c.size(v)
	if c.opts.MaxEntryBytes > 0 && n > c.opts.MaxEntryBytes {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addLocked(k, v, n)
	return true
}

func (c *Cache[K, V]) addLocked(k K, v V, n int64) {
	if old, ok := c.m[k]; ok {
		c.unlink(old)
	}
	e := &entry[K, V]{key: k, val: v, size: n}
	c.m[k] = e
	c.bytes += n
	e.prev, e.next = &c.root, c.root.next
	e.prev.next, e.next.prev = e, e
	for len(c.m) > 1 && ((c.opts.MaxEntries > 0 && len(c.m) > c.opts.MaxEntries) || (c.opts.MaxBytes > 0 && c.bytes > c.opts.MaxBytes)) {
		c.unlink(c.root.prev)
		c.evicted.Add(1)
	}
}

// Do returns the value under k, computing it with compute on a miss and storing it
// (as Add does) when compute succeeds; errors are returned and not stored. While one
// caller computes k, other callers of Do for k wait for its result, or until their ctx
// is done (they then get ctx.Err(); the computation goes on for the others). compute runs
// in the goroutine of the first caller and is not given ctx: a computation many callers
// share should not stop because the first of them left.
func (c *Cache[K, V]) Do(ctx context.Context, k K, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	if e, ok := c.m[k]; ok {
		c.toFront(e)
		c.mu.Unlock()
		c.hits.Add(1)
		return e.val, nil
	}
	if cl, ok := c.calls[k]; ok {
		c.mu.Unlock()
		c.shared.Add(1)
		select {
		case <-cl.done:
			return cl.val, cl.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	cl := &call[V]{done: make(chan struct{})}
	c.calls[k] = cl
	c.mu.Unlock()
	c.misses.Add(1)

	finished := false
	defer func() {
		if !finished {
			cl.err = ErrPanicked
		}
		n := int64(0)
		keep := finished && cl.err == nil
		if keep {
			n = c.size(cl.val)
			keep = c.opts.MaxEntryBytes <= 0 || n <= c.opts.MaxEntryBytes
		}
		c.mu.Lock()
		delete(c.calls, k)
		if keep {
			c.addLocked(k, cl.val, n)
		}
		c.mu.Unlock()
		close(cl.done)
	}()
	cl.val, cl.err = compute()
	finished = true
	return cl.val, cl.err
}

// RemoveFunc removes the entries for which drop returns true and returns how many it
// removed, such as the values of a layer's older versions once a new one is in use.
func (c *Cache[K, V]) RemoveFunc(drop func(K, V) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for e := c.root.next; e != &c.root; {
		next := e.next
		if drop(e.key, e.val) {
			c.unlink(e)
			n++
		}
		e = next
	}
	return n
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Stats returns the counters and the current size.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.Lock()
	s := Stats{Entries: len(c.m), Bytes: c.bytes}
	c.mu.Unlock()
	s.Hits, s.Misses, s.Shared, s.Evicted = c.hits.Load(), c.misses.Load(), c.shared.Load(), c.evicted.Load()
	return s
}

func (c *Cache[K, V]) toFront(e *entry[K, V]) {
	if c.root.next == e {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = &c.root, c.root.next
	e.prev.next, e.next.prev = e, e
}

func (c *Cache[K, V]) unlink(e *entry[K, V]) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
	delete(c.m, e.key)
	c.bytes -= e.size
}
