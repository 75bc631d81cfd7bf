package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// cscCitiesPath lists country-state-city's cities with the ISO 3166-2 code of their state.
const cscCitiesPath = "country-state-city/lib/assets/city.json"

// Votes a GeoNames admin1 code needs to be matched to an ISO 3166-2 division.
const (
	admin1MinVotes = 3
	admin1MinShare = 0.6
	admin1MatchKm  = 15
)

// geonamesAdmin1 matches GeoNames' admin1 codes (numeric for Canada "01", Australia
// "02", India "40" …) to the ISO 3166-2 codes of admin1.tsv by the towns both sources
// list: every cities500 town that country-state-city lists under the same name within
// admin1MatchKm votes for its state. The result maps "CA-BC" to "02" (Canada's British
// Columbia); for the United States both are the postal code. Codes without a clear
// majority stay unmatched.
//
// The second map does the same one level down, for divisions that GeoNames lists as
// second-level ones ("GB-ANS" to "SCT.T7", should country-state-city file towns under
// Angus).
func geonamesAdmin1(citiesPath, cscPath string, rep *report) (admin1, admin2 map[string]string, err error) {
	cities, err := readCSCCities(cscPath)
	if err != nil {
		return nil, nil, err
	}
	byName := make(map[string][]cscCity, len(cities))
	for _, c := range cities {
		k := c.country + "\x00" + strings.ToLower(c.name)
		byName[k] = append(byName[k], c)
	}
	f, err := os.Open(citiesPath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	votes := map[string]map[string]int{}  // "CA\x0002" → ISO code → votes
	votes2 := map[string]map[string]int{} // "GB\x00SCT.T7" → ISO code → votes
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 19 || c[10] == "" || c[10] == "00" {
			continue
		}
		lat, err1 := strconv.ParseFloat(c[4], 64)
		lon, err2 := strconv.ParseFloat(c[5], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		for _, m := range byName[c[8]+"\x00"+strings.ToLower(c[1])] {
			if approxKm(lat, lon, m.lat, m.lon) <= admin1MatchKm {
				vote(votes, c[8]+"\x00"+c[10], m.state)
				if c[11] != "" {
					vote(votes2, c[8]+"\x00"+c[10]+"."+c[11], m.state)
				}
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", citiesPath, err)
	}
	admin1, admin2 = majority(votes), majority(votes2)
	rep.admin1Mapped = len(admin1)
	return admin1, admin2, nil
}

func vote(votes map[string]map[string]int, key, iso string) {
	if votes[key] == nil {
		votes[key] = map[string]int{}
	}
	votes[key][iso]++
}

// majority maps each division ("CA-BC") to the GeoNames code ("02") whose matched towns
// it holds at least admin1MinVotes and admin1MinShare of; a division several codes
// choose keeps the one with the most votes.
func majority(votes map[string]map[string]int) map[string]string {
	type choice struct {
		gn    string
		votes int
	}
	best := map[string]choice{} // "CA-BC" → GeoNames code
	for k, vs := range votes {
		cc, gn, _ := strings.Cut(k, "\x00")
		total, top, topISO := 0, 0, ""
		for iso, n := range vs {
			total += n
			if n > top || n == top && iso < topISO {
				top, topISO = n, iso
			}
		}
		if top < admin1MinVotes || float64(top) < admin1MinShare*float64(total) {
			continue
		}
		key := cc + "-" + topISO
		if b, ok := best[key]; !ok || top > b.votes || top == b.votes && gn < b.gn {
			best[key] = choice{gn, top}
		}
	}
	out := make(map[string]string, len(best))
	for k, c := range best {
		out[k] = c.gn
	}
	return out
}

// approxKm is the equirectangular distance in km, good enough below 100 km.
func approxKm(lat1, lon1, lat2, lon2 float64) float64 {
	x := (lon2 - lon1) * math.Cos((lat1+lat2)/2*math.Pi/180)
	return math.Hypot(x, lat2-lat1) * 111.2
}

// cscCity is one town of country-state-city's city.json: [name, country, state, lat, lon].
type cscCity struct {
	name, country, state string
	lat, lon             float64
}

// readCSCCities reads the towns of city.json that have a state and a position.
func readCSCCities(path string) ([]cscCity, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]cscCity, 0, len(rows))
	for _, r := range rows {
		if len(r) < 5 {
			continue
		}
		lat, err1 := strconv.ParseFloat(r[3], 64)
		lon, err2 := strconv.ParseFloat(r[4], 64)
		if err1 != nil || err2 != nil || r[2] == "" {
			continue
		}
		out = append(out, cscCity{r[0], r[1], r[2], lat, lon})
	}
	return out, nil
}

// readStateTowns returns the positions of the towns city.json lists in each state,
// keyed "CC-ISO" as admin1.tsv's divisions ("MX-SON").
func readStateTowns(path string) (map[string][]orb.Point, error) {
	cities, err := readCSCCities(path)
	if err != nil {
		return nil, err
	}
	out := map[string][]orb.Point{}
	for _, c := range cities {
		k := c.country + "-" + c.state
		out[k] = append(out[k], orb.Point{c.lon, c.lat})
	}
	return out, nil
}

// ownTowns keeps the towns of the divisions whose towns are their own as far as GeoNames
// can tell: matched to a GeoNames admin1 code, or admin1.admin2 code (geonamesAdmin1),
// that no other division of the country is matched to. country-state-city files some towns under the wrong code
// (Jiangsu's under CN-TW): those towns place nothing.
func ownTowns(towns map[string][]orb.Point, gnCodes ...map[string]string) map[string][]orb.Point {
	claims := map[string]int{} // "CN\x0004" → divisions matched to it
	for _, codes := range gnCodes {
		for key, gn := range codes {
			cc, _, _ := strings.Cut(key, "-")
			claims[cc+"\x00"+gn]++
		}
	}
	out := map[string][]orb.Point{}
	for key, ts := range towns {
		cc, _, _ := strings.Cut(key, "-")
		for _, codes := range gnCodes {
			if gn, ok := codes[key]; ok && claims[cc+"\x00"+gn] == 1 {
				out[key] = ts
				break
			}
		}
	}
	return out
}

// minMiddleTowns is how many towns a division needs for middleTown to place it.
const minMiddleTowns = 3

// middleTown returns the town nearest to the component-wise median of the towns: a
// point that lies in the division (it is one of its towns) and in its middle as far as
// its towns tell, robust to a few misplaced ones. ok is false for fewer than
// minMiddleTowns towns.
func middleTown(towns []orb.Point) (p orb.Point, ok bool) {
	if len(towns) < minMiddleTowns {
		return orb.Point{}, false
	}
	lons, lats := make([]float64, len(towns)), make([]float64, len(towns))
	for i, t := range towns {
		lons[i], lats[i] = t[0], t[1]
	}
	slices.Sort(lons)
	slices.Sort(lats)
	mid := orb.Point{lons[len(lons)/2], lats[len(lats)/2]}
	best := math.Inf(1)
	for _, t := range towns {
		if d := approxKm(mid[1], mid[0], t[1], t[0]); d < best || d == best && (t[0] < p[0] || t[0] == p[0] && t[1] < p[1]) {
			best, p = d, t
		}
	}
	return p, true
}
