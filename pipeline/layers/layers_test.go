package layers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/layers"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpus geoparses the project's articles and the test articles.
func corpus(tb testing.TB) []*pipeline.Document {
	g := gazettest.Load(tb)
	var docs []*pipeline.Document
	for _, dir := range []string{"../../data/articles", "../testdata"} {
		arts, errs := article.LoadDir(os.DirFS(dir))
		if len(errs) > 0 {
			tb.Fatal(errs)
		}
		for _, a := range arts {
			d, err := pipeline.Geoparse(g, a)
			if err != nil {
				tb.Fatal(err)
			}
			docs = append(docs, d)
		}
	}
	return docs
}

// TestGolden compares the built layers with testdata/golden (regions are compared by
// their ids and geometry types only: the outlines are large).
func TestGolden(t *testing.T) {
	set, err := layers.Build(corpus(t), gazettest.Load(t))
	if err != nil {
		t.Fatal(err)
	}
	files, err := set.Files()
	if err != nil {
		t.Fatal(err)
	}
	var regions []string
	for _, f := range set.Regions.Features {
		regions = append(regions, f.ID.(string)+" "+f.Geometry.GeoJSONType())
	}
	files["regions.geojson"], _ = json.MarshalIndent(regions, "", "  ")
	for name, got := range files {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pipeline/layers -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run with -update and review the diff)", name, path)
		}
	}
}

// TestCorpusPlaces checks the places the product promises for the first corpus.
func TestCorpusPlaces(t *testing.T) {
	set, err := layers.Build(corpus(t), gazettest.Load(t))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		lat, lon float64
		dates    []string
	}
	wants := map[string]want{
		"Stepanakert":   {39.8177, 46.7528, []string{"2023-09-25"}},
		"Goris":         {39.5111, 46.3417, []string{"2023-09-25"}},
		"Nachitschewan": {39.3, 45.45, []string{"2023-09-25"}},
		"Eriwan":        {40.1811, 44.5136, []string{"2023-09-25"}},
		"Moskau":        {55.7522, 37.6156, []string{"2021-01-11", "2023-09-25"}},
	}
	byText := map[string]map[string]any{}
	points := map[string]orb.Point{}
	for _, f := range set.Places.Features {
		for _, tx := range append(f.Properties["texts"].([]string), f.Properties["name"].(string)) {
			byText[tx] = f.Properties
			points[tx] = f.Geometry.(orb.Point)
		}
	}
	for text, w := range wants {
		p, ok := byText[text]
		if !ok {
			t.Errorf("no place written %q", text)
			continue
		}
		pt := points[text]
		if d := (pt.Lat()-w.lat)*(pt.Lat()-w.lat) + (pt.Lon()-w.lon)*(pt.Lon()-w.lon); d > 0.25 {
			t.Errorf("%s at %v, want near %v,%v", text, pt, w.lat, w.lon)
		}
		got, _ := json.Marshal(p["dates"])
		wantDates, _ := json.Marshal(w.dates)
		if !bytes.Equal(got, wantDates) {
			t.Errorf("%s dates %s, want %s", text, got, wantDates)
		}
	}
	var lachin bool
	for _, f := range set.Routes.Features {
		if f.Properties["name"] == "Lachin corridor" {
			lachin = true
			if _, ok := f.Geometry.(orb.LineString); !ok || f.Properties["date"] != "2023-09-25" {
				t.Errorf("Lachin corridor: %T dated %v", f.Geometry, f.Properties["date"])
			}
		}
	}
	if !lachin {
		t.Error("no Lachin corridor in the routes layer")
	}
}

// TestLabels: a place's label is a dictionary form in the article's language, never an
// inflected ("kaspischen Meer", "Südkaukasusregion") or misspelt ("Gori") form.
func TestLabels(t *testing.T) {
	g := gazettest.Load(t)
	a := &article.Article{ID: "labels", Language: "de", Published: time.Date(2023, 9, 25, 0, 0, 0, 0, time.UTC),
		Body: "Flüchtlinge aus Stepanakert in Bergkarabach erreichen Armenien. Zwischen Stepanakert und Gori stauen sich die Autos. Am kaspischen Meer und in der Südkaukasusregion bleibt es ruhig. " +
			"Die Regierung Armeniens meldet neue Ankünfte in Eriwan."}
	d, err := pipeline.Geoparse(g, a)
	if err != nil {
		t.Fatal(err)
	}
	set, err := layers.Build([]*pipeline.Document{d}, g)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"gn:146970":       "Stepanakert", // an exact alternate name: the article's word
		"gn:174895":       "Goris",       // misspelt "Gori": the name, not the slip
		"cur:caspian-sea": "Kaspisches Meer", "cur:south-caucasus": "Südkaukasus",
		"cc:AM": "Armenien", "gn:616052": "Eriwan",
	}
	got := map[string]string{}
	for _, f := range set.Places.Features {
		got[f.ID.(string)], _ = f.Properties["label"].(string)
	}
	for id, label := range want {
		if got[id] != label {
			t.Errorf("%s: label %q, want %q (all: %v)", id, got[id], label, got)
		}
	}
}

func TestWriteIsAtomicAndComplete(t *testing.T) {
	dir := t.TempDir()
	set, err := layers.Build(corpus(t), gazettest.Load(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Write(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Fatalf("wrote %d files, want 6 (no temporary files left)", len(entries))
	}
	for _, name := range []string{"mentions", "places", "routes", "regions"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".geojson"))
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Type     string            `json:"type"`
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
			t.Errorf("%s: %v, type %q, %d features", name, err, fc.Type, len(fc.Features))
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	docs := corpus(b)
	g := gazettest.Load(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := layers.Build(docs, g); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriterMatchesBuild: the layers streamed from results are byte for byte the layers
// built in memory.
func TestWriterMatchesBuild(t *testing.T) {
	docs := corpus(t)
	g := gazettest.Load(t)
	set, err := layers.Build(docs, g)
	if err != nil {
		t.Fatal(err)
	}
	want, err := set.Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w, err := layers.NewWriter(dir, g, layers.ReviewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		r, err := layers.Extract(d, g)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mentions != len(set.Mentions.Features) || st.Places != len(set.Places.Features) || st.Articles != len(docs) {
		t.Errorf("stats %+v", st)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(want) {
		t.Errorf("wrote %d files, want %d (no temporary files)", len(entries), len(want))
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: streamed layer differs from the in-memory one", name)
		}
	}
}

// TestWriterAbortKeepsOldLayers: an aborted build leaves the previous layers and no
// temporary files.
func TestWriterAbortKeepsOldLayers(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "mentions.geojson")
	os.WriteFile(old, []byte("old"), 0o644)
	w, err := layers.NewWriter(dir, gazettest.Load(t), layers.ReviewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Add(&layers.Result{ArticleID: "x", Mentions: []json.RawMessage{json.RawMessage(`{}`)}})
	w.Abort()
	entries, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(old); string(b) != "old" || len(entries) != 1 {
		t.Errorf("after Abort: mentions %q, %d files", b, len(entries))
	}
}

// TestWriterCloseCancelled: a build interrupted while it writes the layers (its context
// done before the files are moved into place) leaves the previous layers and no
// temporary files; a temporary file that a killed writer left is removed at the start.
func TestWriterCloseCancelled(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "mentions.geojson")
	os.WriteFile(old, []byte("old"), 0o644)
	os.WriteFile(filepath.Join(dir, ".places.geojson.999.tmp"), []byte("stale"), 0o644)
	w, err := layers.NewWriter(dir, gazettest.Load(t), layers.ReviewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".places.geojson.999.tmp")); err == nil {
		t.Error("stale temporary file kept")
	}
	w.Add(&layers.Result{ArticleID: "x", Mentions: []json.RawMessage{json.RawMessage(`{}`)}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Close: %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(old); string(b) != "old" || len(entries) != 1 {
		t.Errorf("after a cancelled Close: mentions %q, %d files", b, len(entries))
	}
}
