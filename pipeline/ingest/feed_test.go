package ingest

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"newsmap/pipeline/article"
)

func readFeed(t *testing.T, path string) (arts []*article.Article, errs []error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for a, err := range Feed(f, path) {
		if err != nil {
			if !IsItemError(err) {
				t.Fatalf("fatal: %v", err)
			}
			errs = append(errs, err)
			continue
		}
		arts = append(arts, a)
	}
	return arts, errs
}

func TestFeed(t *testing.T) {
	type want struct {
		id, title, url, source, published, lang, body string
	}
	tests := []struct {
		file    string
		want    []want
		wantErr []string
	}{
		{
			file: "testdata/rss.xml",
			want: []want{
				{URLID("https://zeitung.example/odessa"), "Angriffe auf Odessa", "https://zeitung.example/odessa", "Example Zeitung", "2024-03-14", "de",
					"In der Nacht zum Donnerstag haben russische Drohnen die Hafenstadt Odessa angegriffen.\n\nAuch in Charkiw gab es Explosionen & Brände."},
				{URLID("https://zeitung.example/kiew"), "Nur eine Zusammenfassung", "https://zeitung.example/kiew", "Example Zeitung", "2024-03-15", "de",
					"Der Bürgermeister von Kiew sprach am Freitag über den Wiederaufbau der Stadt."},
				{URLID("https://zeitung.example/en/valencia"), "Floods in Valencia", "https://zeitung.example/en/valencia", "Example Zeitung", "2024-03-16", "en",
					"Floodwaters rose across the region of Valencia on Saturday."},
			},
			wantErr: []string{
				"testdata/rss.xml item 3: ingest: missing required field: published",
				"testdata/rss.xml item 4: ingest: empty text",
				"testdata/rss.xml item 5: ingest: missing required field: link or guid",
			},
		},
		{
			file: "testdata/atom.xml",
			want: []want{
				{URLID("https://times.example/somerset-floods"), "Floods close roads across Somerset", "https://times.example/somerset-floods", "Example Times", "2024-03-16", "en",
					"Floodwaters closed roads across Somerset on Saturday after two days of heavy rain.\n\nOfficials in Taunton said the river would crest on Sunday."},
				{URLID("tag:times.example,2024:42"), "No link, only an id", "", "Example Times", "2024-03-15", "en",
					"Rain moved east towards Bristol and Bath during the afternoon, the forecasters said."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			arts, errs := readFeed(t, tt.file)
			if len(arts) != len(tt.want) {
				t.Fatalf("got %d articles, want %d (errors %v)", len(arts), len(tt.want), errs)
			}
			for i, a := range arts {
				got := want{a.ID, a.Title, a.URL, a.Source, a.PublishedDate(), a.Language, a.Body}
				if got != tt.want[i] {
					t.Errorf("item %d:\n got %q\nwant %q", i, got, tt.want[i])
				}
			}
			if len(errs) != len(tt.wantErr) {
				t.Fatalf("errors %v, want %v", errs, tt.wantErr)
			}
			for i, err := range errs {
				if !strings.HasPrefix(err.Error(), tt.wantErr[i]) {
					t.Errorf("error %d = %q, want %q", i, err, tt.wantErr[i])
				}
			}
		})
	}
}

func TestFeedNotAFeed(t *testing.T) {
	for _, src := range []string{"", "<html><body>no feed</body></html>", "{\"version\": 1}", "<rss><channel><item>"} {
		var errs []error
		n := 0
		for a, err := range Feed(strings.NewReader(src), "x.xml") {
			if a != nil {
				n++
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
		if n != 0 && len(errs) == 0 {
			continue // gofeed recovers some truncated feeds: then it is items, not an error
		}
		if n == 0 && (len(errs) != 1 || !IsItemError(errs[0]) || !strings.HasPrefix(errs[0].Error(), "x.xml: ")) {
			t.Errorf("%q: errors %v, want one error naming the file", src, errs)
		}
	}
}

func TestFeedTooLarge(t *testing.T) {
	big := strings.NewReader("<rss>" + strings.Repeat(" ", MaxFeedBytes) + "</rss>")
	for _, err := range Feed(big, "big.xml") {
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	}
}

func FuzzFeed(f *testing.F) {
	for _, p := range []string{"testdata/rss.xml", "testdata/atom.xml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.example/1","content_text":"Rain in Leeds on Monday.","date_published":"2024-03-14T10:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		for a, err := range Feed(bytes.NewReader(src), "fuzz.xml") {
			if err != nil {
				if !IsItemError(err) {
					t.Fatalf("reading from memory failed: %v", err)
				}
				continue
			}
			if a.ID == "" || a.Published.IsZero() || a.Language == "" || strings.TrimSpace(a.Body) == "" || !utf8.ValidString(a.Body) {
				t.Fatalf("incomplete article accepted: %+v", a)
			}
		}
	})
}
