package timex

import (
	"newsmap/pipeline/lang"
	"strings"
	"testing"
)

// benchText builds about 100 KB of mixed German and English news prose.
func benchText() string {
	de := "Die Regierung hat am Sonntagabend neue Kontrollen angekündigt, die seit Dienstag gelten. " +
		"Nach Angaben des Ministeriums warteten 4800 Fahrzeuge an der Grenze, vergangene Woche waren es weniger. " +
		"Das Abkommen vom 9. November 2020 sieht vor, dass die Grenze von zwei Uhr nachmittags an geöffnet wird. " +
		"Die Opposition kritisierte die Entscheidung scharf und forderte eine Sondersitzung des Parlaments im Herbst. "
	en := "The government announced new checks on Sunday evening, which have applied since Tuesday. " +
		"According to the ministry, hundreds of trucks were waiting at the crossing, fewer than last week. " +
		"The agreement of 9 November 2020 ended the war three years ago, officials said at 2 p.m. on Monday. " +
		"Opposition leaders criticised the decision and demanded a special session of parliament in the autumn. "
	var b strings.Builder
	for b.Len() < 100_000 {
		b.WriteString(de)
		b.WriteString(en)
	}
	return b.String()
}

func BenchmarkTag(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Tag(text, ref, lang.German)
	}
}

func BenchmarkTagBoth(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Tag(text, ref, nil)
	}
}

// BenchmarkTagFrench tags about 100 KB of French news prose: elided and hyphenated
// words ("aujourd'hui", "l'année dernière") take the joined-word path of the tokenizer.
func BenchmarkTagFrench(b *testing.B) {
	fr := "Le gouvernement a annoncé dimanche soir de nouveaux contrôles, en vigueur depuis mardi. " +
		"Selon le ministère, des centaines de camions attendaient aujourd'hui au poste-frontière, moins que la semaine dernière. " +
		"L'accord du 9 novembre 2020 a mis fin à la guerre il y a trois ans, ont déclaré les responsables lundi à 14 heures. " +
		"L'opposition a critiqué la décision et réclamé une session extraordinaire du Parlement à l'automne. "
	text := strings.Repeat(fr, 100_000/len(fr)+1)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Tag(text, ref, lang.French)
	}
}
