package timex

import (
	"testing"
	"time"
	"unicode/utf8"

	"newsmap/geo/schema"
	"newsmap/pipeline/lang"
)

func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"Das Abkommen vom 9. November 2020 gilt.", "Von zwei Uhr nachmittags an", "am 3.3.2021 um 14:30 Uhr",
		"2021-01-11", "on January 11, 2021 at 2 p.m.", "vor drei Jahren", "three years ago", "Ende 2020",
		"Ma\u0308rz", "\xff\xfe 9.", "mid-2020", "Montag, den 29. 2. ", "vor 9999 Jahren", "1. 1.",
		"in der Nacht von Freitag auf Samstag", "vom 31. bis 2. März", "dans la nuit du 3 au 4", "3-5 September",
		"Sept. 30 to 31", "am Folgetag", "le lendemain du 29 février", "Ostern 1000", "New Year's Eve", "14h30", "la fin de l'",
	} {
		f.Add(s, int64(1695600000), "de")
		f.Add(s, int64(1695600000), "en")
		f.Add(s, int64(0), "")
	}
	f.Fuzz(func(t *testing.T, text string, sec int64, code string) {
		// keep the reference within years newsmap can represent
		ref := time.Unix(sec%(200*365*24*3600), 0).UTC().AddDate(30, 0, 0)
		// A code that names no registered language tags with every language (nil), so
		// the fuzzer's strings for the code still exercise the tagger.
		l, err := lang.Lookup(code)
		if err != nil {
			l = nil
		}
		n := utf8.RuneCountInString(text)
		prev := 0
		for _, e := range Tag(text, ref, l) {
			if e.Start < prev || e.Start >= e.End || e.End > n {
				t.Fatalf("bad offsets %d..%d (prev end %d, len %d) in %q", e.Start, e.End, prev, n, text)
			}
			prev = e.End
			if got := string([]rune(text)[e.Start:e.End]); got != e.Text {
				t.Fatalf("Text %q != runes %q", e.Text, got)
			}
			iv, err := schema.ParseValue(e.Value)
			if err != nil {
				t.Fatalf("%q: %v", e.Text, err)
			}
			if iv.Granularity != e.Granularity {
				t.Fatalf("%q: value %q is %s, expression says %s", e.Text, e.Value, iv.Granularity, e.Granularity)
			}
		}
	})
}
