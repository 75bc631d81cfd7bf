// Package gazetteer is newsmap's offline gazetteer: GeoNames places, countries,
// first-level divisions and a curated supplement, with an exact name index, a
// fuzzy (edit distance 1) index, demonyms and Natural Earth country shapes.
package gazetteer

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Kind classifies an entry.
type Kind string

// Kinds of entries.
const (
	KindCity     Kind = "city"
	KindTown     Kind = "town"
	KindVillage  Kind = "village"
	KindCountry  Kind = "country"
	KindRegion   Kind = "region"
	KindAdmin    Kind = "admin"
	KindWater    Kind = "water"
	KindRoute    Kind = "route"
	KindLandform Kind = "landform"
	KindFacility Kind = "facility"
)

// Entry is one gazetteer place.
type Entry struct {
	ID         string // "gn:616052", "cc:AM", "adm:AZ-NX", "cur:caspian-sea"
	GeonamesID int    // 0 when not from GeoNames
	Name       string // English/canonical
	// Names are the entry's names by language code ("de": "Armenien", "fr":
	// "Arménie") where a source tags them (countries, curated entries); nil otherwise.
	Names       map[string]string
	Kind        Kind
	FeatureCode string // GeoNames code (PPLC, PPLA2, PPL…), "PCLI" countries, "ADM1"/"ADMD" divisions, "ADM2" counties, or curated kind
	CountryCode string // ISO 3166-1 alpha-2, "" for seas/continents
	Admin1      string
	Lat, Lon    float64
	Population  int
	Geometry    orb.Geometry // nil unless curated outline/route
	Source      string

	index    int32  // position in its gazetteer's entries, set by Gazetteer.add
	nameHash uint32 // KeyHash of Normalize(Name), set by Gazetteer.add; 0: unknown
}

// KeyHash is a hash of a normalized key, for Entry.NameKeyIs: FNV-1a, never 0.
func KeyHash(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return max(h, 1)
}

// NameKeyIs reports whether the entry's Name normalizes to key, whose KeyHash is h.
// Most names differ, and their hash says so without reading the name: resolution
// asks it of every candidate of a span. (The hash is the loaded Name's: a copy of an
// entry given another Name must not be asked.)
func (e *Entry) NameKeyIs(key string, h uint32) bool {
	if e.nameHash != 0 && e.nameHash != h {
		return false
	}
	return NormalizesTo(e.Name, key)
}

// NameIn returns the entry's name in the language of code, or "" when unknown.
func (e *Entry) NameIn(code string) string { return e.Names[code] }

// Notable reports whether e takes part in fuzzy matching: countries, admin1,
// curated entries, and places with at least 10000 inhabitants or that are
// first-level seats or capitals.
func (e *Entry) Notable() bool {
	if e.GeonamesID == 0 {
		return true
	}
	return e.Population >= 10000 || e.FeatureCode == "PPLA" || e.FeatureCode == "PPLC"
}

// FuzzyMatch is one result of Fuzzy.
type FuzzyMatch struct {
	Entry    *Entry
	Name     string // the matched name key (normalized)
	Distance int
}

// Errors.
var (
	ErrMalformed = errors.New("gazetteer: malformed data")
)

// Gazetteer is an immutable, concurrency-safe gazetteer.
type Gazetteer struct {
	entries []Entry
	// index maps a normalized name key to an entry index (≥0) or -(posting list
	// index)-1: a flat table of 400,000 keys without pointers (see wordTable).
	index *wordTable
	// postings are the entries of keys that name several; once loaded, views into one
	// array, post.
	postings [][]int32
	post     []int32
	// lookups are Lookup's answers, built at the end of Load: one slice of pointers
	// per posting list, and self[i] = &entries[i] for the names of one entry.
	lookups [][]*Entry
	self    []*Entry
	byID    *wordTable // entries not from GeoNames, by ID
	// byGeonamesID holds the GeoNames entries ("gn:" IDs) by their number: an integer
	// key is cheaper to hash and store than the 200,000 ID strings.
	byGeonamesID idTable
	country      map[string]int32
	shapes       map[string]orb.Geometry
	demonyms     map[string]string
	enWords      *wordTable // lower-case English common words
	// commonWords are the common words by language code (WordsFile), lower case.
	commonWords map[string]*wordTable
	maxWords    int
	// nameWords holds the first and last words of multi-word names: the most words of
	// a name that starts with the word (the low byte, so that taggers skip n-grams no
	// name can match) and lastWordBit when some name ends with it.
	nameWords *wordTable

	// variants records the names that are generated, not from the sources: a key and an
	// entry indexed under it only through a transliteration; sorted by entry, then key.
	variants     []variantRec
	variantArena []byte // the keys of variants
	variantKinds []NameVariant
	// hasVariant is a bit per entry: set when the entry has a generated name, so that
	// Variant answers most entries without a map lookup.
	hasVariant []uint64

	fuzzyOnce    sync.Once
	fuzzy        *fuzzyIndex
	fuzzyMemo    sync.Map     // key → []FuzzyMatch, see Fuzzy
	fuzzyMemoLen atomic.Int32 // keys offered to fuzzyMemo
}

// File names read by Load.
const (
	FileCountries = "countries.tsv"
	FileAdmin1    = "admin1.tsv"
	FileAdmin2    = "admin2.tsv"
	FileCurated   = "curated.json"
	FilePlaces    = "places.tsv.gz"
	FileShapes    = "countries.geojson.gz"
	FileDemonyms  = "demonyms.tsv"
	FileEnWords   = "en-words.txt.gz"
	FileVariants  = "variants.tsv.gz"
)

// commonWordCodes are the languages, besides English (FileEnWords), whose common-word
// lists Load reads when present: WordsFile of each.
var commonWordCodes = []string{"de", "fr"}

// WordsFile is the name of the common-word list of the language code: one lower-case
// word a line (German: the nouns in all their forms; French and English: the
// dictionary's lower-case entries).
func WordsFile(code string) string { return code + "-words.txt.gz" }

// Load reads the gazetteer files from the root of fsys, e.g.
// fs.Sub(data.Gazetteer, "gazetteer").
func Load(fsys fs.FS) (*Gazetteer, error) {
	g := &Gazetteer{
		index:        newWordTable(1 << 19), // the embedded data has 403,000 keys
		nameWords:    newWordTable(1 << 17),
		byID:         newWordTable(1 << 14),
		byGeonamesID: newIDTable(1 << 18),
		country:      map[string]int32{},
		demonyms:     map[string]string{},
	}
	// Read and decompress the big files, and parse the shapes and the word lists, on
	// other goroutines while the places are indexed: a build waits for the load on an
	// otherwise idle core.
	type blob struct {
		b   []byte
		err error
	}
	type shapes struct {
		m   map[string]orb.Geometry
		err error
	}
	type words struct {
		m   map[string]*wordTable
		err error
	}
	placesCh, shapesCh, variantsCh := make(chan blob, 1), make(chan shapes, 1), make(chan blob, 1)
	wordsCh := make(chan words, 1)
	go func() { b, err := readFile(fsys, FilePlaces); placesCh <- blob{b, err} }()
	go func() {
		b, err := readFile(fsys, FileShapes)
		if err != nil {
			shapesCh <- shapes{nil, err}
			return
		}
		m, err := parseShapes(b)
		shapesCh <- shapes{m, err}
	}()
	go func() { b, err := readOptional(fsys, FileVariants); variantsCh <- blob{b, err} }()
	go func() {
		b, err := readFile(fsys, FileEnWords)
		if err != nil {
			wordsCh <- words{nil, err}
			return
		}
		m := map[string]*wordTable{"en": wordSet(b)}
		for _, code := range commonWordCodes {
			b, err := readOptional(fsys, WordsFile(code))
			if err != nil {
				wordsCh <- words{nil, err}
				return
			}
			if len(b) > 0 {
				m[code] = wordSet(b)
			}
		}
		wordsCh <- words{m, nil}
	}()
	in := newInterner()
	var firstErr error
	keep := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if b, err := readFile(fsys, FileCountries); err != nil {
		keep(err)
	} else {
		keep(g.loadCountries(b, in))
	}
	if b, err := readFile(fsys, FileAdmin1); err != nil {
		keep(err)
	} else {
		keep(g.loadAdmin1(b, in))
	}
	if b, err := readFile(fsys, FileAdmin2); err != nil {
		keep(err)
	} else {
		keep(g.loadAdmin2(b, in))
	}
	if b, err := readFile(fsys, FileCurated); err != nil {
		keep(err)
	} else {
		keep(g.loadCurated(b, in))
	}
	if b, err := readFile(fsys, FileDemonyms); err != nil {
		keep(err)
	} else {
		keep(g.loadDemonyms(b))
	}
	pb := <-placesCh
	if firstErr != nil {
		return nil, firstErr
	}
	if pb.err != nil {
		return nil, pb.err
	}
	g.entries = slices.Grow(g.entries, bytes.Count(pb.b, []byte{'\n'})+1) // no copies while growing
	if err := g.loadPlaces(pb.b, in); err != nil {
		return nil, err
	}
	sh := <-shapesCh
	if sh.err != nil {
		return nil, sh.err
	}
	g.shapes = sh.m
	ws := <-wordsCh
	if ws.err != nil {
		return nil, ws.err
	}
	g.commonWords, g.enWords = ws.m, ws.m["en"]
	vb := <-variantsCh
	if vb.err != nil {
		return nil, vb.err
	}
	if err := g.loadVariants(vb.b, in); err != nil {
		return nil, err
	}
	g.flatten()
	g.link()
	return g, nil
}

// flatten packs the posting lists into one array, sorts the variants and fits the
// tables to their keys: the layout the snapshot stores.
func (g *Gazetteer) flatten() {
	for _, t := range []*wordTable{g.index, g.byID, g.nameWords} {
		t.shrink()
	}
	g.byGeonamesID.shrink()
	n := 0
	for _, p := range g.postings {
		n += len(p)
	}
	g.post = make([]int32, 0, n)
	for j, p := range g.postings {
		g.post = append(g.post, p...)
		g.postings[j] = g.post[len(g.post)-len(p) : len(g.post) : len(g.post)]
	}
	g.sortVariants()
}

// link makes what both Load and a snapshot derive from the entries and the posting
// lists: Lookup's slices of pointers, in two allocations.
func (g *Gazetteer) link() {
	g.self = make([]*Entry, len(g.entries))
	for i := range g.entries {
		g.self[i] = &g.entries[i]
	}
	all := make([]*Entry, len(g.post))
	for k, i := range g.post {
		all[k] = &g.entries[i]
	}
	g.lookups = make([][]*Entry, len(g.postings))
	off := 0
	for j, p := range g.postings {
		g.lookups[j] = all[off : off+len(p) : off+len(p)]
		off += len(p)
	}
}

// readOptional is readFile for a file that may be absent (nil, nil).
func readOptional(fsys fs.FS, name string) ([]byte, error) {
	if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return readFile(fsys, name)
}

// readFile reads name from fsys, decompressing .gz files. A damaged gzip stream
// is reported with the line at which the readable data stops.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	defer f.Close()
	if !strings.HasSuffix(name, ".gz") {
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: %s: %w", name, err)
		}
		return b, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %s: %w (%w)", name, err, ErrMalformed)
	}
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		buf.Grow(int(st.Size()) * 3)
	}
	if _, err := io.Copy(&buf, zr); err != nil {
		line := bytes.Count(buf.Bytes(), []byte{'\n'}) + 1
		return nil, fmt.Errorf("gazetteer: %s: line %d: %w (%w)", name, line, err, ErrMalformed)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("gazetteer: %s: %w (%w)", name, err, ErrMalformed)
	}
	return buf.Bytes(), nil
}

// interner shares equal short strings (codes, kinds).
type interner map[string]string

func newInterner() interner { return interner{} }

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}

// lines calls fn for each non-empty, non-comment line of b (1-based numbers).
// All returned strings share one copy of b.
func lines(name string, b []byte, minCols int, fn func(line int, cols []string) error) error {
	s := string(b)
	cols := make([]string, 0, 20)
	for n := 1; s != ""; n++ {
		var l string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			l, s = s[:i], s[i+1:]
		} else {
			l, s = s, ""
		}
		l = strings.TrimSuffix(l, "\r")
		if l == "" || l[0] == '#' {
			continue
		}
		cols = cols[:0]
		for {
			i := strings.IndexByte(l, '\t')
			if i < 0 {
				cols = append(cols, l)
				break
			}
			cols = append(cols, l[:i])
			l = l[i+1:]
		}
		if len(cols) < minCols {
			return fmt.Errorf("gazetteer: %s: line %d: %d columns, want %d (%w)", name, n, len(cols), minCols, ErrMalformed)
		}
		if err := fn(n, cols); err != nil {
			return fmt.Errorf("gazetteer: %s: line %d: %w", name, n, err)
		}
	}
	return nil
}

func parseLatLon(lat, lon string) (float64, float64, error) {
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return 0, 0, fmt.Errorf("bad coordinates %q,%q (%w)", lat, lon, ErrMalformed)
	}
	return la, lo, nil
}

func (g *Gazetteer) add(e Entry) (int32, error) {
	i := int32(len(g.entries))
	dup := false
	if n, ok := strings.CutPrefix(e.ID, geonamesPrefix); ok && geonamesKey(n, e.GeonamesID) {
		dup = !g.byGeonamesID.add(uint32(e.GeonamesID), i)
	} else {
		g.byID.set(e.ID, func(_ int32, found bool) int32 {
			dup = found
			return i
		})
	}
	if dup {
		return 0, fmt.Errorf("duplicate id %s (%w)", e.ID, ErrMalformed)
	}
	e.index = i
	var buf [64]byte
	e.nameHash = KeyHash(string(appendNormalize(buf[:0], e.Name)))
	g.entries = append(g.entries, e)
	return i, nil
}

// MaxIndexWords is the longest name, in words, that is indexed; longer names
// (ceremonial full names) never occur in running text.
const MaxIndexWords = 10

// addName indexes the name under its normalized key; a name already indexed
// for the entry is skipped.
func (g *Gazetteer) addName(i int32, name string) {
	k := Normalize(name)
	if k == "" || strings.Count(k, " ") >= MaxIndexWords {
		return
	}
	var v int32
	ok := false
	g.index.set(k, func(old int32, found bool) int32 {
		v, ok = old, found
		switch {
		case !found:
			return i
		case old >= 0 && old != i:
			g.postings = append(g.postings, []int32{old, i})
			return -int32(len(g.postings))
		}
		return old
	})
	switch {
	case !ok:
		w := strings.Count(k, " ") + 1
		if w > g.maxWords {
			g.maxWords = w
		}
		if w > 1 {
			g.nameWords.set(k[:strings.IndexByte(k, ' ')], func(old int32, _ bool) int32 {
				return old&^0xff | max(old&0xff, int32(w))
			})
			g.nameWords.set(k[strings.LastIndexByte(k, ' ')+1:], func(old int32, _ bool) int32 { return old | lastWordBit })
		}
		return
	case v >= 0:
		return // the entry's own, or a new posting list made above
	default:
		p := g.postings[-v-1]
		for _, x := range p {
			if x == i {
				return
			}
		}
		g.postings[-v-1] = append(p, i)
	}
}

func (g *Gazetteer) loadCountries(b []byte, in interner) error {
	return lines(FileCountries, b, 17, func(_ int, c []string) error {
		if len(c[0]) != 2 {
			return fmt.Errorf("bad iso2 %q (%w)", c[0], ErrMalformed)
		}
		lat, lon, err := parseLatLon(c[12], c[13])
		if err != nil {
			return err
		}
		iso := in.get(c[0])
		i, err := g.add(Entry{ID: "cc:" + iso, Name: c[3], Names: languageNames("en", c[3], "de", c[5], "fr", c[7]), Kind: KindCountry, FeatureCode: "PCLI",
			CountryCode: iso, Lat: lat, Lon: lon, Source: "world-countries"})
		if err != nil {
			return err
		}
		g.country[iso] = i
		names := c[3:10]
		if c[10] != "" {
			names = append(names[:len(names):len(names)], strings.Split(c[10], "|")...)
		}
		for _, n := range names {
			g.addName(i, n)
			if short := shortCountryName(n); short != "" {
				g.addName(i, short) // "Republic of Turkey" → "Turkey"
			}
		}
		return nil
	})
}

func (g *Gazetteer) loadAdmin1(b []byte, in interner) error {
	return lines(FileAdmin1, b, 6, func(_ int, c []string) error {
		lat, lon, err := parseLatLon(c[4], c[5])
		if err != nil {
			return err
		}
		cc := in.get(c[0])
		// Admin1 is the code GeoNames gives the division's towns, so that a town and its
		// state compare equal; the ISO 3166-2 code when the build found none.
		// A division GeoNames does not list among the country's first-level ones (French
		// départements, Azerbaijani rayons, Slovenian municipalities) is coded ADMD, as
		// GeoNames codes a division of unstated level.
		admin1, fc := c[1], "ADMD"
		if len(c) > 7 && c[7] != "" {
			admin1, fc = c[7], "ADM1"
		}
		i, err := g.add(Entry{ID: "adm:" + cc + "-" + c[1], Name: c[2], Kind: KindAdmin, FeatureCode: fc,
			CountryCode: cc, Admin1: in.get(admin1), Lat: lat, Lon: lon, Source: "country-state-city"})
		if err != nil {
			return err
		}
		names := []string{c[2]}
		if len(c) > 6 && c[6] != "" {
			for _, n := range strings.Split(c[6], "|") {
				// "de=Rheinland-Pfalz": the name in a language; a bare name is an alias
				if len(n) > 3 && n[2] == '=' {
					if g.entries[i].Names == nil {
						g.entries[i].Names = map[string]string{}
					}
					g.entries[i].Names[in.get(n[:2])] = n[3:]
					n = n[3:]
				}
				names = append(names, n)
			}
		}
		for _, n := range names {
			g.addName(i, n)
			if short := divisionShortName(n, c[3]); short != "" {
				g.addName(i, short)
			}
		}
		return nil
	})
}

// loadAdmin2 reads second-level divisions (US counties and parishes): country, admin1
// code (as GeoNames gives it), code, name, lat, lon. Only the full name is indexed
// ("Jefferson County"): the bare name is the town's or the person's.
func (g *Gazetteer) loadAdmin2(b []byte, in interner) error {
	return lines(FileAdmin2, b, 6, func(_ int, c []string) error {
		lat, lon, err := parseLatLon(c[4], c[5])
		if err != nil {
			return err
		}
		if len(c[0]) != 2 || c[2] == "" || c[3] == "" {
			return fmt.Errorf("bad country, code or name (%w)", ErrMalformed)
		}
		cc := in.get(c[0])
		i, err := g.add(Entry{ID: "adm2:" + cc + "-" + c[2], Name: c[3], Kind: KindAdmin, FeatureCode: "ADM2",
			CountryCode: cc, Admin1: in.get(c[1]), Lat: lat, Lon: lon, Source: "us-atlas"})
		if err != nil {
			return err
		}
		g.addName(i, c[3])
		return nil
	})
}

// CuratedFile is the layout of curated.json, the hand-written supplement; cmd/gazetteer
// validates it with the same type.
type CuratedFile struct {
	About    string           `json:"about"`
	Demonyms []CuratedDemonym `json:"demonyms"`
	// CountryNames are short names of countries in common use that the country lists
	// lack ("Britain", "Bosnia", "Weißrussland"); the build adds them to the country's
	// alternate spellings in countries.tsv.
	CountryNames []CuratedCountryName `json:"country_names"`
	Entries      []CuratedEntry       `json:"entries"`
}

// CuratedCountryName is one name of a country in common use, with why it is one.
type CuratedCountryName struct {
	Name   string `json:"name"`
	ISO2   string `json:"iso2"`
	Lang   string `json:"lang"`
	Source string `json:"source"`
}

// CuratedEntry is one region, water body, landform or route of curated.json.
type CuratedEntry struct {
	ID   string `json:"id"`
	Name string `json:"name"` // canonical (English)
	// Names are the entry's names by language code: {"de": …, "en": …, "fr": …}.
	Names map[string]string `json:"names"`
	// Aliases are further spellings recognition accepts (other languages, variants).
	Aliases     []string        `json:"aliases"`
	Kind        string          `json:"kind"`
	CountryCode string          `json:"country_code"`
	Lat         float64         `json:"lat"`
	Lon         float64         `json:"lon"`
	Geometry    json.RawMessage `json:"geometry,omitempty"`
	Source      string          `json:"source"`
}

// CuratedDemonym is an irregular adjective or inhabitant noun of a country.
type CuratedDemonym struct {
	Form string `json:"form"`
	ISO2 string `json:"iso2"`
	Lang string `json:"lang"`
}

func (g *Gazetteer) loadCurated(b []byte, in interner) error {
	var f CuratedFile
	if err := json.Unmarshal(b, &f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := bytes.Count(b[:min(int(se.Offset), len(b))], []byte{'\n'}) + 1
			return fmt.Errorf("gazetteer: %s: line %d: %w (%w)", FileCurated, line, err, ErrMalformed)
		}
		return fmt.Errorf("gazetteer: %s: %w (%w)", FileCurated, err, ErrMalformed)
	}
	for n, e := range f.Entries {
		if !strings.HasPrefix(e.ID, "cur:") || e.Name == "" {
			return fmt.Errorf("gazetteer: %s: entry %d: bad id or name %q (%w)", FileCurated, n, e.ID, ErrMalformed)
		}
		var geom orb.Geometry
		if len(e.Geometry) > 0 && string(e.Geometry) != "null" {
			gg, err := geojson.UnmarshalGeometry(e.Geometry)
			if err != nil {
				return fmt.Errorf("gazetteer: %s: %s: geometry: %w (%w)", FileCurated, e.ID, err, ErrMalformed)
			}
			geom = gg.Geometry()
		}
		i, err := g.add(Entry{ID: e.ID, Name: e.Name, Names: e.Names, Kind: Kind(in.get(e.Kind)), FeatureCode: in.get(e.Kind),
			CountryCode: in.get(e.CountryCode), Lat: e.Lat, Lon: e.Lon, Geometry: geom, Source: e.Source})
		if err != nil {
			return fmt.Errorf("gazetteer: %s: %w", FileCurated, err)
		}
		g.addName(i, e.Name)
		for _, code := range sortedKeys(e.Names) {
			g.addName(i, e.Names[code])
		}
		for _, n := range e.Aliases {
			g.addName(i, n)
		}
	}
	return nil
}

func (g *Gazetteer) loadDemonyms(b []byte) error {
	return lines(FileDemonyms, b, 2, func(_ int, c []string) error {
		k := Normalize(c[0])
		if k == "" || len(c[1]) != 2 {
			return fmt.Errorf("bad demonym row (%w)", ErrMalformed)
		}
		if _, ok := g.demonyms[k]; !ok {
			g.demonyms[k] = c[1]
		}
		return nil
	})
}

func (g *Gazetteer) loadPlaces(b []byte, in interner) error {
	return lines(FilePlaces, b, 11, func(_ int, c []string) error {
		id, err := strconv.Atoi(c[0])
		if err != nil {
			return fmt.Errorf("bad geonameid %q (%w)", c[0], ErrMalformed)
		}
		lat, lon, err := parseLatLon(c[3], c[4])
		if err != nil {
			return err
		}
		pop, err := strconv.Atoi(c[9])
		if err != nil {
			return fmt.Errorf("bad population %q (%w)", c[9], ErrMalformed)
		}
		fc := in.get(c[6])
		kind := KindVillage
		switch {
		case fc == "PPLC" || fc == "PPLA" || pop >= 100000:
			kind = KindCity
		case pop >= 10000:
			kind = KindTown
		}
		i, err := g.add(Entry{ID: geonamesPrefix + c[0], GeonamesID: id, Name: c[1], Kind: kind, FeatureCode: fc,
			CountryCode: in.get(c[7]), Admin1: in.get(c[8]), Lat: lat, Lon: lon, Population: pop, Source: "GeoNames"})
		if err != nil {
			return err
		}
		g.addName(i, c[1])
		g.addName(i, c[2])
		if alts := c[10]; alts != "" {
			for {
				j := strings.IndexByte(alts, ',')
				if j < 0 {
					g.addName(i, alts)
					break
				}
				g.addName(i, alts[:j])
				alts = alts[j+1:]
			}
		}
		return nil
	})
}

// parseShapes reads the country shapes by iso2.
func parseShapes(b []byte) (map[string]orb.Geometry, error) {
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %s: %w (%w)", FileShapes, err, ErrMalformed)
	}
	shapes := make(map[string]orb.Geometry, len(fc.Features))
	for n, f := range fc.Features {
		iso, _ := f.Properties["iso2"].(string)
		if len(iso) != 2 || f.Geometry == nil {
			return nil, fmt.Errorf("gazetteer: %s: feature %d: missing iso2 or geometry (%w)", FileShapes, n, ErrMalformed)
		}
		shapes[iso] = f.Geometry
	}
	return shapes, nil
}

// Lookup returns the entries having a name whose Normalize equals key (key
// must already be normalized). Countries come first, then admin1 and curated
// entries, then places by decreasing population. The slice is shared: callers must
// not modify it.
func (g *Gazetteer) Lookup(key string) []*Entry {
	v, ok := g.index.get(key)
	switch {
	case !ok:
		return nil
	case v >= 0:
		return g.self[v : v+1 : v+1]
	}
	return g.lookups[-v-1]
}

// indexOf returns the position of e in the gazetteer's entries: its own index when e
// points into them, else (a copy) the index of the entry with its id.
func (g *Gazetteer) indexOf(e *Entry) (int32, bool) {
	if i := e.index; int(i) < len(g.entries) && &g.entries[i] == e {
		return i, true
	}
	return g.indexByID(e.ID)
}

// geonamesPrefix opens the IDs of GeoNames entries: "gn:146970".
const geonamesPrefix = "gn:"

// geonamesKey reports whether an ID whose number part is s has its GeoNames number n as
// its key in byGeonamesID: s is n in decimal and n fits the table.
func geonamesKey(s string, n int) bool {
	return n > 0 && n <= math.MaxUint32 && isDecimal(s, n)
}

// isDecimal reports whether s is n written in decimal without leading zeros or sign.
func isDecimal(s string, n int) bool {
	var buf [20]byte
	return string(strconv.AppendInt(buf[:0], int64(n), 10)) == s
}

// indexByID returns the position of the entry with the given ID.
func (g *Gazetteer) indexByID(id string) (int32, bool) {
	if n, ok := strings.CutPrefix(id, geonamesPrefix); ok {
		if gid, err := strconv.Atoi(n); err == nil && geonamesKey(n, gid) {
			if i, ok := g.byGeonamesID.get(uint32(gid)); ok {
				return i, true
			}
		}
	}
	return g.byID.get(id)
}

// ByID returns the entry with the given stable id ("gn:146970", "cc:AM", …).
func (g *Gazetteer) ByID(id string) *Entry {
	if i, ok := g.indexByID(id); ok {
		return &g.entries[i]
	}
	return nil
}

// Country returns the country entry for an ISO 3166-1 alpha-2 code, or nil.
func (g *Gazetteer) Country(iso2 string) *Entry {
	if i, ok := g.country[strings.ToUpper(iso2)]; ok {
		return &g.entries[i]
	}
	return nil
}

// CountryShape returns the Natural Earth 1:50m polygon of a country, or nil.
func (g *Gazetteer) CountryShape(iso2 string) orb.Geometry {
	if s, ok := g.shapes[strings.ToUpper(iso2)]; ok {
		return s
	}
	return nil
}

// Demonym maps a normalized adjective or demonym stem ("armenisch",
// "armenier", "armenian") to its country's ISO alpha-2 code.
func (g *Gazetteer) Demonym(key string) (iso2 string, ok bool) {
	iso2, ok = g.demonyms[key]
	return iso2, ok
}

// MaxNameWords is the number of words in the longest indexed name key.
func (g *Gazetteer) MaxNameWords() int { return g.maxWords }

// EnglishWord reports whether lower is a common English word (in lower case), such as
// "police" or "nice".
func (g *Gazetteer) EnglishWord(lower string) bool {
	return g.enWords.has(lower)
}

// CommonWord reports whether lower is a common word of the language code (in lower
// case): for German a noun in any of its forms ("norden", "häuser"), for English and
// French a dictionary word. It is false for a language without a list.
func (g *Gazetteer) CommonWord(code, lower string) bool {
	return g.commonWords[code].has(lower)
}

// wordSet reads a list of one word a line.
func wordSet(b []byte) *wordTable {
	t := newWordTable(bytes.Count(b, []byte{'\n'}) + 1)
	for line := range bytes.Lines(b) {
		if w := bytes.TrimSuffix(line, []byte{'\n'}); len(w) > 0 {
			t.set(string(w), func(int32, bool) int32 { return 0 })
		}
	}
	return t
}

// lastWordBit marks, in nameWords, a word that ends a multi-word name.
const lastWordBit = 0x100

// EndsName reports whether some multi-word name ends with the word key.
func (g *Gazetteer) EndsName(key string) bool {
	v, _ := g.nameWords.get(key)
	return v&lastWordBit != 0
}

// NameWordsFrom returns how many words the longest name that starts with the word key
// has: 1 when no multi-word name starts with it (single-word names are not checked).
func (g *Gazetteer) NameWordsFrom(key string) int {
	if v, _ := g.nameWords.get(key); v&0xff > 1 {
		return int(v & 0xff)
	}
	return 1
}

// Entries is the number of entries.
func (g *Gazetteer) Entries() int { return len(g.entries) }

// statePrefixes open the official names of states ("Republic of Turkey", "Republik
// Österreich"); what follows is the short name that news text uses.
var statePrefixes = []string{
	"Federal Democratic Republic of ", "Democratic Republic of ", "Federal Republic of ",
	"Islamic Republic of ", "People's Republic of ", "Socialist Republic of ", "Arab Republic of ",
	"United Republic of ", "Republic of ", "Kingdom of ", "State of ", "Commonwealth of ",
	"Principality of ", "Grand Duchy of ", "Sultanate of ",
	"Bundesrepublik ", "Republik ", "Königreich ", "Staat ", "Fürstentum ", "Großherzogtum ",
}

// shortCountryName returns the short name inside an official state name, or "".
func shortCountryName(official string) string {
	for _, p := range statePrefixes {
		if rest, ok := strings.CutPrefix(official, p); ok && rest != "" && !strings.Contains(rest, " of ") {
			return rest
		}
	}
	return ""
}

// divisionWords open or close the names of divisions ("Oblast Charkiw", "Kharkiv Oblast",
// "Autonome Republik Nachitschewan", "Land Salzburg"); the rest is the name news uses.
var divisionWords = []string{
	"Autonomous Republic", "Autonome Republik", "Autonomous Okrug", "Autonomer Kreis",
	"Oblast", "Region", "Province", "Provinz", "Governorate", "Gouvernement", "District",
	"Bezirk", "Kanton", "Canton", "Prefecture", "Präfektur", "County", "State", "Land",
	"Republic", "Republik", "Krai", "Department", "Departement",
	"République autonome", "Gouvernorat", "Région", "Département", "Territoire", "Préfecture",
}

// divisionLinks join a leading type word to the name in French: "Province de Limbourg",
// "Gouvernorat d'Idleb", "Région du Centre".
var divisionLinks = []string{"de la ", "de l'", "de l’", "de ", "d'", "d’", "du ", "des "}

// divisionShortName returns a division's name without its type word (typ, from the
// admin1 file, or one of divisionWords) at the start or end, or "".
func divisionShortName(name, typ string) string {
	words := divisionWords
	if typ != "" {
		words = append([]string{typ}, words...)
	}
	for _, w := range words {
		if rest, ok := strings.CutSuffix(name, " "+w); ok && rest != "" {
			return rest
		}
		if rest, ok := strings.CutPrefix(name, w+" "); ok && rest != "" && !strings.HasPrefix(rest, "of ") {
			for _, l := range divisionLinks {
				if r, ok := strings.CutPrefix(rest, l); ok && r != "" {
					return r
				}
			}
			return rest
		}
	}
	return ""
}

// languageNames builds a Names map from code, name pairs, leaving out empty names.
func languageNames(pairs ...string) map[string]string {
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			m[pairs[i]] = pairs[i+1]
		}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
