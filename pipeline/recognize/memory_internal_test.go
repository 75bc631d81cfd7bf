package recognize

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline/article"
	"newsmap/pipeline/lang"
)

// TestRecognizerGenerations reads texts with a Recognizer whose word store holds a few
// dozen words, so that its generations turn over many times in every text: the spans
// must be those a new Recognizer finds, whatever the store kept, moved or forgot.
func TestRecognizerGenerations(t *testing.T) {
	g := gazettest.Load(t)
	type text struct {
		t    *article.Text
		lang *lang.Language
	}
	var texts []text
	for _, dir := range []string{"../../data/articles", "../testdata", "../testdata/regression"} {
		arts, errs := article.LoadDir(os.DirFS(dir))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, a := range arts {
			l, err := lang.Lookup(a.Language)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, text{article.NewText(a.Body), l})
		}
	}
	golds, _ := filepath.Glob("../testdata/gold/fr/*.txt")
	for _, name := range golds {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text{article.NewText(string(b)), lang.French})
	}
	if len(texts) < 20 {
		t.Fatalf("%d texts", len(texts))
	}
	want := make([][]Span, len(texts))
	spans := 0
	for i, x := range texts {
		want[i] = New(g).Recognize(x.t, x.t.Sentences(), x.lang)
		spans += len(want[i])
	}
	if spans < 200 {
		t.Fatalf("%d spans", spans)
	}
	for _, limit := range []int{40, 300} {
		rc := New(g)
		rc.wordLimit = limit
		for pass := range 2 {
			for i, x := range texts {
				if got := rc.Recognize(x.t, x.t.Sentences(), x.lang); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("limit %d, pass %d, text %d: spans differ from a new Recognizer's:\n%v\nwant\n%v", limit, pass, i, got, want[i])
				}
			}
		}
		ws := rc.stores[rulesOf(lang.German)]
		if ws.cur.n+ws.old.n > 2*limit+2000 {
			t.Errorf("limit %d: the store holds %d+%d words", limit, ws.cur.n, ws.old.n)
		}
	}
}
