package article_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"newsmap/pipeline/article"
	"newsmap/pipeline/lang"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr error
		line    int
		body    string
	}{
		{"front matter", "---\nid: a1\ntitle: \"Hello\"\npublished: 2023-09-25\nlanguage: DE\n---\nText über Eriwan.", nil, 0, "Text über Eriwan."},
		{"body kept byte for byte", "---\nid: a1\npublished: 2023-09-25\nlanguage: de\n---\n\n  Zeile 1\nZeile 2\n", nil, 0, "\n  Zeile 1\nZeile 2\n"},
		{"crlf front matter", "---\r\nid: a1\r\npublished: 2023-09-25\r\nlanguage: en\r\n---\r\nBody", nil, 0, "Body"},
		{"comments and unknown keys", "---\n# note\nid: a1\npublished: 2023-09-25T10:00:00Z\nlanguage: de\ntags: x\n---\nB", nil, 0, "B"},
		{"no closing line", "---\nid: a1\npublished: 2023-09-25\n", article.ErrFrontMatter, 4, ""},
		{"not key value", "---\nid: a1\njust text\n---\nB", article.ErrFrontMatter, 3, ""},
		{"bad date", "---\nid: a1\npublished: 25.09.2023\nlanguage: de\n---\nB", article.ErrDate, 3, ""},
		{"missing id", "---\npublished: 2023-09-25\nlanguage: de\n---\nB", article.ErrMissing, 1, ""},
		{"missing language", "---\nid: x\npublished: 2023-09-25\n---\nB", article.ErrMissing, 1, ""},
		{"unknown language", "---\nid: x\npublished: 2023-09-25\nlanguage: xx\n---\nB", lang.ErrUnknown, 1, ""},
		{"regional tag", "---\nid: a1\npublished: 2023-09-25\nlanguage: de-AT\n---\nB", nil, 0, "B"},
		{"empty body", "---\nid: a1\npublished: 2023-09-25\nlanguage: de\n---\n  \n", article.ErrEmpty, 6, ""},
		{"invalid utf-8", "---\nid: a1\n---\n\xff\xfe", article.ErrEncoding, 4, ""},
		{"invalid utf-8 later", "---\nid: a1\n---\nB\nC \xe4 D\n", article.ErrEncoding, 5, ""},
		{"id with slash", "---\nid: a/1\npublished: 2023-09-25\nlanguage: de\n---\nB", article.ErrID, 2, ""},
		{"id with NUL", "---\nid: a\x001\npublished: 2023-09-25\nlanguage: de\n---\nB", article.ErrID, 2, ""},
		{"id with colon", "---\npublished: 2023-09-25\nid: a:1\nlanguage: de\n---\nB", article.ErrID, 3, ""},
		{"id with space", "---\nid: a 1\npublished: 2023-09-25\nlanguage: de\n---\nB", article.ErrID, 2, ""},
		{"id too long", "---\nid: " + strings.Repeat("a", 129) + "\npublished: 2023-09-25\nlanguage: de\n---\nB", article.ErrID, 2, ""},
		{"published in the future", "---\nid: a1\npublished: 2999-01-01\nlanguage: de\n---\nB", article.ErrDate, 3, ""},
		{"published too early", "---\nid: a1\npublished: 1066-10-14\nlanguage: de\n---\nB", article.ErrDate, 3, ""},
		{"unknown language", "---\nid: a1\npublished: 2023-09-25\nlanguage: xx\n---\nB", lang.ErrUnknown, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := article.Parse([]byte(tt.src), nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				var pe *article.ParseError
				if !errors.As(err, &pe) || pe.Line != tt.line {
					t.Fatalf("err %v: want line %d", err, tt.line)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Body != tt.body {
				t.Errorf("body = %q, want %q", a.Body, tt.body)
			}
			if a.ID != "a1" {
				t.Errorf("id = %q", a.ID)
			}
			if a.Language != "de" && a.Language != "en" {
				t.Errorf("language = %q, want the registered code", a.Language)
			}
		})
	}
}

func TestParseDefaults(t *testing.T) {
	pub := time.Date(2021, 1, 11, 0, 0, 0, 0, time.UTC)
	a, err := article.Parse([]byte("Plain text, no front matter."), &article.Article{ID: "p", Language: "de", Published: pub})
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "Plain text, no front matter." || a.PublishedDate() != "2021-01-11" {
		t.Errorf("got %+v", a)
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Er kam am 9. November 2020 an. Dann ging er.", []string{"Er kam am 9. November 2020 an.", "Dann ging er."}},
		{"Dr. Smith flew to Kyiv. It rained!", []string{"Dr. Smith flew to Kyiv.", "It rained!"}},
		{"Überschrift\n\nErster Satz. \"Zitat.\" Zweiter Satz?", []string{"Überschrift", "Erster Satz.", "\"Zitat.\"", "Zweiter Satz?"}},
		{"J. R. Smith spoke. ok", []string{"J. R. Smith spoke. ok"}},
		{"Ende.Anfang ohne Leerzeichen.", []string{"Ende.", "Anfang ohne Leerzeichen."}},
	}
	for _, tt := range tests {
		txt := article.NewText(tt.text)
		var got []string
		for _, s := range txt.Sentences() {
			got = append(got, txt.Slice(s.Start, s.End))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestTextOffsets(t *testing.T) {
	txt := article.NewText("Größe in Eriwan")
	if txt.Len() != 15 {
		t.Fatalf("Len = %d, want 15", txt.Len())
	}
	if got := txt.Slice(9, 15); got != "Eriwan" {
		t.Errorf("Slice = %q", got)
	}
	if got := txt.Rune(txt.Byte(9)); got != 9 {
		t.Errorf("Rune(Byte(9)) = %d", got)
	}
}

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md":      {Data: []byte("---\nid: a\npublished: 2023-09-25\nlanguage: de\n---\nIn Eriwan.")},
		"b.md":      {Data: []byte("---\nid: b\npublished: nope\nlanguage: de\n---\nText.")},
		"c.txt":     {Data: []byte("---\nid: a\npublished: 2023-09-25\nlanguage: de\n---\nDuplicate id.")},
		"README.md": {Data: []byte("# not an article")},
		"d.json":    {Data: []byte("{}")},
	}
	arts, errs := article.LoadDir(fsys)
	if len(arts) != 1 || arts[0].ID != "a" {
		t.Fatalf("articles = %v", arts)
	}
	if len(errs) != 2 {
		t.Fatalf("errs = %v, want 2 (bad date, duplicate id)", errs)
	}
	var fe *article.FileError
	if !errors.As(errs[0], &fe) || fe.Path != "b.md" || !errors.Is(errs[0], article.ErrDate) {
		t.Errorf("first error = %v, want b.md bad date", errs[0])
	}
	if got := errs[0].Error(); got != `b.md: line 3: article: invalid published date: "nope" (want YYYY-MM-DD)` {
		t.Errorf("message = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nid: a\npublished: 2023-09-25\nlanguage: de\n---\nIn Eriwan am 9. Mai."))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\r\nid: x\r\n"))
	f.Add([]byte("Dr. A. B. kam. Dann ging er!\n\n\"Zitat.\""))
	f.Fuzz(func(t *testing.T, src []byte) {
		a, err := article.Parse(src, &article.Article{ID: "d", Language: "de", Published: time.Unix(0, 0).UTC()})
		if err != nil {
			return
		}
		txt := article.NewText(a.Body)
		prev := 0
		for _, s := range txt.Sentences() {
			if s.Start < prev || s.End <= s.Start || s.End > txt.Len() {
				t.Fatalf("bad sentence span %+v after %d (len %d)", s, prev, txt.Len())
			}
			prev = s.End
		}
	})
}

func ExampleParse() {
	src := "---\nid: demo\ntitle: Treffen in Moskau\npublished: 2021-01-11\nlanguage: de\n---\nAlijew und Paschinjan trafen sich in Moskau."
	a, err := article.Parse([]byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ID, a.PublishedDate(), a.Language)
	fmt.Println(a.Body)
	// Output:
	// demo 2021-01-11 de
	// Alijew und Paschinjan trafen sich in Moskau.
}
