// Package resolve chooses one gazetteer entry for each recognised span. Each candidate
// is scored by a prior (feature class and population), the article's country focus,
// spatial coherence with the other places of the article, and the quality of the name
// match; the margin to the runner-up gives the confidence.
package resolve

import (
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline/recognize"
)

// Weights of the scoring terms. Scores are in log10 units, like log-probabilities: a
// settlement's prior is half the log of its population (so ten times the people is worth
// half a point), a country named in the story adds up to Focus, being near the story's
// other places adds up to Proximity, and a misspelt name loses Fuzzy. The defaults follow
// from those principles (a village rarely makes the news; a story's places cluster), not
// from any text.
type Weights struct {
	PopulationExp    float64 // exponent of population in the prior
	Focus, Proximity float64 // bonuses for the article's countries and for nearby places
	StateFocus       float64 // bonus for the article's states and provinces (same scale as Focus)
	// SentenceFocus is the bonus for a place in a country that another span of the same
	// sentence surely names ("In Ukraine, drones struck Kharkiv and Odesa"): a story
	// that goes round the world places each sentence (same scale as Focus).
	SentenceFocus float64
	Discourse     float64 // bonus for the reading a name was given by "Town, State" in the article
	Alternate     float64 // penalty for a town written with one of its alternate names only
	// Away is the penalty for a town that does not fit a story that is placed: outside
	// its countries and far from its other places ("Brechin, Angus" in a Scottish story
	// is not Angus, Ontario). Capitals, first-level seats and cities of 500,000 or more
	// are exempt (same scale as Focus).
	Away float64
	// AlternateAway is the further penalty for such a town written with one of its
	// alternate names only. GeoNames lists, for
	// many towns, spellings of other languages' presses ("Hamas", Lithuanian for Hamm):
	// a name that is only one of those, for a town the story gives no other reason to
	// be in, is more likely something else (same scale as Focus).
	AlternateAway float64
	Division      float64 // bonus for divisions and regions named with "Region", "province" …
	// List is the bonus for a reading of the same kind and country as the reading of
	// the span it is listed with ("Sonora and Durango": two Mexican states, not a
	// Texan village and a state): a list names things of one sort (same scale as Focus).
	List             float64
	Inflected, Fuzzy float64 // penalties for the match kinds
	// Transliterated is the penalty of a generated transliteration when the span has
	// other readings: a name the sources give beats a spelling the rules made up.
	Transliterated   float64
	ProximityKm      float64 // distance at which the proximity bonus falls to 1/e
	MinScore         float64 // a settlement or division without a locative below this is dropped
	MinScoreLocative float64 // the same after "in", "nach", "from" …
	Temperature      float64 // softmax temperature of the confidence, in score units
}

// DefaultWeights are the weights Resolve uses.
var DefaultWeights = Weights{
	PopulationExp: 0.5, Focus: 1, Proximity: 1, StateFocus: 1, SentenceFocus: 1, Discourse: 2, Alternate: 0.3, Away: 0.3, AlternateAway: 0.3,
	Division: 1.5, List: 1,
	Inflected: 0.05, Fuzzy: 0.7, Transliterated: 0.5, ProximityKm: 250,
	MinScore: 2, MinScoreLocative: 1.25, Temperature: 0.5,
}

// Alternative is a candidate that lost.
type Alternative struct {
	Entry *gazetteer.Entry
	Score float64
}

// Mention is a span with its chosen entry.
type Mention struct {
	recognize.Span
	Entry        *gazetteer.Entry
	Match        recognize.Match
	Score        float64
	Confidence   float64
	Alternatives []Alternative // best first, at most MaxAlternatives
}

// fuzzyMinProximity is the proximity (exp(-d/ProximityKm)) a misspelt reading outside
// the story's countries needs: about 300 km with the default weights.
const fuzzyMinProximity = 0.3

// MaxAlternatives bounds the alternatives kept per mention.
const MaxAlternatives = 3

// Resolve picks an entry for every span with the default weights.
func Resolve(spans []recognize.Span) []Mention { return DefaultWeights.Resolve(spans) }

// Resolve picks an entry for every span. Spans whose best reading is too weak (a small
// place named without locative context, far from the story) are left out.
func (w Weights) Resolve(spans []recognize.Span) []Mention {
	f := newFocus(spans)
	// anchors: spans whose reading is (nearly) certain give the story's location
	chosen := make([]*gazetteer.Entry, len(spans))
	for i, s := range spans {
		if e := f.sure(s); e != nil {
			chosen[i] = e
		}
	}
	base := make([]baseScores, len(spans))
	for i, s := range spans {
		base[i] = w.base(s, f)
	}
	var scored [][]Alternative
	// two rounds: the second scores proximity against the first round's choices
	for round := 0; round < 2; round++ {
		scored = make([][]Alternative, len(spans))
		next := make([]*gazetteer.Entry, len(spans))
		an := newAnchors(chosen)
		for i := range spans {
			scored[i] = w.score(base[i], f, an, chosen[i])
			if len(scored[i]) > 0 {
				next[i] = scored[i][0].Entry
			}
		}
		chosen = next
	}
	if w.List != 0 {
		for i := 1; i < len(spans); i++ {
			if spans[i].Listed {
				w.coordinate(scored[i-1], scored[i])
			}
		}
	}
	out := make([]Mention, 0, len(spans))
	for i, s := range spans {
		alts := scored[i]
		if len(alts) == 0 {
			continue // only misspelt readings, none of which fits the story
		}
		best := alts[0]
		match := matchOf(s, best.Entry)
		min := w.MinScore
		if s.Locative {
			min = w.MinScoreLocative
		}
		if (isSettlement(best.Entry) || best.Entry.Kind == gazetteer.KindAdmin) && best.Score < min {
			continue
		}
		m := Mention{Span: s, Entry: best.Entry, Match: match, Score: best.Score}
		m.Confidence = w.confidence(alts, match)
		for _, a := range alts[1:] {
			if len(m.Alternatives) == MaxAlternatives {
				break
			}
			m.Alternatives = append(m.Alternatives, a)
		}
		out = append(out, m)
	}
	return out
}

// baseScores are a span's candidates with the parts of their scores that do not depend
// on the other spans' readings, worked out once for both rounds of Resolve.
type baseScores struct {
	cands    []baseScore
	keepsOwn bool // a correctly written settlement lies in a country of the story
	many     bool // the span has more than one candidate
}

type baseScore struct {
	recognize.Candidate
	v     float64    // the score before proximity and the match's penalty
	point bool       // isPoint: proximity counts
	alt   bool       // a settlement written with one of its alternate names only
	vec   [3]float64 // the entry's point on the unit sphere, when point
}

// base scores the span's candidates before proximity.
func (w Weights) base(s recognize.Span, f *focus) baseScores {
	b := baseScores{cands: make([]baseScore, 0, len(s.Candidates)), many: len(s.Candidates) > 1}
	focus := f.country
	named := f.named[nameKey(s.Text)]
	written := gazetteer.Normalize(s.Text)
	writtenHash := gazetteer.KeyHash(written)
	own := f.sure(s)
	// A name written correctly for a town in a country of the story is not a slip for a
	// bigger town a letter away: without this, the neighbour's larger population (its
	// prior) outweighed the fuzzy penalty whenever both lay in the story's countries.
	for _, c := range s.Candidates {
		if c.Match != recognize.Fuzzy && isSettlement(c.Entry) && focus[c.Entry.CountryCode] > 0 {
			b.keepsOwn = true
		}
	}
	// A country written with its own name is not one of its towns that has the
	// country's name among its alternate names ("Mexico" for Mexico City).
	country := ""
	for _, c := range s.Candidates {
		if c.Match == recognize.Exact && c.Entry.Kind == gazetteer.KindCountry && c.Entry.NameKeyIs(written, writtenHash) {
			country = c.Entry.CountryCode
		}
	}
	for _, c := range s.Candidates {
		e := c.Entry
		if e.Kind == gazetteer.KindAdmin && !s.Division && namedAfterSettlement(e, s.Candidates) {
			continue
		}
		if country != "" && e.CountryCode == country && isSettlement(e) && !e.NameKeyIs(written, writtenHash) {
			continue
		}
		v := w.prior(e) + w.Focus*focus[e.CountryCode] + w.StateFocus*f.stateOf(e)
		if w.SentenceFocus != 0 && f.inSentence(s, own, e) {
			v += w.SentenceFocus
		}
		if named != nil && e == named {
			v += w.Discourse
		}
		alt := c.Match == recognize.Exact && isSettlement(e) && !e.NameKeyIs(written, writtenHash)
		if alt {
			// "Victoria" is a historic name of Hong Kong, but the main name of the state
			// and of the Canadian city: a name that is an entry's own is the likelier.
			v -= w.Alternate
		}
		if s.Division && (e.Kind == gazetteer.KindAdmin || e.Kind == gazetteer.KindRegion) {
			v += w.Division
		}
		bs := baseScore{Candidate: c, v: v, point: isPoint(e), alt: alt}
		if bs.point {
			bs.vec = unitVector(e.Lat, e.Lon)
		}
		b.cands = append(b.cands, bs)
	}
	return b
}

// score returns the span's candidates scored, best first: their base scores with
// proximity to the places chosen for the other spans (own is the span's own choice of
// the last round) and the penalty of their match.
func (w Weights) score(b baseScores, f *focus, an anchors, own *gazetteer.Entry) []Alternative {
	alts := make([]Alternative, 0, len(b.cands))
	focus := f.country
	for i := range b.cands {
		c := &b.cands[i]
		e, v := c.Entry, c.v
		prox, located := 0.0, len(focus) > 0
		if c.point {
			var near bool
			prox, near = w.proximity(e, c.vec, an, own)
			located = located || near
			v += w.Proximity * prox
		}
		if located && isSettlement(e) && !exonymous(e) && focus[e.CountryCode] == 0 && (!c.point || prox < fuzzyMinProximity) {
			v -= w.Away
			if c.alt {
				v -= w.AlternateAway
			}
		}
		switch c.Match {
		case recognize.Inflected:
			v -= w.Inflected
		case recognize.Transliterated:
			if b.many {
				v -= w.Transliterated
			}
		case recognize.Fuzzy:
			// A slip is assumed only when the corrected place fits the story: it lies
			// in a country of the story or near its other places.
			if b.keepsOwn || focus[e.CountryCode] < 1 && (!c.point || prox < fuzzyMinProximity) {
				continue
			}
			v -= w.Fuzzy
		}
		alts = append(alts, Alternative{e, v})
	}
	sortAlternatives(alts)
	return alts
}

// sortAlternatives sorts by score, best first; ties by entry id.
func sortAlternatives(alts []Alternative) {
	slices.SortStableFunc(alts, func(a, b Alternative) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Entry.ID, b.Entry.ID)
	})
}

// listCandidates is how many of each listed span's best readings are paired.
const listCandidates = 3

// coordinate gives two listed spans the pair of readings, among their best, with the
// highest joint score when a pair of one sort earns List ("Sonora and Durango": the
// Mexican states, even though a Texan village outscored the state alone). Each list
// is re-sorted; the scores of the pair chosen carry the bonus.
func (w Weights) coordinate(a, b []Alternative) {
	bi, bj, best := -1, -1, math.Inf(-1)
	for i := range min(len(a), listCandidates) {
		for j := range min(len(b), listCandidates) {
			v := a[i].Score + b[j].Score
			if sameSort(a[i].Entry, b[j].Entry) {
				v += w.List
			}
			if v > best {
				bi, bj, best = i, j, v
			}
		}
	}
	if bi < 0 || !sameSort(a[bi].Entry, b[bj].Entry) {
		return
	}
	a[bi].Score += w.List
	b[bj].Score += w.List
	sortAlternatives(a)
	sortAlternatives(b)
}

// sameSort reports whether e and o are of one sort: the same country, and both
// settlements or the same kind.
func sameSort(e, o *gazetteer.Entry) bool {
	if o == nil || e == o || e.CountryCode != o.CountryCode || e.CountryCode == "" {
		return false
	}
	return e.Kind == o.Kind || isSettlement(e) && isSettlement(o)
}

// exonymPopulation is the population from which a town's alternate names are taken for
// the names other languages' presses give it ("Antwerp", "Gothenburg") even in a story
// placed elsewhere.
const exonymPopulation = 500_000

// exonymous reports whether e is a place whose alternate names are likely the names
// other languages write for it: a capital, a first-level seat ("Geneva" for Genève),
// a city of exonymPopulation or more.
func exonymous(e *gazetteer.Entry) bool {
	return e.FeatureCode == "PPLC" || e.FeatureCode == "PPLA" || e.Population >= exonymPopulation
}

// capitalKm is how near a division's point a settlement of the same name must lie for
// the division to count as named after it.
const capitalKm = 100

// namedAfterSettlement reports whether a division shares its name with a sizeable
// settlement of the same country near its point (Moscow Oblast, Oblast Wladimir):
// without a word such as "Region", the name means the town, which is also the more
// precise reading.
func namedAfterSettlement(div *gazetteer.Entry, cands []recognize.Candidate) bool {
	for _, c := range cands {
		e := c.Entry
		if c.Match != recognize.Fuzzy && isSettlement(e) && e.CountryCode == div.CountryCode && namesakeTown(e) &&
			Distance(e.Lat, e.Lon, div.Lat, div.Lon) <= capitalKm {
			return true
		}
	}
	return false
}

// namesakePopulation is the population from which a town is taken for the one its
// division is named after; smaller ones must be the capital or a first-level seat.
const namesakePopulation = 100_000

// namesakeTown reports whether a division can be named after e: a village that happens
// to lie near the middle of Sonora is not what "Sonora" names.
func namesakeTown(e *gazetteer.Entry) bool {
	return e.FeatureCode == "PPLC" || e.FeatureCode == "PPLA" || e.Population >= namesakePopulation
}

// anchors are the distinct places chosen for the spans, with how many spans chose each.
type anchors struct {
	entries []*gazetteer.Entry
	count   []int
	cosLat  []float64    // cosine of each entry's latitude, for distanceCos
	vec     [][3]float64 // each entry's point on the unit sphere, for comparing distances
}

func newAnchors(chosen []*gazetteer.Entry) anchors {
	var a anchors
	at := map[*gazetteer.Entry]int{}
	for _, e := range chosen {
		if e == nil || !isPoint(e) {
			continue
		}
		i, ok := at[e]
		if !ok {
			i = len(a.entries)
			at[e] = i
			a.entries = append(a.entries, e)
			a.count = append(a.count, 0)
			a.cosLat = append(a.cosLat, cosLat(e.Lat))
			a.vec = append(a.vec, unitVector(e.Lat, e.Lon))
		}
		a.count[i]++
	}
	return a
}

// proximity is exp(-d/ProximityKm) for the nearest place chosen by another span; ok is
// false when no other span has a place.
//
// The nearest place is found by the chord between points on the unit sphere, which
// grows with the great-circle distance and costs no trigonometry per pair; only its
// distance is then computed (Distance, to the bit).
//
// v is e's unitVector.
func (w Weights) proximity(e *gazetteer.Entry, v [3]float64, an anchors, own *gazetteer.Entry) (p float64, ok bool) {
	best, bestChord := -1, math.Inf(1)
	for i, o := range an.entries {
		if o == e || (o == own && an.count[i] == 1) {
			continue
		}
		u := &an.vec[i]
		dx, dy, dz := v[0]-u[0], v[1]-u[1], v[2]-u[2]
		if c := dx*dx + dy*dy + dz*dz; c < bestChord {
			best, bestChord = i, c
		}
	}
	if best < 0 {
		return 0, false
	}
	o := an.entries[best]
	d := distanceCos(e.Lat, e.Lon, cosLat(e.Lat), o.Lat, o.Lon, an.cosLat[best])
	return math.Exp(-d / w.ProximityKm), true
}

// unitVector is the point at lat, lon in degrees on the unit sphere.
func unitVector(lat, lon float64) [3]float64 {
	sinLat, cosLat := math.Sincos(lat * math.Pi / 180)
	sinLon, cosLon := math.Sincos(lon * math.Pi / 180)
	return [3]float64{cosLat * cosLon, cosLat * sinLon, sinLat}
}

// prior is how likely an entry is as the reading of its name, before context, in log10
// units: PopulationExp·log10(population) for settlements (capitals and first-level seats
// count as larger), fixed values of the same scale for countries, regions and divisions.
func (w Weights) prior(e *gazetteer.Entry) float64 {
	switch e.Kind {
	case gazetteer.KindCountry:
		return 4 // as a city of 10^8
	case gazetteer.KindRegion, gazetteer.KindWater, gazetteer.KindLandform, gazetteer.KindRoute:
		return 3.5
	case gazetteer.KindAdmin:
		return 2.75
	}
	pop := float64(e.Population)
	switch e.FeatureCode {
	case "PPLC":
		pop = math.Max(pop*10, 1e6)
	case "PPLA":
		pop = math.Max(pop*3, 1e5)
	}
	return w.PopulationExp * math.Log10(pop+10)
}

// focusShare is the share of the top count that puts a country or state fully in focus.
const focusShare = 0.3

// focus is where the article is: its countries, and within them its states or
// provinces (a local paper's "Athens" is the town of its own state), and the readings
// that "Town, State" gave its names.
type focus struct {
	country map[string]float64 // ISO code → 0..1
	state   map[string]float64 // "US/GA" → 0..1
	// countryState is, per ISO code, the largest weight of the country's states.
	countryState map[string]float64
	named        map[string]*gazetteer.Entry // a name's reading fixed by "Town, State"
	// sentence counts, per sentence and country, the spans that surely name a place
	// of that country (sure), for SentenceFocus.
	sentence map[sentenceCountry]int
}

type sentenceCountry struct {
	sentence int
	country  string
}

// newFocus weighs the places the article is sure about. States first: a division named
// after a comma ("Paris, Tenn."), and a state, county or town with a single reading
// count for their state; a qualifier counts twice, being written to
// place the story. Then countries, from the spans that are sure given those states.
func newFocus(spans []recognize.Span) *focus {
	f := &focus{state: map[string]float64{}, named: map[string]*gazetteer.Entry{}}
	for _, s := range spans {
		if s.Qualifier != nil && s.Qualifier.Kind == gazetteer.KindAdmin {
			f.state[stateKey(s.Qualifier)] += 2
		}
		if s.Qualifier != nil && len(s.Candidates) == 1 {
			f.named[nameKey(s.Text)] = s.Candidates[0].Entry
		}
		if len(s.Candidates) == 1 && s.Candidates[0].Match != recognize.Fuzzy {
			if e := s.Candidates[0].Entry; e.Admin1 != "" && e.Kind != gazetteer.KindCountry {
				f.state[stateKey(e)]++ // a state, a county, or a town of that name only
			}
		}
	}
	normalise(f.state)
	f.countryState = map[string]float64{}
	for k, v := range f.state {
		cc := k[:strings.IndexByte(k, '/')]
		f.countryState[cc] = math.Max(f.countryState[cc], v)
	}
	f.country = map[string]float64{}
	f.sentence = map[sentenceCountry]int{}
	for _, s := range spans {
		if e := f.sure(s); e != nil && e.CountryCode != "" {
			f.country[e.CountryCode]++
			f.sentence[sentenceCountry{s.Sentence, e.CountryCode}]++
		}
	}
	normalise(f.country)
	return f
}

// normalise turns counts into weights in 0..1: a story is often about two or three
// places at once, and any with a good share of the top count is fully in focus.
func normalise(counts map[string]float64) {
	top := 0.0
	for _, c := range counts {
		top = math.Max(top, c)
	}
	full := math.Max(1, focusShare*top)
	for k, c := range counts {
		counts[k] = math.Min(1, c/full)
	}
}

// inSentence reports whether another span of the span's sentence than the span itself
// surely names a place in e's country; own is the span's sure reading (sure), or nil.
func (f *focus) inSentence(s recognize.Span, own, e *gazetteer.Entry) bool {
	if e.CountryCode == "" {
		return false
	}
	n := f.sentence[sentenceCountry{s.Sentence, e.CountryCode}]
	if own != nil && own.CountryCode == e.CountryCode {
		n-- // the span's own sure reading does not count
	}
	return n > 0
}

// stateKey names the state an entry lies in (or is): "US/GA".
func stateKey(e *gazetteer.Entry) string { return e.CountryCode + "/" + e.Admin1 }

// stateOf is the focus weight of the state an entry lies in; for a country, the
// largest weight of its states: a story placed in a state is placed in its country,
// so "Mexico" after a "MEXICO CITY" dateline is the country, not the capital.
func (f *focus) stateOf(e *gazetteer.Entry) float64 {
	if e.Kind == gazetteer.KindCountry {
		return f.countryState[e.CountryCode]
	}
	if e.Admin1 == "" {
		return 0
	}
	return f.state[stateKey(e)]
}

// nameKey compares written names case-blind ("PARIS" in a dateline, "Paris" later).
func nameKey(text string) string { return strings.ToLower(text) }

// sure returns the entry of a span that has a single reading, whose reading "Town,
// State" fixed earlier in the article, or whose best reading is a country (names of
// countries are rarely ambiguous, unless the story is in a state of the same name:
// Georgia in a story from Athens, Ga.), else nil.
func (f *focus) sure(s recognize.Span) *gazetteer.Entry {
	if len(s.Candidates) == 1 && s.Candidates[0].Match != recognize.Fuzzy {
		return s.Candidates[0].Entry
	}
	if e := f.named[nameKey(s.Text)]; e != nil {
		for _, c := range s.Candidates {
			if c.Entry == e {
				return e
			}
		}
	}
	for _, c := range s.Candidates {
		if c.Match != recognize.Fuzzy && c.Entry.Kind == gazetteer.KindAdmin && f.stateOf(c.Entry) > 0 {
			return nil
		}
	}
	for _, c := range s.Candidates {
		if c.Match != recognize.Fuzzy && c.Entry.Kind == gazetteer.KindCountry {
			return c.Entry
		}
	}
	return nil
}

func matchOf(s recognize.Span, e *gazetteer.Entry) recognize.Match {
	for _, c := range s.Candidates {
		if c.Entry == e {
			return c.Match
		}
	}
	return recognize.Exact
}

// confidence is the softmax weight of the best reading among all readings; fuzzy
// readings are capped lower, since the text did not write the name.
func (w Weights) confidence(alts []Alternative, m recognize.Match) float64 {
	sum := 0.0
	for _, a := range alts {
		sum += math.Exp((a.Score - alts[0].Score) / w.Temperature)
	}
	c := 1 / sum
	switch m {
	case recognize.Inflected:
		c *= 0.97
	case recognize.Transliterated:
		c *= 0.95
	case recognize.Fuzzy:
		c *= 0.8
	}
	return math.Round(c*1000) / 1000
}

func isSettlement(e *gazetteer.Entry) bool {
	switch e.Kind {
	case gazetteer.KindCity, gazetteer.KindTown, gazetteer.KindVillage, gazetteer.KindFacility:
		return true
	}
	return false
}

// isPoint reports whether a place is small enough for distances to mean something.
func isPoint(e *gazetteer.Entry) bool {
	return e.Kind != gazetteer.KindCountry && e.Kind != gazetteer.KindWater
}

// Distance returns the great-circle distance in km between two lat/lon points.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	return geo.DistanceHaversine(orb.Point{lon1, lat1}, orb.Point{lon2, lat2}) / 1000
}

// cosLat is the cosine of a latitude in degrees, as geo.DistanceHaversine computes it.
func cosLat(lat float64) float64 { return math.Cos(lat * math.Pi / 180.0) }

// distanceCos is Distance with the cosines of both latitudes given (cosLat), for
// comparing one place with many: the same operations in the same order as
// geo.DistanceHaversine, so the same result to the bit (TestDistanceCos).
func distanceCos(lat1, lon1, cos1, lat2, lon2, cos2 float64) float64 {
	dLat := (lat1 - lat2) * math.Pi / 180.0
	dLon := (lon1 - lon2) * math.Pi / 180.0
	dLat2Sin := math.Sin(dLat / 2)
	dLon2Sin := math.Sin(dLon / 2)
	a := dLat2Sin*dLat2Sin + cos2*cos1*dLon2Sin*dLon2Sin
	return 2.0 * orb.EarthRadius * math.Atan2(math.Sqrt(a), math.Sqrt(1-a)) / 1000
}
