package ingest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestFetcher(t *testing.T) {
	rss, _ := os.ReadFile("testdata/rss.xml")
	page, _ := os.ReadFile("testdata/jsonld.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rss)
	})
	mux.HandleFunc("/untyped-feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(rss)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("<rss>", 1000)))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := &Fetcher{Timeout: 300 * time.Millisecond, MaxBytes: 2000}
	big := &Fetcher{Timeout: 5 * time.Second, MaxBytes: MaxFeedBytes}

	tests := []struct {
		f       *Fetcher
		path    string
		nArts   int
		wantErr string
	}{
		{big, "/feed", 3, ""},
		{big, "/untyped-feed", 3, ""},
		{big, "/page", 1, ""},
		{big, "/missing", 0, "404 Not Found"},
		{f, "/big", 0, "larger than 2000 bytes"},
		{f, "/slow", 0, "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			n := 0
			var errs []error
			for rec, err := range tt.f.URL(context.Background(), srv.URL+tt.path) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				n++
				if rec.File != srv.URL+tt.path {
					t.Errorf("record file = %q", rec.File)
				}
				if tt.path == "/page" && (rec.Article.URL != srv.URL+"/page" || rec.Article.ID != URLID(srv.URL+"/page")) {
					t.Errorf("page article %+v: want its URL as address and id", rec.Article)
				}
			}
			if n != tt.nArts {
				t.Errorf("articles = %d, want %d (errors %v)", n, tt.nArts, errs)
			}
			if tt.wantErr != "" {
				if len(errs) != 1 || !errors.Is(errs[0], ErrFetch) || !IsItemError(errs[0]) || !strings.Contains(errs[0].Error(), tt.wantErr) {
					t.Errorf("errors = %v, want one ErrFetch with %q", errs, tt.wantErr)
				}
			}
		})
	}
}

func TestFetcherRejectsOtherSchemes(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/feed", "feeds/local.xml"} {
		if _, _, err := (&Fetcher{}).Get(context.Background(), u); !errors.Is(err, ErrFetch) {
			t.Errorf("Get(%q) err = %v, want ErrFetch", u, err)
		}
	}
}

func TestFetcherCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if _, _, err := (&Fetcher{Timeout: time.Minute}).Get(ctx, srv.URL); !errors.Is(err, ErrFetch) || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("err = %v, want a cancelled fetch", err)
	}
}
