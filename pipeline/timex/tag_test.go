package timex

import (
	"newsmap/pipeline/lang"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsmap/geo/schema"
)

// ref is Monday 2023-09-25 (ISO week 2023-W39).
var ref = time.Date(2023, 9, 25, 8, 30, 0, 0, time.UTC)

type want struct {
	text, value string
	attr        bool
}

func TestTag(t *testing.T) {
	tests := []struct {
		lang, text string
		want       []want
	}{
		// a day far ahead without a tense cue is last year's; near ones stay ahead
		{"en", "On Nov. 30, gunmen entered the town.", []want{{"On Nov. 30", "2022-11-30", false}}},
		{"de", "Am 3. Oktober gibt es Konzerte.", []want{{"Am 3. Oktober", "2023-10-03", false}}},
		{"de", "Am Vortag war er in Rom.", []want{{"Am Vortag", "2023-09-24", false}}},
		// weekends: the ISO week of the weekend's Saturday (ref is Monday 2023-09-25)
		{"de", "Am Wochenende demonstrierten Tausende.", []want{{"Am Wochenende", "2023-W38", false}}},
		{"de", "Am kommenden Wochenende wird gewählt.", []want{{"Am kommenden Wochenende", "2023-W39", false}}},
		{"en", "Last weekend he was in Rome. The Weekend Festival opened.", []want{{"Last weekend", "2023-W38", false}}},
		// German: absolute dates
		{"de", "Das Abkommen vom 9. November 2020 gilt weiter.", []want{{"vom 9. November 2020", "2020-11-09", true}}},
		{"de", "Am 11. Januar 2021 trat er zurück.", []want{{"Am 11. Januar 2021", "2021-01-11", false}}},
		{"de", "Der Präsident reiste am 3. März nach Kiew.", []want{{"am 3. März", "2023-03-03", false}}},
		{"de", "Seit dem 3.3.2021 gilt das Gesetz.", []want{{"Seit dem 3.3.2021", "2021-03-03", false}}},
		{"de", "Die Frist endete 2021-01-11.", []want{{"2021-01-11", "2021-01-11", false}}},
		{"de", "Im November 2020 begann der Krieg.", []want{{"Im November 2020", "2020-11", false}}},
		{"de", "Im Jahr 2020 flohen 4800 Flüchtlinge.", []want{{"Im Jahr 2020", "2020", false}}},
		{"de", "Seit 2014 ist die Halbinsel besetzt.", []want{{"Seit 2014", "2014", false}}},
		{"de", "Bis 2030 soll das Netz fertig sein.", []want{{"Bis 2030", "2030", false}}},
		{"de", "Bis 2000 Menschen warteten, vor 2000 Jahren auch.", nil},
		{"de", "Am 1. Mai 2021 demonstrierten Tausende.", []want{{"Am 1. Mai 2021", "2021-05-01", false}}},
		{"de", "Im Mai wurde gewählt. Die Mai-Kundgebung fiel aus. Der Mai war kalt.", []want{{"Im Mai", "2023-05", false}}},
		{"de", "Der Vertrag wurde 9. Nov. 2020 paraphiert.", []want{{"9. Nov. 2020", "2020-11-09", false}}},
		// German: weekdays and parts of the day
		{"de", "Er kam am Montag zurück.", []want{{"am Montag", "2023-09-25", false}}},
		{"de", "Am Sonntag wählten die Bürger.", []want{{"Am Sonntag", "2023-09-24", false}}},
		{"de", "Montagmittag traf sich der Rat, am Montagmittag auch.", []want{{"Montagmittag", "2023-09-25", false}, {"am Montagmittag", "2023-09-25", false}}},
		{"de", "Am Sonntagabend gab es Schüsse.", []want{{"Am Sonntagabend", "2023-09-24", false}}},
		{"de", "Seit Dienstag ist die Grenze geschlossen.", []want{{"Seit Dienstag", "2023-09-19", false}}},
		{"de", "Die Montagsdemo zog durch die Stadt. Die Montag-Demo auch.", nil},
		{"de", "Das Gesetz wird am Freitag verabschiedet.", []want{{"am Freitag", "2023-09-29", false}}},
		{"de", "Am kommenden Montag und am vergangenen Freitag", []want{{"Am kommenden Montag", "2023-10-02", false}, {"am vergangenen Freitag", "2023-09-22", false}}},
		{"de", "Das geschah am Freitag vergangener Woche.", []want{{"am Freitag vergangener Woche", "2023-09-22", false}}},
		{"de", "Am Montag, dem 9. November 2020, fiel die Entscheidung.", []want{{"Am Montag, dem 9. November 2020", "2020-11-09", false}}},
		// German: relative
		{"de", "Heute beginnt der Gipfel, gestern reisten die Minister an, vorgestern wurde verhandelt.", []want{{"Heute", "2023-09-25", false}, {"gestern", "2023-09-24", false}, {"vorgestern", "2023-09-23", false}}},
		{"de", "Die Entscheidung fällt morgen. Am Morgen fielen Schüsse.", []want{{"morgen", "2023-09-26", false}}},
		{"de", "Gestern Abend und heute früh wurde gekämpft.", []want{{"Gestern Abend", "2023-09-24", false}, {"heute früh", "2023-09-25", false}}},
		{"de", "In der vergangenen Woche kam es zu Kämpfen.", []want{{"In der vergangenen Woche", "2023-W38", false}}},
		{"de", "Letzte Woche, vorige Woche, diese Woche und nächste Woche.", []want{{"Letzte Woche", "2023-W38", false}, {"vorige Woche", "2023-W38", false}, {"diese Woche", "2023-W39", false}, {"nächste Woche", "2023-W40", false}}},
		{"de", "Vergangenen Monat stiegen die Preise, letztes Jahr auch.", []want{{"Vergangenen Monat", "2023-08", false}, {"letztes Jahr", "2022", false}}},
		{"de", "Vor drei Jahren begann es, vor zwei Tagen endete es, vor einer Woche nicht.", []want{{"Vor drei Jahren", "2020", false}, {"vor zwei Tagen", "2023-09-23", false}, {"vor einer Woche", "2023-W38", false}}},
		{"de", "Vor 20 Jahren und in zwei Wochen.", []want{{"Vor 20 Jahren", "2003", false}, {"in zwei Wochen", "2023-W41", false}}},
		{"de", "Anfang September, Mitte Oktober und Ende Mai.", []want{{"Anfang September", "2023-09", false}, {"Mitte Oktober", "2023-10", false}, {"Ende Mai", "2023-05", false}}},
		{"de", "Im Vorjahr, Ende des Jahres, Ende vergangenen Jahres, Mitte 2020.", []want{{"Im Vorjahr", "2022", false}, {"Ende des Jahres", "2023", false}, {"Ende vergangenen Jahres", "2022", false}, {"Mitte 2020", "2020", false}}},
		// German: times
		{"de", "Von zwei Uhr nachmittags an galt die Ausgangssperre.", []want{{"Von zwei Uhr nachmittags an", "2023-09-25T14:00", false}}},
		{"de", "Der Zug fuhr um 14 Uhr, die Sitzung begann um 14:30 Uhr.", []want{{"um 14 Uhr", "2023-09-25T14:00", false}, {"um 14:30 Uhr", "2023-09-25T14:30", false}}},
		{"de", "Am Montag um 9 Uhr und gestern Abend um 20 Uhr.", []want{{"Am Montag um 9 Uhr", "2023-09-25T09:00", false}, {"gestern Abend um 20 Uhr", "2023-09-24T20:00", false}}},
		{"de", "Er hat 14 Punkte und 30 Tore.", nil},
		// German: attributive
		{"de", "die Unterzeichnung des am 9. November 2020 geschlossenen Abkommens", []want{{"am 9. November 2020", "2020-11-09", true}}},
		{"de", "Die Ausstellung vom 9. November bis zum 1. Dezember.", []want{{"vom 9. November", "2023-11-09", false}, {"bis zum 1. Dezember", "2023-12-01", false}}},
		{"de", "Die Bilanz der vergangenen Woche ist schlecht.", []want{{"vergangenen Woche", "2023-W38", true}}},
		// English
		{"en", "The agreement of 9 November 2020 ended the war.", []want{{"9 November 2020", "2020-11-09", true}}},
		{"en", "On January 11, 2021, he resigned.", []want{{"On January 11, 2021", "2021-01-11", false}}},
		{"en", "He left on 11 January 2021 and returned on the 3rd of March.", []want{{"on 11 January 2021", "2021-01-11", false}, {"on the 3rd of March", "2023-03-03", false}}},
		{"en", "Talks resumed Jan. 11.", []want{{"Jan. 11", "2023-01-11", false}}},
		{"en", "Prices rose in March. You may march. In May it rained.", []want{{"in March", "2023-03", false}, {"In May", "2023-05", false}}},
		{"en", "The vote was held on Monday. Monday night was quiet.", []want{{"on Monday", "2023-09-25", false}, {"Monday night", "2023-09-25", false}}},
		{"en", "Last Friday, police arrested two men.", []want{{"Last Friday", "2023-09-22", false}}},
		{"en", "The summit will take place on Friday.", []want{{"on Friday", "2023-09-29", false}}},
		{"en", "Today, yesterday morning and tomorrow; last night too.", []want{{"Today", "2023-09-25", false}, {"yesterday morning", "2023-09-24", false}, {"tomorrow", "2023-09-26", false}, {"last night", "2023-09-24", false}}},
		{"en", "last week, this week, next week", []want{{"last week", "2023-W38", false}, {"this week", "2023-W39", false}, {"next week", "2023-W40", false}}},
		{"en", "Last month and last year.", []want{{"Last month", "2023-08", false}, {"last year", "2022", false}}},
		{"en", "It began three years ago, two weeks ago, a year ago.", []want{{"three years ago", "2020", false}, {"two weeks ago", "2023-W37", false}, {"a year ago", "2022", false}}},
		{"en", "It starts at 2 p.m., at 14:00 or at 9:30 a.m. on Monday.", []want{{"at 2 p.m.", "2023-09-25T14:00", false}, {"at 14:00", "2023-09-25T14:00", false}, {"at 9:30 a.m. on Monday", "2023-09-25T09:30", false}}},
		{"en", "The 2020 war ended. In 2000 cases nothing happened; in 2020, much did.", []want{{"2020", "2020", true}, {"in 2020", "2020", false}}},
		{"en", "Annexed since 2014, neutral by 2030.", []want{{"since 2014", "2014", false}, {"by 2030", "2030", false}}},
		{"en", "In early September, in late 2020, mid-2020 and at the end of last year.", []want{{"In early September", "2023-09", false}, {"in late 2020", "2020", false}, {"mid-2020", "2020", false}, {"at the end of last year", "2022", false}}},
		{"en", "Monday's attack killed three.", []want{{"Monday", "2023-09-25", true}}},
		{"en", "Officials said the rains could arrive by mid-November.", []want{{"by mid-November", "2023-11", false}}},
		{"en", "The river reached its highest level since 2018.", []want{{"since 2018", "2018", true}}},
		{"de", "Der Pegel stieg erstmals seit 1995 über zehn Meter.", []want{{"seit 1995", "1995", true}}},
		{"en", "There were 4800 refugees and 2 pm.", []want{{"2 pm", "2023-09-25T14:00", false}}},
		{"fr", "Le sommet aura lieu jeudi, a-t-il dit.", []want{{"jeudi", "2023-09-28", false}}},
		{"fr", "Il y a deux semaines, puis le 3 août, et en août 2020.", []want{{"Il y a deux semaines", "2023-W37", false}, {"le 3 août", "2023-08-03", false}, {"en août 2020", "2020-08", false}}},
		{"fr", "L’accord du 9 novembre 2020 reste en vigueur depuis 2020.", []want{{"9 novembre 2020", "2020-11-09", true}, {"depuis 2020", "2020", false}}},
		{"fr", "En 2000 cas, rien. Aujourd’hui, la semaine prochaine, l'an dernier.", []want{{"Aujourd’hui", "2023-09-25", false}, {"semaine prochaine", "2023-W40", false}, {"an dernier", "2022", false}}},
		{"fr", "Une il y a. Le carnaval de Mardi Gras. Il a mars.", nil},
		// either language
		{"", "Am Montag and on Friday.", []want{{"Am Montag", "2023-09-25", false}, {"on Friday", "2023-09-22", false}}},
	}
	for _, tc := range tests {
		got := Tag(tc.text, ref, byCode(tc.lang))
		if len(got) != len(tc.want) {
			t.Errorf("Tag(%q, %q) = %d expressions %+v, want %d", tc.text, tc.lang, len(got), got, len(tc.want))
			continue
		}
		runes := []rune(tc.text)
		for i, w := range tc.want {
			g := got[i]
			if g.Text != w.text || g.Value != w.value || g.Attributive != w.attr {
				t.Errorf("Tag(%q)[%d] = %q %s attr=%v, want %q %s attr=%v", tc.text, i, g.Text, g.Value, g.Attributive, w.text, w.value, w.attr)
			}
			if g.Start < 0 || g.End > len(runes) || g.Start >= g.End || string(runes[g.Start:g.End]) != g.Text {
				t.Errorf("Tag(%q)[%d]: offsets %d..%d do not cover %q", tc.text, i, g.Start, g.End, g.Text)
			}
			if want := utf8.RuneCountInString(tc.text[:strings.Index(tc.text, w.text)]); g.Start != want && strings.Count(tc.text, w.text) == 1 {
				t.Errorf("Tag(%q)[%d].Start = %d, want %d", tc.text, i, g.Start, want)
			}
			if iv, err := schema.ParseValue(g.Value); err != nil || iv.Granularity != g.Granularity {
				t.Errorf("Tag(%q)[%d]: value %q granularity %s: %v %v", tc.text, i, g.Value, g.Granularity, iv.Granularity, err)
			}
		}
	}
}

// TestOffsetsUmlauts pins code-point (not byte) offsets on text with umlauts.
func TestOffsetsUmlauts(t *testing.T) {
	tests := []struct {
		text       string
		start, end int
	}{
		{"Überraschend hat Österreichs Kanzler am Dienstag Gespräche geführt.", 37, 48},
		{"Die Maßnahmen gelten seit März für Bürger in Köln.", 21, 30},
		{"Grüße aus Zürich: Übermorgen", 18, 28},
	}
	for _, tc := range tests {
		got := Tag(tc.text, ref, lang.German)
		if len(got) != 1 || got[0].Start != tc.start || got[0].End != tc.end {
			t.Errorf("Tag(%q) = %+v, want one expression at %d..%d", tc.text, got, tc.start, tc.end)
		}
	}
	// decomposed umlaut (NFD): "Ma\u0308rz" has one code point more.
	got := Tag("Seit Ma\u0308rz.", ref, lang.German)
	if len(got) != 1 || got[0].Value != "2023-03" || got[0].End != 10 {
		t.Errorf("NFD März: %+v", got)
	}
}

func TestTagWeekdays(t *testing.T) {
	// Each weekday in a past-tense sentence published on Monday 2023-09-25.
	days := []string{"Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"}
	wantPast := []string{"2023-09-25", "2023-09-19", "2023-09-20", "2023-09-21", "2023-09-22", "2023-09-23", "2023-09-24"}
	wantFut := []string{"2023-09-25", "2023-09-26", "2023-09-27", "2023-09-28", "2023-09-29", "2023-09-30", "2023-10-01"}
	for i, d := range days {
		if got := Tag("Er hatte am "+d+" gesprochen.", ref, lang.German); len(got) != 1 || got[0].Value != wantPast[i] {
			t.Errorf("past %s: %+v", d, got)
		}
		if got := Tag("Er wird am "+d+" sprechen.", ref, lang.German); len(got) != 1 || got[0].Value != wantFut[i] {
			t.Errorf("future %s: %+v", d, got)
		}
	}
}

func TestTagSortedNonOverlapping(t *testing.T) {
	text := "Am Montag, gestern um 14 Uhr, on Monday at 2 p.m., vor drei Jahren, three years ago, 2021-01-11."
	for _, lang := range []string{"de", "en", ""} {
		got := Tag(text, ref, byCode(lang))
		for i := 1; i < len(got); i++ {
			if got[i].Start < got[i-1].End {
				t.Errorf("%s: overlap %+v %+v", lang, got[i-1], got[i])
			}
		}
	}
}

func TestFormatWeek(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{ref, "2023-W39"},
		{time.Date(2021, 1, 3, 0, 0, 0, 0, time.UTC), "2020-W53"},
		{time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC), "2025-W01"},
	} {
		if got := FormatWeek(tc.day); got != tc.want {
			t.Errorf("FormatWeek(%s) = %s, want %s", tc.day.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestTagAnchored(t *testing.T) {
	tests := []struct{ lang, text, span, value string }{
		{"de", "Zwei Monate nach dem Abkommen vom 9. November 2020 brach der Krieg wieder aus.", "Zwei Monate nach", "2021-01"},
		{"de", "Drei Tage vor dem 3.3.2021 wurde gewählt.", "Drei Tage vor", "2021-02-28"},
		{"en", "Two years after the war of 2020 ended on 10 November 2020, talks resumed.", "Two years after", "2022"},
	}
	for _, tc := range tests {
		got := Tag(tc.text, ref, byCode(tc.lang))
		if len(got) < 1 || got[0].Text != tc.span || got[0].Value != tc.value {
			t.Errorf("Tag(%q) = %+v, want %q %s first", tc.text, got, tc.span, tc.value)
		}
	}
	if got := Tag("Zwei Monate nach der Wahl.", ref, lang.German); len(got) != 0 {
		t.Errorf("no anchor: %+v", got)
	}
}

// byCode returns the registered language of a code, or nil (every language) for "".
func byCode(code string) *lang.Language {
	if code == "" {
		return nil
	}
	l, err := lang.Lookup(code)
	if err != nil {
		panic(err)
	}
	return l
}
