package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsmap/pipeline/article"
)

const germanText = "In der Nacht zum Donnerstag haben russische Drohnen die Hafenstadt Odessa angegriffen. " +
	"Nach Angaben der Behörden wurden mehrere Wohnhäuser beschädigt, die Feuerwehr war bis zum Morgen im Einsatz."

const englishText = "Floodwaters rose across the county on Tuesday after two days of heavy rain. " +
	"Officials said the river was expected to crest on Wednesday evening and urged residents to leave their homes."

func collect(t *testing.T, src, name string) (arts []*article.Article, errs []error) {
	t.Helper()
	for a, err := range JSONL(strings.NewReader(src), name) {
		if err != nil {
			if !IsItemError(err) {
				t.Fatalf("fatal error: %v", err)
			}
			errs = append(errs, err)
			continue
		}
		arts = append(arts, a)
	}
	return arts, errs
}

func TestJSONL(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantIDs []string
		wantErr []string // substrings, one per bad line, in order
	}{
		{
			name:    "one article",
			src:     `{"id":"a1","title":"T","url":"https://example.org/a1","source":"S","published":"2024-03-14","language":"de","text":"` + germanText + `"}`,
			wantIDs: []string{"a1"},
		},
		{
			name: "blank lines, CRLF and no final newline",
			src: "\r\n" + `{"id":"a1","published":"2024-03-14","language":"de","text":"x y"}` + "\r\n\n" +
				`{"id":"a2","published":"2024-03-15T10:00:00+02:00","language":"en","text":"z"}`,
			wantIDs: []string{"a1", "a2"},
		},
		{
			name: "bad lines are reported with their line and skipped",
			src: `{"id":"a1","published":"2024-03-14","language":"de","text":"x"}` + "\n" +
				`{"id":"a2","published":"2024-03-14","language":"de","text":` + "\n" +
				`["not","an","object"]` + "\n" +
				`{"id":"a4","published":"yesterday","language":"de","text":"x"}` + "\n" +
				`{"id":"a5","language":"de","text":"x"}` + "\n" +
				`{"id":"a6","published":"2024-03-14","language":"de","text":"   "}` + "\n" +
				`{"published":"2024-03-14","language":"de","text":"x"}` + "\n" +
				`{"id":"a8","published":"2024-03-14","language":"de","text":"x"}`,
			wantIDs: []string{"a1", "a8"},
			wantErr: []string{"f.jsonl:2: ingest: malformed", "f.jsonl:3: ingest: malformed", "f.jsonl:4: ingest: invalid published date",
				"f.jsonl:5: ingest: missing required field: published", "f.jsonl:6: ingest: empty text", "f.jsonl:7: ingest: missing required field: id"},
		},
		{
			name:    "numeric id, url-derived id, aliases",
			src:     `{"id":42,"date":"2024-03-14","lang":"EN-gb","body":"b"}` + "\n" + `{"url":"https://example.org/x","published":"2024-03-14","language":"de","content":"c"}`,
			wantIDs: []string{"42", URLID("https://example.org/x")},
		},
		{
			name:    "language detected when missing",
			src:     `{"id":"de1","published":"2024-03-14","text":"` + germanText + `"}` + "\n" + `{"id":"en1","published":"2024-03-14","text":"` + englishText + `"}`,
			wantIDs: []string{"de1", "en1"},
		},
		{
			name:    "language that is not registered",
			src:     `{"id":"x","published":"2024-03-14","language":"la","text":"Gallia est omnis divisa in partes tres."}`,
			wantErr: []string{`f.jsonl:1: lang: unknown language "la"`},
		},
		{
			name:    "language that cannot be detected",
			src:     `{"id":"x","published":"2024-03-14","text":"1234 5678"}`,
			wantErr: []string{"f.jsonl:1: ingest: language unknown"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, errs := collect(t, tt.src, "f.jsonl")
			var ids []string
			for _, a := range arts {
				ids = append(ids, a.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.wantIDs, ",") {
				t.Errorf("ids = %v, want %v", ids, tt.wantIDs)
			}
			if len(errs) != len(tt.wantErr) {
				t.Fatalf("errors = %v, want %d", errs, len(tt.wantErr))
			}
			for i, err := range errs {
				if !strings.HasPrefix(err.Error(), tt.wantErr[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, err, tt.wantErr[i])
				}
			}
		})
	}
}

func TestJSONLFields(t *testing.T) {
	src := `{"id":"a1","title":"Odessa","url":"https://example.org/a1","source":"Zeitung","published":"2024-03-14T23:30:00-05:00","language":"de-AT","text":"Ödessa\nzweite Zeile"}`
	arts, errs := collect(t, src, "f.jsonl")
	if len(errs) > 0 || len(arts) != 1 {
		t.Fatalf("arts %v errs %v", arts, errs)
	}
	a := arts[0]
	if a.Title != "Odessa" || a.URL != "https://example.org/a1" || a.Source != "Zeitung" || a.Language != "de" {
		t.Errorf("fields: %+v", a)
	}
	if got := a.PublishedDate(); got != "2024-03-14" {
		t.Errorf("published = %s, want the publisher's day 2024-03-14", got)
	}
	if a.Body != "Ödessa\nzweite Zeile" {
		t.Errorf("body = %q: the text must be stored as given so offsets index it", a.Body)
	}
}

func TestJSONLLongLine(t *testing.T) {
	long := `{"id":"big","published":"2024-03-14","language":"de","text":"` + strings.Repeat("a", MaxTextBytes+5000) + `"}`
	src := long + "\n" + `{"id":"ok","published":"2024-03-14","language":"de","text":"x"}` + "\n"
	arts, errs := collect(t, src, "f.jsonl")
	if len(arts) != 1 || arts[0].ID != "ok" {
		t.Errorf("arts = %v, want the line after the long one", arts)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrTooLarge) || !strings.HasPrefix(errs[0].Error(), "f.jsonl:1:") {
		t.Errorf("errs = %v, want line 1 too large", errs)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n--
		return copy(p, `{"id":"a","published":"2024-03-14","language":"de","text":"x"}`+"\n"), nil
	}
	return 0, errors.New("disk on fire")
}

func TestJSONLReadError(t *testing.T) {
	var got []error
	n := 0
	for a, err := range JSONL(&failingReader{n: 1}, "f.jsonl") {
		if a != nil {
			n++
		}
		if err != nil {
			got = append(got, err)
		}
	}
	if n != 1 || len(got) != 1 || IsItemError(got[0]) || !strings.Contains(got[0].Error(), "disk on fire") {
		t.Errorf("articles %d, errors %v: want one article then the read error, not an item error", n, got)
	}
}

func TestWriteJSONLRoundTrip(t *testing.T) {
	in := &article.Article{ID: "r1", Title: "T \"q\"", URL: "https://example.org/<a>", Source: "S",
		Published: mustDate(t, "2024-03-14"), Language: "en", Body: "Line one.\nLine two with \u2028 and ü."}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, in); err != nil {
		t.Fatal(err)
	}
	arts, errs := collect(t, buf.String(), "f.jsonl")
	if len(errs) > 0 || len(arts) != 1 {
		t.Fatalf("%v %v", arts, errs)
	}
	if *arts[0] != *in {
		t.Errorf("round trip: got %+v, want %+v", arts[0], in)
	}
}

func mustDate(t *testing.T, s string) (d time.Time) {
	t.Helper()
	d, err := ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a1","published":"2024-03-14","language":"de","text":"` + germanText + `"}`))
	f.Add([]byte(`{"id":1,"date":"2024-03-14T10:00:00Z","text":"` + englishText + `"}` + "\n\n{"))
	f.Add([]byte("\xff\xfe{\"id\":\"\xff\"}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := bytes.Count(src, []byte("\n")) + 1
		for a, err := range JSONL(bytes.NewReader(src), "fuzz.jsonl") {
			if err != nil {
				var ie *ItemError
				if !errors.As(err, &ie) || ie.Line < 1 || ie.Line > lines {
					t.Fatalf("error without a valid line: %v", err)
				}
				continue
			}
			if a.ID == "" || a.Published.IsZero() || a.Language == "" || strings.TrimSpace(a.Body) == "" {
				t.Fatalf("incomplete article accepted: %+v", a)
			}
			if !utf8.ValidString(a.Body) {
				t.Fatalf("body is not UTF-8: %q", a.Body)
			}
		}
	})
}

// TestJSONLRules: the article rules of Markdown files hold for JSON Lines too: an id
// must be URL-safe, a publication date plausible.
func TestJSONLRules(t *testing.T) {
	src := `{"id":"news/2023/1","published":"2023-09-25","language":"de","text":"` + germanText + `"}
{"id":"a\u00001","published":"2023-09-25","language":"de","text":"` + germanText + `"}
{"id":"ok-1","published":"2999-09-25","language":"de","text":"` + germanText + `"}
{"id":"ok-2","published":"2023-09-25","language":"de","text":"` + germanText + `"}
`
	arts, errs := collect(t, src, "x.jsonl")
	if len(arts) != 1 || arts[0].ID != "ok-2" || len(errs) != 3 {
		t.Fatalf("%d articles, errors %v", len(arts), errs)
	}
	for i, want := range []error{article.ErrID, article.ErrID, ErrDate} {
		if !errors.Is(errs[i], want) {
			t.Errorf("error %d = %v, want %v", i, errs[i], want)
		}
	}
}
