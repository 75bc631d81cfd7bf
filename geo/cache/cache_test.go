package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func byteLen(b []byte) int64 { return int64(len(b)) }

func TestBounds(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		adds   []int // sizes of the values added under keys 0, 1, 2, ...
		wantIn []int
		stored []bool // what Add reported
	}{
		{"entries", Options{MaxEntries: 2}, []int{1, 1, 1}, []int{1, 2}, []bool{true, true, true}},
		{"bytes", Options{MaxBytes: 10}, []int{4, 4, 4}, []int{1, 2}, []bool{true, true, true}},
		{"too large", Options{MaxBytes: 100, MaxEntryBytes: 10}, []int{5, 11, 10}, []int{0, 2}, []bool{true, false, true}},
		{"entry bound defaults to bytes", Options{MaxBytes: 10}, []int{11, 3}, []int{1}, []bool{false, true}},
		{"unbounded", Options{}, []int{1 << 20, 1 << 20, 1 << 20}, []int{0, 1, 2}, []bool{true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New[int, []byte](tt.opts, byteLen)
			for i, n := range tt.adds {
				if got := c.Add(i, make([]byte, n)); got != tt.stored[i] {
					t.Errorf("Add(%d, %d bytes) = %v", i, n, got)
				}
			}
			var in []int
			var size int64
			for i := range len(tt.adds) + 1 {
				if v, ok := c.Get(i); ok {
					in = append(in, i)
					size += int64(len(v))
				}
			}
			if fmt.Sprint(in) != fmt.Sprint(tt.wantIn) {
				t.Errorf("cache holds %v, want %v", in, tt.wantIn)
			}
			if st := c.Stats(); st.Entries != len(in) || st.Bytes != size {
				t.Errorf("Stats = %+v, want %d entries of %d bytes", st, len(in), size)
			}
		})
	}
}

func TestRecency(t *testing.T) {
	c := New[int, []byte](Options{MaxEntries: 2}, byteLen)
	c.Add(0, nil)
	c.Add(1, nil)
	c.Get(0)
	c.Add(2, nil) // evicts 1, the least recently used, not 0
	if _, ok := c.Get(1); ok {
		t.Error("1 kept")
	}
	if _, ok := c.Get(0); !ok {
		t.Error("0 evicted although used after 1")
	}
}

func TestReplaceKeepsSize(t *testing.T) {
	c := New[string, []byte](Options{MaxBytes: 10}, byteLen)
	c.Add("a", make([]byte, 6))
	c.Add("a", make([]byte, 3))
	c.Add("b", make([]byte, 7))
	if st := c.Stats(); st.Entries != 2 || st.Bytes != 10 || st.Evicted != 0 {
		t.Errorf("Stats = %+v, want a (3 bytes) and b (7 bytes) without evictions", st)
	}
}

// TestDoOnce starts many callers for one key at once: the value is computed once and
// everyone gets it.
func TestDoOnce(t *testing.T) {
	c := New[string, int](Options{MaxEntries: 4}, nil)
	var computed atomic.Int32
	release := make(chan struct{})
	const n = 32
	var wg sync.WaitGroup
	results := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Do(context.Background(), "k", func() (int, error) {
				computed.Add(1)
				<-release
				return 42, nil
			})
			if err != nil {
				t.Error(err)
			}
			results[i] = v
		}()
	}
	// Let the callers pile up behind the first, then release it.
	for c.Stats().Shared+c.Stats().Misses < n {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if computed.Load() != 1 {
		t.Errorf("computed %d times, want once", computed.Load())
	}
	for i, v := range results {
		if v != 42 {
			t.Fatalf("caller %d got %d", i, v)
		}
	}
	if v, err := c.Do(context.Background(), "k", func() (int, error) { return 0, errors.New("recomputed") }); v != 42 || err != nil {
		t.Errorf("after the computation Do = %d, %v; want the cached 42", v, err)
	}
	if st := c.Stats(); st.Misses != 1 || st.Shared != n-1 || st.Hits != 1 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestDoErrorNotStored(t *testing.T) {
	c := New[string, int](Options{}, nil)
	boom := errors.New("boom")
	if _, err := c.Do(context.Background(), "k", func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	v, err := c.Do(context.Background(), "k", func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Errorf("after an error Do = %d, %v; want a new computation", v, err)
	}
}

func TestDoTooLargeNotStored(t *testing.T) {
	c := New[string, []byte](Options{MaxBytes: 100, MaxEntryBytes: 10}, byteLen)
	calls := 0
	for range 2 {
		b, err := c.Do(context.Background(), "big", func() ([]byte, error) { calls++; return make([]byte, 11), nil })
		if err != nil || len(b) != 11 {
			t.Fatalf("Do = %d bytes, %v", len(b), err)
		}
	}
	if calls != 2 || c.Len() != 0 {
		t.Errorf("computed %d times, %d entries; want 2 computations and nothing stored", calls, c.Len())
	}
}

// TestDoWaiterLeaves checks that a caller waiting for another's computation returns when
// its context ends, and that the computation still completes for the cache.
func TestDoWaiterLeaves(t *testing.T) {
	c := New[string, int](Options{}, nil)
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Do(context.Background(), "k", func() (int, error) { close(started); <-release; return 1, nil })
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Do(ctx, "k", func() (int, error) { t.Error("second computation"); return 0, nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("waiter err = %v, want context.Canceled", err)
	}
	close(release)
	<-done
	if v, ok := c.Get("k"); !ok || v != 1 {
		t.Errorf("Get = %d, %v after the computation", v, ok)
	}
}

func TestDoPanic(t *testing.T) {
	c := New[string, int](Options{}, nil)
	started, release := make(chan struct{}), make(chan struct{})
	waiterErr := make(chan error, 1)
	go func() {
		<-started
		go func() {
			_, err := c.Do(context.Background(), "k", func() (int, error) { return 0, nil })
			waiterErr <- err
		}()
		for c.Stats().Shared == 0 {
			time.Sleep(time.Millisecond)
		}
		close(release)
	}()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the computing caller did not get the panic")
			}
		}()
		c.Do(context.Background(), "k", func() (int, error) { close(started); <-release; panic("boom") })
	}()
	if err := <-waiterErr; !errors.Is(err, ErrPanicked) {
		t.Errorf("waiter err = %v, want ErrPanicked", err)
	}
	if c.Len() != 0 {
		t.Error("a panicked computation was stored")
	}
}

func TestRemoveFunc(t *testing.T) {
	type key struct{ layer, hash string }
	c := New[key, []byte](Options{}, byteLen)
	c.Add(key{"a", "1"}, []byte("old"))
	c.Add(key{"a", "2"}, []byte("new"))
	c.Add(key{"b", "1"}, []byte("other"))
	if n := c.RemoveFunc(func(k key, _ []byte) bool { return k.layer == "a" && k.hash != "2" }); n != 1 {
		t.Errorf("removed %d", n)
	}
	if _, ok := c.Get(key{"a", "1"}); ok {
		t.Error("old version kept")
	}
	if st := c.Stats(); st.Entries != 2 || st.Bytes != 8 {
		t.Errorf("Stats = %+v", st)
	}
}

func BenchmarkGetHit(b *testing.B) {
	c := New[int, []byte](Options{MaxEntries: 4096}, byteLen)
	for i := range 4096 {
		c.Add(i, []byte{1})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Get(i & 4095)
		i++
	}
}

func BenchmarkDoHitParallel(b *testing.B) {
	c := New[int, []byte](Options{MaxEntries: 4096}, byteLen)
	for i := range 4096 {
		c.Add(i, []byte{1})
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Do(ctx, i&4095, func() ([]byte, error) { return nil, nil })
			i++
		}
	})
}
