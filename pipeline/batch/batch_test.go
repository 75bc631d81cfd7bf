package batch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline/article"
	"newsmap/pipeline/batch"
)

func items(n int) func() (batch.Item, error) {
	i := 0
	return func() (batch.Item, error) {
		if i == n {
			return batch.Item{}, io.EOF
		}
		i++
		if i%5 == 0 {
			return batch.Item{Name: fmt.Sprint(i), Err: errors.New("unreadable")}, nil
		}
		a := &article.Article{ID: fmt.Sprint(i), Language: "en", Published: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
			Body: "Storms hit Columbus, Ohio, and Franklin County on Monday."}
		return batch.Item{Name: a.ID, Article: a}, nil
	}
}

func TestRunKeepsOrder(t *testing.T) {
	g := gazettest.Load(t)
	var got []string
	err := batch.Run(context.Background(), g, 4, items(23), func(r batch.Result) error {
		if (r.Err == nil) != (r.Doc != nil) {
			t.Errorf("%s: err %v with doc %v", r.Name, r.Err, r.Doc != nil)
		}
		if r.Doc != nil && len(r.Doc.Mentions) == 0 {
			t.Errorf("%s: no mentions", r.Name)
		}
		got = append(got, r.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range got {
		if n != fmt.Sprint(i+1) {
			t.Fatalf("results out of order: %v", got)
		}
	}
	if len(got) != 23 {
		t.Errorf("%d results, want 23", len(got))
	}
}

func TestRunStops(t *testing.T) {
	g := gazettest.Load(t)
	stop := errors.New("disk full")
	n := 0
	err := batch.Run(context.Background(), g, 2, items(1000), func(batch.Result) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("emit error: err %v after %d results", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = batch.Run(ctx, g, 2, items(1000), func(batch.Result) error {
		n++
		if n == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 2 {
		t.Errorf("cancelled: err %v after %d results", err, n)
	}
	readErr := errors.New("stdin closed")
	err = batch.Run(context.Background(), g, 2, func() (batch.Item, error) { return batch.Item{}, readErr }, func(batch.Result) error { return nil })
	if !errors.Is(err, readErr) {
		t.Errorf("read error: %v", err)
	}
}
