package gazetteer_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"newsmap/data"
	"newsmap/geo/gazetteer"
)

var (
	loadOnce sync.Once
	loaded   *gazetteer.Gazetteer
	loadErr  error
)

func gazFS(t testing.TB) fs.FS {
	t.Helper()
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func load(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	loadOnce.Do(func() { loaded, loadErr = gazetteer.Load(gazFS(t)) })
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Eriwan", "eriwan"},
		{"Straße von Hormus", "strasse von hormus"},
		{"Berg-Karabach", "berg karabach"},
		{"Xankəndi", "xankandi"},
		{"Xankǝndi", "xankandi"},
		{"Işıklı", "isikli"},
		{"Ägäis", "agais"},
		{"Côte d'Ivoire", "cote d ivoire"},
		{"  Sankt   Gallen ", "sankt gallen"},
		{"St. Gallen", "st gallen"},
		{"Łódź", "lodz"},
		{"Nakhchivan’s", "nakhchivan s"},
		{"already key", "already key"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := gazetteer.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	g := load(t)
	tests := []struct {
		key    string
		wantID string // must be among the results
		first  bool   // and be the first result
	}{
		{"eriwan", "gn:616052", true},
		{"yerevan", "gn:616052", false},
		{"moskau", "gn:524901", false}, // after the city of Moscow and Moscow Oblast (divisions come first)
		{"bayern", "adm:DE-BY", true},
		{"charkiw", "adm:UA-63", false},
		{"moscow", "gn:524901", false},
		{"bergkarabach", "cur:nagorno-karabakh", true},
		{"berg karabach", "cur:nagorno-karabakh", true},
		{"stepanakert", "gn:146970", true},
		{"khankendi", "gn:146970", true},
		{"armenien", "cc:AM", true},
		{"aserbaidschan", "cc:AZ", true},
		{"kaspisches meer", "cur:caspian-sea", true},
		{"latschin korridor", "cur:lachin-corridor", true},
		{"nakhchivan", "adm:AZ-NX", false},
		{"syunik", "adm:AM-SU", false},
		{"usa", "cc:US", true},
	}
	for _, tt := range tests {
		es := g.Lookup(tt.key)
		found := -1
		for i, e := range es {
			if e.ID == tt.wantID {
				found = i
				break
			}
		}
		if found < 0 || (tt.first && found != 0) {
			ids := make([]string, 0, len(es))
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			t.Errorf("Lookup(%q) = %v, want %s (first=%v)", tt.key, ids, tt.wantID, tt.first)
		}
	}
	if es := g.Lookup("no such place xyz"); es != nil {
		t.Errorf("Lookup(unknown) = %v", es)
	}
}

func TestEntryFields(t *testing.T) {
	g := load(t)
	e := g.ByID("gn:616052")
	if e == nil || e.Name != "Yerevan" || e.CountryCode != "AM" || e.Kind != gazetteer.KindCity || e.GeonamesID != 616052 || e.Population < 1000000 {
		t.Fatalf("Yerevan = %+v", e)
	}
	am := g.Country("AM")
	if am == nil || am.NameIn("de") != "Armenien" || am.NameIn("fr") != "Arménie" || am.Name != "Armenia" || am.Kind != gazetteer.KindCountry || am.FeatureCode != "PCLI" {
		t.Fatalf("Country(AM) = %+v", am)
	}
	lc := g.ByID("cur:lachin-corridor")
	if lc == nil || lc.Kind != gazetteer.KindRoute || lc.Source == "" {
		t.Fatalf("lachin corridor = %+v", lc)
	}
	if ls, ok := lc.Geometry.(orb.LineString); !ok || len(ls) < 4 {
		t.Fatalf("lachin corridor geometry = %#v", lc.Geometry)
	}
	if g.Country("XX") != nil {
		t.Error("Country(XX) != nil")
	}
	if g.Entries() < 200000 {
		t.Errorf("Entries() = %d", g.Entries())
	}
	if w := g.MaxNameWords(); w < 4 || w > 30 {
		t.Errorf("MaxNameWords() = %d", w)
	}
}

func TestCountryShape(t *testing.T) {
	g := load(t)
	tests := []struct {
		iso     string
		p       orb.Point
		wantIn  bool
		present bool
	}{
		{"AM", orb.Point{44.5152, 40.1872}, true, true},  // Yerevan
		{"AZ", orb.Point{49.8671, 40.4093}, true, true},  // Baku
		{"AZ", orb.Point{45.4122, 39.2089}, true, true},  // Nakhchivan exclave
		{"AM", orb.Point{49.8671, 40.4093}, false, true}, // Baku not in Armenia
		{"DE", orb.Point{13.405, 52.52}, true, true},
		{"XK", orb.Point{21.1655, 42.6629}, true, true}, // Kosovo matched by name
		{"XX", orb.Point{}, false, false},
	}
	for _, tt := range tests {
		s := g.CountryShape(tt.iso)
		if (s != nil) != tt.present {
			t.Errorf("CountryShape(%s) present = %v", tt.iso, s != nil)
			continue
		}
		if s == nil {
			continue
		}
		var in bool
		switch v := s.(type) {
		case orb.Polygon:
			in = planar.PolygonContains(v, tt.p)
		case orb.MultiPolygon:
			in = planar.MultiPolygonContains(v, tt.p)
		}
		if in != tt.wantIn {
			t.Errorf("%s contains %v = %v, want %v", tt.iso, tt.p, in, tt.wantIn)
		}
	}
}

func TestDemonym(t *testing.T) {
	g := load(t)
	tests := []struct {
		key, want string
	}{
		{"aserbaidschanisch", "AZ"},
		{"armenisch", "AM"},
		{"armenier", "AM"},
		{"armenian", "AM"},
		{"azerbaijani", "AZ"},
		{"russisch", "RU"},
		{"turkisch", "TR"},
		{"franzosisch", "FR"},
		{"deutsch", "DE"},
		{"niederlandisch", "NL"},
		{"schweizerisch", "CH"},
		{"iranisch", "IR"},
		{"georgisch", "GE"},
	}
	for _, tt := range tests {
		if got, ok := g.Demonym(tt.key); !ok || got != tt.want {
			t.Errorf("Demonym(%q) = %q, %v; want %q", tt.key, got, ok, tt.want)
		}
	}
	if _, ok := g.Demonym("haus"); ok {
		t.Error(`Demonym("haus") found`)
	}
}

func TestFuzzy(t *testing.T) {
	g := load(t)
	tests := []struct {
		key, wantID string
	}{
		{"stepansakert", "gn:146970"}, // insertion
		{"stepanaker", "gn:146970"},   // deletion
		{"stepanakret", "gn:146970"},  // transposition
		{"aserbaidschn", "cc:AZ"},
		{"bergkarabah", "cur:nagorno-karabakh"},
	}
	for _, tt := range tests {
		ms := g.Fuzzy(tt.key)
		ok := false
		for _, m := range ms {
			if m.Distance != 1 || m.Name == tt.key {
				t.Errorf("Fuzzy(%q): bad match %+v", tt.key, m)
			}
			if m.Entry.ID == tt.wantID {
				ok = true
			}
		}
		if !ok {
			t.Errorf("Fuzzy(%q) misses %s: %v", tt.key, tt.wantID, ms)
		}
	}
	for _, m := range g.Fuzzy("eriwan") {
		if m.Name == "eriwan" {
			t.Errorf("exact match returned: %+v", m)
		}
	}
	if ms := g.Fuzzy("abc"); ms != nil {
		t.Errorf("short key matched: %v", ms)
	}
}

func TestLoadErrors(t *testing.T) {
	base := gazFS(t)
	read := func(name string) []byte {
		b, err := fs.ReadFile(base, name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	full := fstest.MapFS{}
	for _, n := range []string{gazetteer.FileCountries, gazetteer.FileAdmin1, gazetteer.FileAdmin2, gazetteer.FileCurated, gazetteer.FilePlaces, gazetteer.FileShapes, gazetteer.FileDemonyms, gazetteer.FileEnWords} {
		full[n] = &fstest.MapFile{Data: read(n)}
	}
	with := func(name string, b []byte) fs.FS {
		m := fstest.MapFS{}
		for k, v := range full {
			m[k] = v
		}
		if b == nil {
			delete(m, name)
		} else {
			m[name] = &fstest.MapFile{Data: b}
		}
		return m
	}
	places := read(gazetteer.FilePlaces)
	var smallGz bytes.Buffer
	zw := gzip.NewWriter(&smallGz)
	zw.Write([]byte("1\tX\tX\t1\t2\tP\tPPL\tAM\t01\t10\n")) // 10 columns
	zw.Close()
	var badVariant bytes.Buffer
	zv := gzip.NewWriter(&badVariant)
	zv.Write([]byte("999999999\ttransliteration\tde\tde-ru\tNirgendwo\n"))
	zv.Close()
	tests := []struct {
		name    string
		fsys    fs.FS
		wantSub []string
	}{
		{"variant of an unknown place", with(gazetteer.FileVariants, badVariant.Bytes()), []string{"variants.tsv.gz", "line 1", "unknown geonameid"}},
		{"truncated gzip", with(gazetteer.FilePlaces, places[:len(places)/2]), []string{"places.tsv.gz", "line"}},
		{"not gzip", with(gazetteer.FilePlaces, []byte("hello")), []string{"places.tsv.gz"}},
		{"short row", with(gazetteer.FilePlaces, smallGz.Bytes()), []string{"places.tsv.gz", "line 1", "columns"}},
		{"missing file", with(gazetteer.FileAdmin1, nil), []string{"admin1.tsv"}},
		{"bad coordinates", with(gazetteer.FileAdmin1, []byte("AM\tER\tYerevan\t\tnorth\t44\n")), []string{"admin1.tsv", "line 1", "coordinates"}},
		{"bad county row", with(gazetteer.FileAdmin2, []byte("US\tAL\t\tJefferson County\t33.6\t-86.8\n")), []string{"admin2.tsv", "line 1", "name"}},
		{"bad curated json", with(gazetteer.FileCurated, []byte("{\n\"entries\": [\n}")), []string{"curated.json", "line 3"}},
		{"truncated shapes", with(gazetteer.FileShapes, read(gazetteer.FileShapes)[:1000]), []string{"countries.geojson.gz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := gazetteer.Load(tt.fsys)
			if err == nil || g != nil {
				t.Fatalf("Load = %v, %v; want error", g, err)
			}
			for _, s := range tt.wantSub {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if tt.name != "missing file" && !errors.Is(err, gazetteer.ErrMalformed) {
				t.Errorf("error %q is not ErrMalformed", err)
			}
		})
	}
}

func TestVariants(t *testing.T) {
	g := load(t)
	if g.Variants() < 5000 {
		t.Fatalf("%d generated names, want the transliterations of variants.tsv.gz", g.Variants())
	}
	tests := []struct {
		key, name, cc string
		generated     bool
	}{
		{"stepanawan", "Stepanavan", "AM", true}, // Ստեփանավան
		{"sestaponi", "Zest’aponi", "GE", true},  // ზესტაფონი
		{"schtschutschinsk", "Shchuchinsk", "KZ", true},
		{"wyschhorod", "Vyshhorod", "UA", true},
		{"wanadsor", "Vanadzor", "AM", false}, // GeoNames has the German name
	}
	for _, tt := range tests {
		var e *gazetteer.Entry
		for _, c := range g.Lookup(tt.key) {
			if c.Name == tt.name && c.CountryCode == tt.cc {
				e = c
			}
		}
		if e == nil {
			t.Errorf("Lookup(%q) lacks %s (%s)", tt.key, tt.name, tt.cc)
			continue
		}
		nv, ok := g.Variant(tt.key, e)
		if ok != tt.generated || ok && (nv.Kind != gazetteer.VariantTransliteration || nv.Lang != "de" || nv.Rule == "") {
			t.Errorf("Variant(%q, %s) = %+v, %v; want generated %v", tt.key, tt.name, nv, ok, tt.generated)
		}
		if _, ok := g.Variant(gazetteer.Normalize(e.Name), e); ok {
			t.Errorf("%s: its own name counts as generated", e.Name)
		}
	}
	// a slip in a generated spelling is not corrected: fuzzy matching knows source names only
	for _, fm := range g.Fuzzy("stepanawen") {
		if fm.Name == "stepanawan" {
			t.Errorf("fuzzy matched the generated name %q", fm.Name)
		}
	}
}

// TestCounties: US counties are indexed by their full name only, with the state's code,
// so that the 20-odd Jefferson Counties can be told apart by the story's state.
func TestCounties(t *testing.T) {
	g := load(t)
	states := map[string]bool{}
	for _, e := range g.Lookup(gazetteer.Normalize("Jefferson County")) {
		if e.FeatureCode == "ADM2" && e.CountryCode == "US" {
			states[e.Admin1] = true
		}
	}
	if len(states) < 20 || !states["AL"] || !states["CO"] || !states["KY"] {
		t.Errorf("Jefferson County in %d states (%v), want 20+ with AL, CO, KY", len(states), states)
	}
	for _, e := range g.Lookup("jefferson") {
		if e.FeatureCode == "ADM2" {
			t.Errorf("the bare name finds the county %s", e.ID)
		}
	}
	if e := g.ByID("adm2:US-22071"); e == nil || e.Name != "Orleans Parish" || e.Admin1 != "LA" {
		t.Errorf("Orleans Parish = %+v", e)
	}
	// a division's Admin1 is the code GeoNames gives its towns
	bc, kelowna := g.ByID("adm:CA-BC"), g.Lookup("kelowna")
	if bc == nil || len(kelowna) == 0 || bc.Admin1 != kelowna[0].Admin1 {
		t.Errorf("British Columbia %+v and Kelowna %+v do not share an admin1 code", bc, kelowna)
	}
}
