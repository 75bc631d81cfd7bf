package ingest

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		file, pageURL                               string
		id, title, url, source, published, language string
		bodyHas, bodyHasNot                         []string
	}{
		{
			file: "testdata/page.html", pageURL: "https://zeitung.example/odessa?utm=x",
			id: URLID("https://zeitung.example/2024/03/odessa"), title: "Angriffe auf Odessa", url: "https://zeitung.example/2024/03/odessa",
			source: "Example Zeitung", published: "2024-03-14", language: "de",
			bodyHas:    []string{"russische Drohnen die Hafenstadt Odessa angegriffen.", "Auch in Charkiw im Nordosten"},
			bodyHasNot: []string{"Impressum", "Meistgelesen", "Fußball in München", "Politik"},
		},
		{
			file: "testdata/jsonld.html",
			id:   "jsonld", title: "River crests in Taunton", url: "", source: "Example Times", published: "2024-03-17", language: "en",
			bodyHas: []string{"The River Tone crested in Taunton", "In Bridgwater, volunteers"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			a, err := HTML(f, tt.file, tt.pageURL)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{a.ID, a.Title, a.URL, a.Source, a.PublishedDate(), a.Language}
			want := []string{tt.id, tt.title, tt.url, tt.source, tt.published, tt.language}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("metadata\n got %q\nwant %q", got, want)
			}
			for _, s := range tt.bodyHas {
				if !strings.Contains(a.Body, s) {
					t.Errorf("body lacks %q:\n%s", s, a.Body)
				}
			}
			for _, s := range tt.bodyHasNot {
				if strings.Contains(a.Body, s) {
					t.Errorf("body has page chrome %q:\n%s", s, a.Body)
				}
			}
		})
	}
}

func TestHTMLErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"no date", `<html lang="en"><body><article><p>` + strings.Repeat("Rain fell across Somerset on the weekend. ", 20) + `</p></article></body></html>`, "p.html: ingest: missing required field: published"},
		{"no text", `<html lang="en"><head><meta property="article:published_time" content="2024-03-14"></head><body></body></html>`, "p.html: ingest: empty text"},
		{"too large", "<html>" + strings.Repeat("x", MaxPageBytes), "p.html: ingest: too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HTML(strings.NewReader(tt.src), "p.html", "")
			if err == nil || !IsItemError(err) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"  a\r\n\r\n\r\n  b  ", "a\n\nb"},
		{"<p>one</p><p>two &amp; three</p>", "one\n\ntwo & three"},
		{"a<br>b", "a\nb"},
		{"<script>x()</script><p>kept</p>", "kept"},
		{"Gaza&nbsp;City", "Gaza City"},
	}
	for _, tt := range tests {
		if got := htmlText(tt.in); got != tt.want {
			t.Errorf("htmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzHTML(f *testing.F) {
	for _, p := range []string{"testdata/page.html", "testdata/jsonld.html"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<html><p>x"))
	f.Fuzz(func(t *testing.T, src []byte) {
		a, err := HTML(bytes.NewReader(src), "fuzz.html", "https://example.org/p")
		if err != nil {
			if !IsItemError(err) {
				t.Fatalf("reading from memory failed: %v", err)
			}
			return
		}
		if a.ID == "" || a.Published.IsZero() || a.Language == "" || strings.TrimSpace(a.Body) == "" || !utf8.ValidString(a.Body) {
			t.Fatalf("incomplete article accepted: %+v", a)
		}
	})
}
