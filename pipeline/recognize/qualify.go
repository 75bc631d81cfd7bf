package recognize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsmap/geo/gazetteer"
)

// stateAbbrevs are the abbreviations of states and provinces in the style books of
// American (AP), Canadian (CP) and Australian newspapers, as written after a town
// ("Paris, Tenn.", "Kelowna, B.C.", "Bendigo, Vic."), with the ISO 3166-2 code they
// stand for. Two-letter postal codes ("Phoenix, AZ") are read from the gazetteer's
// division codes instead. These are style-book conventions, like function words, not
// names taken from any article.
var stateAbbrevs = map[string]string{
	"Ala.": "US-AL", "Ariz.": "US-AZ", "Ark.": "US-AR", "Calif.": "US-CA", "Cal.": "US-CA", "Colo.": "US-CO",
	"Conn.": "US-CT", "Del.": "US-DE", "Fla.": "US-FL", "Ga.": "US-GA", "Ill.": "US-IL", "Ind.": "US-IN",
	"Kan.": "US-KS", "Kans.": "US-KS", "Ky.": "US-KY", "La.": "US-LA", "Md.": "US-MD", "Mass.": "US-MA",
	"Mich.": "US-MI", "Minn.": "US-MN", "Miss.": "US-MS", "Mo.": "US-MO", "Mont.": "US-MT", "Neb.": "US-NE",
	"Nebr.": "US-NE", "Nev.": "US-NV", "N.H.": "US-NH", "N.J.": "US-NJ", "N.M.": "US-NM", "N.Y.": "US-NY",
	"N.C.": "US-NC", "N.D.": "US-ND", "Okla.": "US-OK", "Ore.": "US-OR", "Oreg.": "US-OR", "Pa.": "US-PA",
	"Penn.": "US-PA", "R.I.": "US-RI", "S.C.": "US-SC", "S.D.": "US-SD", "Tenn.": "US-TN", "Tex.": "US-TX",
	"Va.": "US-VA", "Vt.": "US-VT", "Wash.": "US-WA", "W.Va.": "US-WV", "W. Va.": "US-WV", "Wis.": "US-WI",
	"Wisc.": "US-WI", "Wyo.": "US-WY", "D.C.": "US-DC",
	"B.C.": "CA-BC", "Alta.": "CA-AB", "Sask.": "CA-SK", "Man.": "CA-MB", "Ont.": "CA-ON", "Que.": "CA-QC",
	"Qué.": "CA-QC", "N.S.": "CA-NS", "N.B.": "CA-NB", "Nfld.": "CA-NL", "P.E.I.": "CA-PE", "N.W.T.": "CA-NT",
	"NSW": "AU-NSW", "Qld": "AU-QLD", "Qld.": "AU-QLD", "Vic": "AU-VIC", "Vic.": "AU-VIC", "Tas": "AU-TAS",
	"Tas.": "AU-TAS", "WA": "AU-WA", "SA": "AU-SA", "NT": "AU-NT", "ACT": "AU-ACT",
}

// postalCountries are the countries whose division codes are written as postal codes
// after a town ("Phoenix, AZ", "Red Deer, AB", "Perth, WA").
var postalCountries = []string{"US", "CA", "AU"}

// qualify reads "Town, State" and "Town, Country": the division or country after the
// comma is recognised (also as an abbreviation or postal code, which no name lookup
// would find) and decides the town before it, whose readings shrink to those inside it
// ("Paris, Tenn." is not Paris, France; "Georgia" after "Athens," is the US state).
// An abbreviation is never looked up otherwise, so it cannot become a town abroad.
func (r *run) qualify(spans []Span) []Span {
	spans = r.qualifiedTowns(spans)
	out := spans[:0:0]
	for i := 0; i < len(spans); i++ {
		a := spans[i]
		rest := r.after(a.End)
		sep := commaSep(rest)
		if sep == 0 || len(a.Candidates) == 0 || a.Demonym {
			out = append(out, a)
			continue
		}
		start := a.End + sep
		// the qualifier: a recognised span right after the comma, or an abbreviation
		var q *Span
		if i+1 < len(spans) && spans[i+1].Start == start {
			q = &spans[i+1]
		}
		if abbr, divs := r.abbrevAt(start); len(divs) > 0 && (q == nil || utf8.RuneCountInString(abbr) >= utf8.RuneCountInString(q.Text)) {
			var cands []Candidate
			for _, d := range divs {
				cands = append(cands, Candidate{d, Exact})
			}
			end := start + utf8.RuneCountInString(abbr)
			qs := Span{Start: start, End: end, Text: abbr, Sentence: a.Sentence, Division: true, Candidates: cands}
			if q != nil { // a span read as a town ("Colo", "Vic") is the abbreviation
				i++
			}
			if qa, ok := within(a, qs); ok {
				out = append(out, qa, restrictTo(qs, qa.Qualifier))
				// skip spans overlapping the abbreviation ("N.H." read as two words)
				for i+1 < len(spans) && spans[i+1].Start < end {
					i++
				}
				continue
			}
			out = append(out, a)
			continue
		}
		if q != nil {
			if qa, ok := within(a, *q); ok {
				out = append(out, qa, restrictTo(*q, qa.Qualifier))
				i++
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// after returns up to 12 code points of the text from offset pos.
func (r *run) after(pos int) string {
	n := r.text.Len()
	if pos >= n {
		return ""
	}
	return r.text.Slice(pos, min(n, pos+12))
}

// commaSep returns the length in code points of ", " at the start of s (a comma and
// one or more spaces), or 0.
func commaSep(s string) int {
	if !strings.HasPrefix(s, ",") {
		return 0
	}
	n := 1
	for _, c := range s[1:] {
		if c != ' ' && c != '\u00a0' {
			break
		}
		n++
	}
	if n == 1 {
		return 0
	}
	return n
}

// abbrevAt returns the style-book abbreviation or postal code at code point pos and the
// divisions it may stand for.
func (r *run) abbrevAt(pos int) (string, []*gazetteer.Entry) {
	s := r.after(pos)
	best := ""
	for abbr := range stateAbbrevs {
		if len(abbr) > len(best) && strings.HasPrefix(s, abbr) && endsWord(s[len(abbr):], abbr) {
			best = abbr
		}
	}
	if best != "" {
		if e := r.g.ByID("adm:" + stateAbbrevs[best]); e != nil {
			return best, []*gazetteer.Entry{e}
		}
	}
	if len(s) >= 2 && isUpperASCII(s[0]) && isUpperASCII(s[1]) && endsWord(s[2:], "XX") {
		var divs []*gazetteer.Entry
		for _, cc := range postalCountries {
			if e := r.g.ByID("adm:" + cc + "-" + s[:2]); e != nil {
				divs = append(divs, e)
			}
		}
		return s[:2], divs
	}
	return "", nil
}

// endsWord reports whether an abbreviation ends where rest begins: after a full stop,
// or before a character that is not a letter or digit.
func endsWord(rest, abbr string) bool {
	if strings.HasSuffix(abbr, ".") || rest == "" {
		return true
	}
	c, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '.'
}

func isUpperASCII(c byte) bool { return 'A' <= c && c <= 'Z' }

// within restricts the town span a to its readings inside one of q's divisions or
// countries and records the qualifier; ok is false when none lies inside.
func within(a, q Span) (Span, bool) {
	for _, qc := range q.Candidates {
		d := qc.Entry
		if qc.Match == Fuzzy || (d.Kind != gazetteer.KindAdmin && d.Kind != gazetteer.KindCountry) || d.FeatureCode == "ADM2" {
			continue
		}
		var kept []Candidate
		for _, c := range a.Candidates {
			if c.Entry != d && contains(d, c.Entry) {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 {
			a.Candidates = kept
			a.Qualifier = d
			return a, true
		}
	}
	return a, false
}

// contains reports whether entry e lies in the division or country d.
func contains(d, e *gazetteer.Entry) bool {
	if e.CountryCode != d.CountryCode {
		return false
	}
	return d.Kind == gazetteer.KindCountry || (e.Admin1 == d.Admin1 && e.Kind != gazetteer.KindCountry)
}

// restrictTo keeps only the reading d of the qualifier span.
func restrictTo(q Span, d *gazetteer.Entry) Span {
	q.Candidates = []Candidate{{d, Exact}}
	return q
}

// qualifiedTowns adds the towns that only "Town, State" reveals: a capitalised word
// the filters set aside because it is also a common word or opens the text ("GOLDEN,
// Colo." in a dateline, "Hope, Ark.") names a town when the gazetteer has a town of that
// name inside the division written after the comma.
func (r *run) qualifiedTowns(spans []Span) []Span {
	covered := func(start, end int) bool {
		for _, s := range spans {
			if s.Start < end && start < s.End {
				return true
			}
		}
		return false
	}
	var added []Span
	for i, t := range r.toks {
		if !t.upper {
			continue
		}
		sep := commaSep(r.after(int(t.end)))
		if sep == 0 {
			continue
		}
		divs := r.divisionsAt(spans, int(t.end)+sep)
		if len(divs) == 0 {
			continue
		}
		for j := max(0, i-2); j <= i; j++ { // the longest name first
			if !r.contiguous(j, i-j+1) || !r.toks[j].upper || covered(int(r.toks[j].start), int(t.end)) {
				continue
			}
			start, end := int(r.toks[j].start), int(t.end)
			text := r.text.Slice(start, end)
			var cands []Candidate
			for _, e := range r.g.Lookup(gazetteer.Normalize(text)) {
				if !isSettlement(e) {
					continue
				}
				for _, d := range divs {
					if contains(d, e) {
						cands = append(cands, Candidate{e, Exact})
						break
					}
				}
			}
			if len(cands) > 0 {
				added = append(added, Span{Start: start, End: end, Text: text, Sentence: int(t.sentence), Candidates: cands})
				break
			}
		}
	}
	if len(added) == 0 {
		return spans
	}
	out := make([]Span, 0, len(spans)+len(added))
	i, j := 0, 0
	for i < len(spans) || j < len(added) {
		if j == len(added) || i < len(spans) && spans[i].Start < added[j].Start {
			out = append(out, spans[i])
			i++
		} else {
			out = append(out, added[j])
			j++
		}
	}
	return out
}

// divisionsAt returns the first-level divisions written at code point pos: an
// abbreviation or postal code, or a recognised span of a division's name.
func (r *run) divisionsAt(spans []Span, pos int) []*gazetteer.Entry {
	if _, divs := r.abbrevAt(pos); len(divs) > 0 {
		return divs
	}
	for _, s := range spans {
		if s.Start != pos {
			continue
		}
		var divs []*gazetteer.Entry
		for _, c := range s.Candidates {
			if c.Match != Fuzzy && c.Entry.Kind == gazetteer.KindAdmin && c.Entry.FeatureCode == "ADM1" {
				divs = append(divs, c.Entry)
			}
		}
		return divs
	}
	return nil
}
