package main

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestFilterAlternates(t *testing.T) {
	got, dropped := filterAlternates("EVN,Erevan,Eriwan,Ереван,Erevan,lan wei er,Jerewan,Yerevan,Ēriwan,ʼzryt", "Yerevan", "Yerevan")
	want := []string{"Erevan", "Eriwan", "Jerewan", "Ēriwan"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kept %q, want %q", got, want)
	}
	if dropped != 4 {
		t.Errorf("dropped %d, want 4", dropped)
	}
}

func TestGermanForms(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Armenien", []string{"armenisch", "armenier"}},
		{"Russland", []string{"russisch"}},
		{"Aserbaidschan", []string{"aserbaidschanisch", "aserbaidschaner"}},
		{"Türkei", []string{"türkisch"}},
		{"Usbekistan", []string{"usbekisch", "usbekistanisch", "usbekistaner"}},
		{"Schweden", []string{"schwedisch"}},
		{"Kuba", []string{"kubanisch", "kubaner"}},
		{"Israel", []string{"israelisch"}},
		{"Vereinigte Staaten", nil},
	}
	for _, tt := range tests {
		if got := germanForms(tt.name); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("germanForms(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTopoDecode(t *testing.T) {
	// Two quantized, delta-encoded arcs forming a unit square; the second
	// geometry uses both arcs reversed (~1 = -2, ~0 = -1).
	topo := `{"type":"Topology","transform":{"scale":[1,1],"translate":[10,20]},
	"arcs":[[[0,0],[1,0],[0,1]],[[1,1],[-1,0],[0,-1]]],
	"objects":{"countries":{"type":"GeometryCollection","geometries":[
	 {"type":"Polygon","id":"051","properties":{"name":"Armenia"},"arcs":[[0,1]]},
	 {"type":"MultiPolygon","properties":{"name":"Kosovo"},"arcs":[[[-2,-1]]]},
	 {"type":"Polygon","properties":{"name":"Nowhere"},"arcs":[[0,1]]}]}}}`
	dir := t.TempDir()
	p := filepath.Join(dir, "atlas.json")
	if err := os.WriteFile(p, []byte(topo), 0o644); err != nil {
		t.Fatal(err)
	}
	cs := []*country{{CCA2: "AM", CCN3: "051", Name: nameSet{Common: "Armenia"}}, {CCA2: "XK", Name: nameSet{Common: "Kosovo"}}}
	shapes, unmatched, err := readAtlas(p, cs)
	if err != nil {
		t.Fatal(err)
	}
	wantAM := orb.Polygon{{{10, 20}, {11, 20}, {11, 21}, {10, 21}, {10, 20}}}
	if !reflect.DeepEqual(shapes["AM"], wantAM) {
		t.Errorf("AM = %v, want %v", shapes["AM"], wantAM)
	}
	wantXK := orb.Polygon{{{10, 20}, {10, 21}, {11, 21}, {11, 20}, {10, 20}}}
	if !reflect.DeepEqual(shapes["XK"], wantXK) {
		t.Errorf("XK = %v, want %v", shapes["XK"], wantXK)
	}
	if !reflect.DeepEqual(unmatched, []string{"Nowhere"}) {
		t.Errorf("unmatched = %v", unmatched)
	}
	if d := distanceOutsideKm(wantAM, orb.Point{10.5, 20.5}); d != 0 {
		t.Errorf("inside distance = %v", d)
	}
	if d := distanceOutsideKm(wantAM, orb.Point{11.1, 20.5}); d < 9 || d > 13 {
		t.Errorf("outside distance = %v, want ≈11 km", d)
	}
}

// TestBuild runs the whole build on a tiny fixture source tree.
func TestBuild(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(src, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(citiesPath, "616052\tYerevan\tYerevan\tEVN,Eriwan,Ереван\t40.18111\t44.51361\tP\tPPLC\tAM\t\t11\t\t\t\t1093485\t\t989\tAsia/Yerevan\t2020-01-01\n"+
		"616530\tVanadzor\tVanadzor\tVanadzor,Ванадзор,Վանաձոր\t40.80456\t44.4939\tP\tPPLA\tAM\t\t06\t\t\t\t101098\t\t1352\tAsia/Yerevan\t2020-01-01\n"+
		"2\tPost\tPost\tПост\t40.5\t44.5\tP\tPPL\tAM\t\t05\t\t\t\t5000\t\t1\tAsia/Yerevan\t2020-01-01\n"+
		"1\tTiny\tTiny\tTinyville\t40.5\t44.5\tP\tPPL\tAM\t\t05\t\t\t\t600\t\t1\tAsia/Yerevan\t2020-01-01\n")
	write(statesPath, `[{"name":"Yerevan","isoCode":"ER","countryCode":"AM","latitude":"40.18","longitude":"44.51"},
	{"name":"Wrong Province","isoCode":"WR","countryCode":"AM","latitude":"10","longitude":"10"},
	{"name":"Lost Province","isoCode":"LO","countryCode":"AM","latitude":"10","longitude":"10"}]`)
	// iso3166-2-db gives Wrong Province GeoNames' admin1 code 06, whose seat is Vanadzor.
	write(isoAdminPath, `{"AM":{"regions":[{"iso":"ER","admin":"11"},{"iso":"WR","admin":"06"}]}}`)
	write(countriesPath, `[{"name":{"common":"Armenia","official":"Republic of Armenia"},"cca2":"AM","cca3":"ARM","ccn3":"051",
	"altSpellings":["AM","Hayastan","Հայաստան"],"translations":{"deu":{"common":"Armenien","official":"Republik Armenien"}},
	"latlng":[40,45],"area":29743,"demonyms":{"eng":{"f":"Armenian","m":"Armenian"},"fra":{"f":"Arménienne","m":"Arménien"}},"capital":["Yerevan"]}]`)
	write(wordsPath, "4\npolice/DSMG\nNice\nnice/PYTR\nab\n")
	write(dictionaries["de"], "4\nPost/S\nJerewan\nHaus/Tpd\nklein/S\n")
	write(strings.TrimSuffix(dictionaries["de"], ".dic")+".aff", "SET UTF-8\nFORBIDDENWORD d\nSFX S Y 1\nSFX S   0   s   .\n")
	write(dictionaries["fr"], "2\nposte/S.\nParis/S.\n")
	write(strings.TrimSuffix(dictionaries["fr"], ".dic")+".aff", "SET UTF-8\nFLAG long\nSFX S. Y 1\nSFX S.  0  s/X.  [^sxz]\n")
	write(filepath.Join(stateNamesDir, "de.json"), `{"AM":{"iso":"AM","regions":[{"name":"Jerewan","iso":"ER"},{"name":"Nowhere","iso":"ZZ"}]}}`)
	write(filepath.Join(stateNamesDir, "en.json"), `{"AM":{"iso":"AM","regions":[{"name":"Yerevan","iso":"ER"}]}}`)
	write(filepath.Join(stateNamesDir, "fr.json"), `{"AM":{"iso":"AM","regions":[{"name":"Erevan","iso":"ER"}]}}`)
	write(filepath.Join(aliasesDir, "de.json"), `{"locale":"de","countries":{"AM":["Armenien","Republik Armenien"],"ZZ":"Nirgendwo"}}`)
	write(filepath.Join(aliasesDir, "en.json"), `{"locale":"en","countries":{"AM":"Armenia","GB":["United Kingdom","UK"]}}`)
	write(filepath.Join(aliasesDir, "fr.json"), `{"locale":"fr","countries":{"AM":"Arménie"}}`)
	write(atlasPath, `{"type":"Topology","arcs":[[[43,38],[47,38],[47,42],[43,42],[43,38]]],
	"objects":{"countries":{"geometries":[{"type":"Polygon","id":"051","properties":{"name":"Armenia"},"arcs":[[0]]}]}}}`)
	write(usAtlasPath, `{"type":"Topology","arcs":[[[-88,31],[-85,31],[-85,35],[-88,35],[-88,31]]],
	"objects":{"states":{"geometries":[{"type":"Polygon","id":"01","properties":{"name":"Alabama"},"arcs":[[0]]}]},
	"counties":{"geometries":[{"type":"Polygon","id":"01073","properties":{"name":"Jefferson"},"arcs":[[0]]}]}}}`)
	write(cscCitiesPath, `[["Yerevan","AM","ER","40.18","44.51"]]`)
	cur := `{"demonyms":[{"form":"hayastanisch","iso2":"AM","lang":"de"}],"entries":[{"id":"cur:lake-sevan","name":"Lake Sevan","names":{"de":"Sewansee","en":"Lake Sevan","fr":"lac Sevan"},"aliases":["Sevan"],"kind":"water","country_code":"AM","lat":40.3,"lon":45.3,"source":"test"}]}`
	if err := os.WriteFile(filepath.Join(out, curatedFile), []byte(cur), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := build(src, out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.admin1 != 2 || rep.admin1Dropped != 1 || len(rep.admin1Recovered[ruleSeat]) != 1 || rep.places != 4 || rep.placesSlim != 1 || rep.admin2 != 0 || rep.admin2Skipped != 1 {
		t.Errorf("report = %+v", rep)
	}
	f, err := os.Open(filepath.Join(out, "places.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if _, err := ioCopy(&sb, zr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(sb.String()), "\n")
	if len(lines) != 5 || !strings.HasSuffix(lines[1], "\tEriwan") || !strings.HasSuffix(lines[4], "\t600") {
		t.Errorf("places = %q", lines)
	}
	// Transliterations: Вանաձոր and Ванадзор agree (kept once, from the Armenian script);
	// Ереван gives Jerewan, a German dictionary word here, so dropped; "Post" is a word.
	wantVariants := "#geonameid\tkind\tlang\trule\tname\n" +
		"616052\ttransliteration\tfr\tfr-ru\tIerevan\n" +
		"616530\ttransliteration\tde\tde-hy\tWanadsor\n"
	if got := string(readGz(t, filepath.Join(out, "variants.tsv.gz"))); got != wantVariants {
		t.Errorf("variants.tsv.gz = %q, want %q", got, wantVariants)
	}
	if rep.variants != 2 || rep.variantsBy["rule de-hy"] != 1 || rep.variantsBy["country AM de"] != 1 {
		t.Errorf("variants report = %d %v", rep.variants, rep.variantsBy)
	}
	adm, _ := os.ReadFile(filepath.Join(out, "admin1.tsv"))
	if !strings.Contains(string(adm), "AM\tER\tYerevan\t\t40.18\t44.51\tde=Jerewan|en=Yerevan|fr=Erevan\t\n") {
		t.Errorf("admin1.tsv lacks the names of Yerevan by language:\n%s", adm)
	}
	if !strings.Contains(string(adm), "AM\tWR\tWrong Province\tProvince\t40.80456\t44.4939\t") || strings.Contains(string(adm), "Lost Province") {
		t.Errorf("admin1.tsv: want Wrong Province at its seat Vanadzor and Lost Province dropped:\n%s", adm)
	}
	var log strings.Builder
	rep.print(&log)
	if !strings.Contains(log.String(), "  seat AM-WR Wrong Province (10.0000,10.0000: ") || !strings.Contains(log.String(), "  dropped AM-LO Lost Province (10.0000,10.0000: ") {
		t.Errorf("build.log lacks the recovered and the dropped row:\n%s", log.String())
	}
	if words := string(readGz(t, filepath.Join(out, "en-words.txt.gz"))); words != "nice\npolice\n" {
		t.Errorf("en-words = %q, want the lower-case stems of three letters or more", words)
	}
	// German: the nouns with their suffixed forms, not the forbidden entry nor the
	// lower-case adjective; French: the lower-case entries as listed.
	if words := string(readGz(t, filepath.Join(out, "de-words.txt.gz"))); words != "jerewan\npost\nposts\n" {
		t.Errorf("de-words = %q", words)
	}
	if words := string(readGz(t, filepath.Join(out, "fr-words.txt.gz"))); words != "poste\n" {
		t.Errorf("fr-words = %q", words)
	}
	ctry, _ := os.ReadFile(filepath.Join(out, "countries.tsv"))
	if !strings.Contains(string(ctry), "Hayastan|Armenien|Republik Armenien|Armenia|Arménie") {
		t.Errorf("countries.tsv lacks the i18n-iso-countries names:\n%s", ctry)
	}
	dem, _ := os.ReadFile(filepath.Join(out, "demonyms.tsv"))
	for _, w := range []string{"armenisch\tAM\tde\trule", "armenian\tAM\ten", "arménien\tAM\tfr", "arménienne\tAM\tfr", "hayastanisch\tAM\tde\tcurated"} {
		if !strings.Contains(string(dem), w) {
			t.Errorf("demonyms.tsv lacks %q:\n%s", w, dem)
		}
	}
	gj := readGz(t, filepath.Join(out, "countries.geojson.gz"))
	var fc struct {
		Features []struct {
			Properties map[string]string `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(gj, &fc); err != nil || len(fc.Features) != 1 || fc.Features[0].Properties["iso2"] != "AM" {
		t.Errorf("countries.geojson = %s (%v)", gj, err)
	}
	// Bad curated input is refused with the entry named.
	if err := os.WriteFile(filepath.Join(out, curatedFile), []byte(`{"entries":[{"id":"cur:x","name":"X","names":{"de":"X","en":"X","fr":"X"},"kind":"planet","lat":1,"lon":1,"source":"s"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build(src, out); err == nil || !strings.Contains(err.Error(), "cur:x") {
		t.Errorf("bad curated: err = %v", err)
	}
}
