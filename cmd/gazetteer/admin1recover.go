package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// isoAdminPath is iso3166-2-db's table of first-level divisions: per country the ISO
// 3166-2 code of each region ("GO" for Osh city) with its GeoNames admin1 code ("admin":
// "10") and its names.
const isoAdminPath = "iso3166-2-db/data/iso3166-2.json"

// nearMissKm bounds how far outside its country's Natural Earth 1:50m shape a
// recovered division's point may lie; no other country's shape may be as near.
// Measured on the GeoNames admin seats (PPLA, PPLC) whose nearest shape is their own
// country's (TestSeatsNearOwnShape, 3605 seats): 91.8 % lie inside, 98.5 % within 20 km,
// 99.1 % within 100 km; every seat between 20 and 150 km out is on a small island the
// 1:50m outline leaves out (Bahamas, Palau, Maldives, Marshall Islands, Lakshadweep).
// Beyond 100 km the tail (34 seats, 0.9 %, the farthest 2 400 km out) is remote islands,
// where nearness no longer tells that a point belongs to the country.
const nearMissKm = 100

// Rules that recover a division whose label point lies more than edgeToleranceKm outside
// its country, in the order they are tried.
const (
	ruleSeat      = "seat"       // the GeoNames seat of the division's GeoNames admin1 code
	ruleNamedSeat = "named-seat" // a GeoNames admin seat named as the division
	ruleAdmin2    = "admin2"     // the middle one of the GeoNames towns coded to the division one level down
	ruleCSCEntry  = "csc-entry"  // country-state-city's own entry named as the division
	ruleNearMiss  = "near-miss"  // the label point itself, a little outside the shape
)

// ruleDoc says in build.log what each rule rests on.
var ruleDoc = map[string]string{
	ruleSeat:      "the one PPLA, else the one PPLC, of the GeoNames admin1 code iso3166-2-db gives the division",
	ruleNamedSeat: "the one GeoNames admin seat of the country, at its highest level (PPLC, PPLA, PPLA2), named as the division",
	ruleAdmin2:    "the middle one of the GeoNames towns whose admin2 code is the division's ISO code of letters, all under one admin1 code",
	ruleCSCEntry:  "the one city.json entry of the country named as the division",
	ruleNearMiss:  fmt.Sprintf("the label point, at most %d km outside", nearMissKm),
}

// seatPlace is a GeoNames populated place that is an admin seat (PPLC, PPLA, PPLA2).
type seatPlace struct {
	id     string
	name   string
	admin1 string
	rank   int // 0 PPLC, 1 PPLA, 2 PPLA2
	p      orb.Point
}

// seatRank orders the feature codes of admin seats; ok is false for other codes.
func seatRank(fcode string) (rank int, ok bool) {
	switch fcode {
	case "PPLC":
		return 0, true
	case "PPLA":
		return 1, true
	case "PPLA2":
		return 2, true
	}
	return 0, false
}

// evidence is what the build knows about divisions besides country-state-city's label
// point, for the rules of recoverState.
type evidence struct {
	isoAdmin map[string]string       // "KG-GO" → GeoNames admin1 code "10" (iso3166-2-db); codes two divisions claim are left out
	gn       *gnIndex                // GeoNames' seats and towns
	cscNamed map[string][]orb.Point  // "GB\x00kent" → country-state-city city.json entries of that name
	shapes   map[string]orb.Geometry // Natural Earth country shapes by ISO2
	gnCodes  map[string]string       // the admin1 codes matched by towns (geonamesAdmin1), to check isoAdmin against
	boxes    map[string]orb.Bound    // bounds of shapes
}

// readISOAdmin reads iso3166-2-db's GeoNames admin1 codes of the divisions ("admin"),
// keyed "CC-ISO". A code that two divisions of a country claim (Afghanistan's Oruzgan
// and Urozgan both "39") says nothing about either and is left out.
func readISOAdmin(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f map[string]struct {
		Regions []struct {
			ISO   string `json:"iso"`
			Admin string `json:"admin"`
		} `json:"regions"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]string{}
	claims := map[string]int{}
	for cc, c := range f {
		for _, r := range c.Regions {
			if r.ISO == "" || r.Admin == "" {
				continue
			}
			out[cc+"-"+r.ISO] = r.Admin
			claims[cc+"\x00"+r.Admin]++
		}
	}
	for k, a := range out {
		cc, _, _ := strings.Cut(k, "-")
		if claims[cc+"\x00"+a] > 1 {
			delete(out, k)
		}
	}
	return out, nil
}

// gnTown is a GeoNames place with its admin1 code.
type gnTown struct {
	admin1 string
	p      orb.Point
}

// gnIndex is what readSeats keeps of the GeoNames cities500 dump.
type gnIndex struct {
	seats  map[string][]seatPlace // "KG\x0010" → the PPLC and PPLA places with that admin1 code
	named  map[string][]seatPlace // "KG\x00osh" → the PPLC, PPLA and PPLA2 places of that name or asciiname
	admin2 map[string][]gnTown    // "BE\x00VWV" → the places with that admin2 code
}

// readSeats reads the admin seats of the GeoNames cities500 dump, by country and admin1
// code (PPLC, PPLA) and by country and lower-case name or asciiname (PPLC, PPLA, PPLA2),
// and every place by country and admin2 code.
func readSeats(path string) (*gnIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ix := &gnIndex{seats: map[string][]seatPlace{}, named: map[string][]seatPlace{}, admin2: map[string][]gnTown{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 19 {
			continue // readPlaces reports malformed rows
		}
		rank, seat := seatRank(c[7])
		if !seat && c[11] == "" {
			continue
		}
		lat, err1 := strconv.ParseFloat(c[4], 64)
		lon, err2 := strconv.ParseFloat(c[5], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s:%d: bad coordinates: %w", path, line, errInput)
		}
		p := orb.Point{lon, lat}
		if c[11] != "" {
			k := c[8] + "\x00" + c[11]
			ix.admin2[k] = append(ix.admin2[k], gnTown{admin1: c[10], p: p})
		}
		if !seat {
			continue
		}
		sp := seatPlace{id: c[0], name: c[1], admin1: c[10], rank: rank, p: p}
		if rank <= 1 && c[10] != "" && c[10] != "00" {
			k := c[8] + "\x00" + c[10]
			ix.seats[k] = append(ix.seats[k], sp)
		}
		for i, n := range []string{c[1], c[2]} {
			if n == "" || i == 1 && strings.EqualFold(n, c[1]) {
				continue
			}
			k := c[8] + "\x00" + strings.ToLower(n)
			ix.named[k] = append(ix.named[k], sp)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, line, err)
	}
	return ix, nil
}

// cscByName indexes country-state-city's city.json entries by country and lower-case
// name. The file lists, besides towns, some areas under their own name at GeoNames'
// point for them (Kent, Norfolk and Highland at the middle of the county).
func cscByName(cities []cscCity) map[string][]orb.Point {
	out := map[string][]orb.Point{}
	for _, c := range cities {
		k := c.country + "\x00" + strings.ToLower(c.name)
		out[k] = append(out[k], orb.Point{c.lon, c.lat})
	}
	return out
}

// keepTypes are trailing type words that stay part of the name when it is looked up as
// a place: "Baker Island" is not the town of Baker.
var keepTypes = map[string]bool{"Island": true, "Islands": true, "Atoll": true}

// lookupNames are the names a division is looked up by among places: its name, and the
// name without an administrative type word ("Salyan District" → Salyan, "Sejong City" →
// Sejong, "City of Derby" → Derby). Lower case.
func lookupNames(name string) []string {
	n := strings.ToLower(strings.TrimSpace(name))
	out := []string{n}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && s != n {
			out = append(out, s)
		}
	}
	if t := adminType(name); t != "" && !keepTypes[t] {
		add(n[:len(n)-len(t)])
	}
	if strings.HasSuffix(n, " city") {
		add(strings.TrimSuffix(n, " city"))
	}
	if strings.HasPrefix(n, "city of ") {
		add(strings.TrimPrefix(n, "city of "))
	}
	return out
}

// candidate is a point a rule proposes for a division, with what it rests on.
type candidate struct {
	rule, detail string
	p            orb.Point
}

// candidates lists the points the rules propose for division s, strongest evidence
// first; d is how far its label point lies outside its country's shape.
func (ev *evidence) candidates(s *state, d float64) []candidate {
	var out []candidate
	key := s.CountryCode + "-" + s.ISOCode
	// seat: iso3166-2-db gives the division's GeoNames admin1 code; the one PPLA that
	// GeoNames codes to it is the seat of that first-level division, which lies in it;
	// without a PPLA, the one PPLC (the capital, coded to the division it lies in: Nassau
	// for New Providence). A PPLA goes first: GeoNames codes a capital that is a division
	// of its own (Yamoussoukro, Malé) to the division around it.
	if code, ok := ev.isoAdmin[key]; ok {
		if gn, ok := ev.gnCodes[key]; !ok || gn == code {
			if sp, ok := seatOf(ev.gn.seats[s.CountryCode+"\x00"+code]); ok {
				out = append(out, candidate{ruleSeat, fmt.Sprintf("%s %s, GeoNames %s admin1 %s", sp.name, seatCodes[sp.rank], sp.id, code), sp.p})
			}
		}
	}
	// named-seat: an admin seat of the country with the division's name is the division
	// itself (a city that is a division: Ganja, Birmingham) or its seat, named after it
	// (Salyan District) — a seat lies in the division it is the seat of.
	var named []seatPlace
	for _, n := range lookupNames(s.Name) {
		named = append(named, ev.gn.named[s.CountryCode+"\x00"+n]...)
	}
	if sp, ok := onlyBest(named); ok {
		out = append(out, candidate{ruleNamedSeat, fmt.Sprintf("%s %s, GeoNames %s", sp.name, seatCodes[sp.rank], sp.id), sp.p})
	}
	// admin2: GeoNames codes the towns of some countries' second-level divisions with the
	// ISO code ("VWV" for West Flanders' towns under "VLG"); the towns coded so are the
	// division's, and the middle one lies in it. Only codes of letters: numbers coincide
	// (GeoNames numbers Pieria's towns "16", the ISO code of Laconia).
	if towns, ok := admin2Towns(ev.gn.admin2[s.CountryCode+"\x00"+s.ISOCode], s.ISOCode); ok {
		if p, ok := middleTown(towns); ok {
			out = append(out, candidate{ruleAdmin2, fmt.Sprintf("of %d towns coded %s", len(towns), s.ISOCode), p})
		}
	}
	// csc-entry: country-state-city lists the division itself, once, among its cities
	// under the same name in the same country, at GeoNames' point for the area.
	var entries []orb.Point
	for _, n := range lookupNames(s.Name) {
		for _, p := range ev.cscNamed[s.CountryCode+"\x00"+n] {
			if !containsPoint(entries, p) {
				entries = append(entries, p)
			}
		}
	}
	if len(entries) == 1 {
		out = append(out, candidate{ruleCSCEntry, "city.json entry " + s.Name, entries[0]})
	}
	// near-miss: the label point itself, when it lies only a little outside.
	if d <= nearMissKm {
		out = append(out, candidate{ruleNearMiss, "label point", orb.Point{s.lon, s.lat}})
	}
	return out
}

var seatCodes = [...]string{"PPLC", "PPLA", "PPLA2"}

// admin2Towns returns the points of ts when code is made of two or more letters and all
// of ts lie under one admin1 code (one division, not a number repeated per region).
func admin2Towns(ts []gnTown, code string) ([]orb.Point, bool) {
	if len(code) < 2 || strings.IndexFunc(code, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 || len(ts) == 0 {
		return nil, false
	}
	out := make([]orb.Point, 0, len(ts))
	for _, t := range ts {
		if t.admin1 != ts[0].admin1 {
			return nil, false
		}
		out = append(out, t.p)
	}
	return out, true
}

// seatOf returns the one PPLA of ps, or else the one PPLC.
func seatOf(ps []seatPlace) (seatPlace, bool) {
	var ppla, pplc []seatPlace
	for _, p := range ps {
		switch p.rank {
		case 1:
			ppla = append(ppla, p)
		case 0:
			pplc = append(pplc, p)
		}
	}
	if len(ppla) > 0 {
		return onlyBest(ppla)
	}
	return onlyBest(pplc)
}

// onlyBest returns the place of the best (lowest) rank when exactly one place has it;
// two seats of one name or code at the same level leave the division unplaced.
func onlyBest(ps []seatPlace) (seatPlace, bool) {
	best, n := seatPlace{rank: len(seatCodes)}, 0
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.id] {
			continue
		}
		seen[p.id] = true
		switch {
		case p.rank < best.rank:
			best, n = p, 1
		case p.rank == best.rank:
			n++
		}
	}
	return best, n == 1
}

func containsPoint(ps []orb.Point, p orb.Point) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// accept reports whether p may stand for a division of country cc: it lies within
// nearMissKm of cc's shape, and no other country's shape is as near (a point in another
// country is a namesake's or a disputed one's: Crimea's seat lies in Natural Earth's
// Russia; Hong Kong's label point lies in the harbour, off Natural Earth's Hong Kong but
// nearer to it than to China). It also returns how far outside cc's shape p lies.
func (ev *evidence) accept(cc string, p orb.Point) (float64, bool) {
	d := distanceOutsideKm(ev.shapes[cc], p)
	if d > nearMissKm {
		return d, false
	}
	if d == 0 {
		return 0, true
	}
	return d, ev.nearestIsOwn(cc, p, d)
}

// nearestIsOwn reports whether no other country's shape lies nearer to p than d, its
// distance from cc's shape.
func (ev *evidence) nearestIsOwn(cc string, p orb.Point, d float64) bool {
	pad := padBound(p, d)
	for other, g := range ev.shapes {
		if other != cc && ev.boxes[other].Intersects(pad) && distanceOutsideKm(g, p) < d {
			return false
		}
	}
	return true
}

// padBound is the box around p that holds every point within km of it.
func padBound(p orb.Point, km float64) orb.Bound {
	dx, dy := degLon(km, p[1]), km/110.57
	return orb.Bound{Min: orb.Point{p[0] - dx, p[1] - dy}, Max: orb.Point{p[0] + dx, p[1] + dy}}
}

// degLon is how many degrees of longitude km spans at latitude lat (at most 360).
func degLon(km, lat float64) float64 {
	c := math.Cos(lat * math.Pi / 180)
	if c < 1e-6 {
		return 360
	}
	return math.Min(360, km/(111.32*c))
}

// recoverState returns the first candidate point for s that accept allows, or false.
func (ev *evidence) recoverState(s *state, d float64) (candidate, float64, bool) {
	for _, c := range ev.candidates(s, d) {
		if dc, ok := ev.accept(s.CountryCode, c.p); ok {
			return c, dc, true
		}
	}
	return candidate{}, 0, false
}

func newEvidence(shapes map[string]orb.Geometry, isoAdmin map[string]string, gn *gnIndex, cscNamed map[string][]orb.Point, gnCodes map[string]string) *evidence {
	if gn == nil {
		gn = &gnIndex{}
	}
	boxes := make(map[string]orb.Bound, len(shapes))
	for cc, g := range shapes {
		boxes[cc] = g.Bound()
	}
	return &evidence{isoAdmin: isoAdmin, gn: gn, cscNamed: cscNamed, shapes: shapes, gnCodes: gnCodes, boxes: boxes}
}
