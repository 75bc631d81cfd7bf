package timex

import (
	"testing"
	"time"

	"newsmap/geo/schema"
	"newsmap/pipeline/lang"
)

// janRef is Friday 2024-01-05: an article early in a year that reports late December.
var janRef = time.Date(2024, 1, 5, 9, 0, 0, 0, time.UTC)

// TestNewsExpressions runs temporal expressions as wire reports, local news and analysis
// pieces write them, one real-world sentence each, against Monday 2023-09-25 (ref)
// unless the case sets its own reference. A nil want means nothing is to be tagged: the
// expression has no value in the layer schema (decades, seasons) or is ambiguous
// ("3/12").
func TestNewsExpressions(t *testing.T) {
	tests := []struct {
		lang string
		ref  time.Time
		text string
		want []want
	}{
		// ---- English ----
		{"en", ref, "Police said the attack happened Thursday night near the border.", []want{{"Thursday night", "2023-09-21", false}}},
		{"en", ref, "Rebels shelled the town late Tuesday, officials said.", []want{{"late Tuesday", "2023-09-19", false}}},
		{"en", ref, "The storm made landfall early Sunday.", []want{{"early Sunday", "2023-09-24", false}}},
		{"en", ref, "Earlier this week, the minister visited Kyiv.", []want{{"this week", "2023-W39", false}}},
		{"en", ref, "Inflation eased late last year.", []want{{"late last year", "2022", false}}},
		{"en", ref, "The factory closed in the 1990s.", nil},
		{"en", ref, "He was arrested on Sunday and released the following day.", []want{{"on Sunday", "2023-09-24", false}, {"the following day", "2023-09-25", false}}},
		{"en", ref, "The talks collapsed on Sept. 12; the next day, fighting resumed.", []want{{"on Sept. 12", "2023-09-12", false}, {"the next day", "2023-09-13", false}}},
		{"en", ref, "Two weeks ago, protesters blocked the road.", []want{{"Two weeks ago", "2023-W37", false}}},
		{"en", ref, "The curfew will stay in force until the end of the year.", []want{{"until the end of the year", "2023", false}}},
		{"en", ref, "The festival ran from Sept. 3 to 5 in Edinburgh.", []want{{"from Sept. 3 to 5", "2023-09-03", false}}},
		{"en", ref, "The summit was held 3-5 September in Nairobi.", []want{{"3-5 September", "2023-09-03", false}}},
		{"en", janRef, "Floods hit the region on Dec. 28.", []want{{"on Dec. 28", "2023-12-28", false}}},
		{"en", ref, "The ceasefire was signed on Dec. 3, 2022.", []want{{"on Dec. 3, 2022", "2022-12-03", false}}},
		{"en", ref, "The deadline is 3/12.", nil},
		{"en", ref, "Shots were fired at 3:30 p.m. local time.", []want{{"at 3:30 p.m.", "2023-09-25T15:30", false}}},
		{"en", ref, "Thousands are expected to march this weekend.", []want{{"this weekend", "2023-W39", false}}},
		{"en", ref, "Elections are due next month.", []want{{"next month", "2023-10", false}}},
		{"en", ref, "Two people died on Christmas Day.", []want{{"on Christmas Day", "2022-12-25", false}}},
		{"en", janRef, "Fireworks were banned on New Year's Eve in Amsterdam.", []want{{"on New Year's Eve", "2023-12-31", false}}},
		{"en", ref, "Pilgrims gathered at Easter in Jerusalem.", []want{{"at Easter", "2023-04-09", false}}},
		{"en", ref, "The bridge collapsed last Tuesday.", []want{{"last Tuesday", "2023-09-19", false}}},
		{"en", ref, "The company has been in talks this past week.", []want{{"past week", "2023-W38", false}}},
		{"en", ref, "Prices rose in mid-March and fell in late April.", []want{{"in mid-March", "2023-03", false}, {"in late April", "2023-04", false}}},
		{"en", ref, "The Christmas market opened on Easter Island.", nil},
		{"en", ref, "She had lived there for three years.", nil},
		{"en", ref, "Strikes are planned from Monday to Wednesday.", []want{{"from Monday", "2023-09-25", false}, {"Wednesday", "2023-09-27", false}}},
		{"en", ref, "Clashes broke out over the weekend in Tripoli.", []want{{"weekend", "2023-W38", false}}},
		{"en", ref, "The results will be known by the end of the week.", []want{{"by the end of the week", "2023-W39", false}}},
		{"en", ref, "Output fell sharply last summer.", nil},
		{"en", ref, "The law took effect on 12/3/2023.", nil},
		{"en", ref, "The plant will reopen later this year.", []want{{"this year", "2023", false}}},
		{"en", ref, "Voters cast ballots on Tuesday evening.", []want{{"on Tuesday evening", "2023-09-19", false}}},
		{"en", ref, "The ship sank on the night of Sept. 3.", []want{{"on the night of Sept. 3", "2023-09-03", false}}},
		// ---- German ----
		{"de", ref, "In der Nacht zu Sonntag brannte eine Lagerhalle in Görlitz.", []want{{"In der Nacht zu Sonntag", "2023-09-24", false}}},
		{"de", ref, "In der Nacht von Freitag auf Samstag kam es zu Unwettern.", []want{{"In der Nacht von Freitag auf Samstag", "2023-09-23", false}}},
		{"de", ref, "In der Nacht zum 3. September stürzte die Brücke ein.", []want{{"In der Nacht zum 3. September", "2023-09-03", false}}},
		{"de", ref, "Ende vergangener Woche trafen sich die Minister.", []want{{"Ende vergangener Woche", "2023-W38", false}}},
		{"de", ref, "Anfang März begannen die Proteste.", []want{{"Anfang März", "2023-03", false}}},
		{"de", ref, "Am Vortag hatte es geregnet.", []want{{"Am Vortag", "2023-09-24", false}}},
		{"de", ref, "Am 12. September wurde er festgenommen, am Folgetag kam er frei.", []want{{"Am 12. September", "2023-09-12", false}, {"am Folgetag", "2023-09-13", false}}},
		{"de", ref, "Am 12. September wurde er festgenommen, am nächsten Tag kam er frei.", []want{{"Am 12. September", "2023-09-12", false}, {"am nächsten Tag", "2023-09-13", false}}},
		{"de", ref, "Vor einer Woche war das Dorf noch bewohnt.", []want{{"Vor einer Woche", "2023-W38", false}}},
		{"de", ref, "Bis Ende des Jahres soll die Strecke fertig sein.", []want{{"Bis Ende des Jahres", "2023", false}}},
		{"de", ref, "Die Messe findet vom 3. bis 5. Oktober in Leipzig statt.", []want{{"vom 3. bis 5. Oktober", "2023-10-03", false}}},
		{"de", ref, "Seit drei Jahren lebt die Familie in Chemnitz.", []want{{"Seit drei Jahren", "2020", false}}},
		{"de", ref, "Seit einer Woche ist die Straße gesperrt.", []want{{"Seit einer Woche", "2023-W38", false}}},
		{"de", janRef, "Am 28. Dezember trat der Fluss über die Ufer.", []want{{"Am 28. Dezember", "2023-12-28", false}}},
		{"de", ref, "Die Polizei rückte gegen 3 Uhr nachts aus.", []want{{"gegen 3 Uhr nachts", "2023-09-25T03:00", false}}},
		{"de", ref, "Der Zug kam um 14.30 Uhr in Dresden an.", []want{{"um 14.30 Uhr", "2023-09-25T14:30", false}}},
		{"de", ref, "An Heiligabend war die Kirche geschlossen.", []want{{"An Heiligabend", "2022-12-24", false}}},
		{"de", janRef, "An Silvester wurden in Berlin Polizisten angegriffen.", []want{{"An Silvester", "2023-12-31", false}}},
		{"de", ref, "Zu Ostern kamen Tausende nach Rom.", []want{{"Ostern", "2023-04-09", false}}},
		{"de", ref, "Die Fabrik schloss in den 90er-Jahren.", nil},
		{"de", ref, "Im Herbst wird in Bayern gewählt.", nil},
		{"de", ref, "Am Mittwochabend demonstrierten Hunderte in Leipzig.", []want{{"Am Mittwochabend", "2023-09-20", false}}},
		{"de", ref, "Mitte Oktober soll das Urteil fallen.", []want{{"Mitte Oktober", "2023-10", false}}},
		{"de", ref, "Seit Anfang des Jahres kamen 3000 Menschen.", []want{{"Seit Anfang des Jahres", "2023", false}}},
		{"de", ref, "Anfang kommender Woche sollen die Gespräche beginnen.", []want{{"Anfang kommender Woche", "2023-W40", false}}},
		{"de", ref, "Die Feuerwehr rückte am frühen Sonntagmorgen aus.", []want{{"Sonntagmorgen", "2023-09-24", false}}},
		{"de", ref, "Der Weihnachtsmarkt öffnet, der Osterhase kommt.", nil},
		{"de", ref, "Die Firma wurde in den 1990er Jahren gegründet.", nil},
		{"de", ref, "Im vergangenen Sommer brannten die Wälder.", nil},
		{"de", ref, "Die Sitzung begann um 20.15 Uhr im Rathaus.", []want{{"um 20.15 Uhr", "2023-09-25T20:15", false}}},
		{"de", ref, "Am 30. September und am 2. Oktober wird gestreikt.", []want{{"Am 30. September", "2023-09-30", false}, {"am 2. Oktober", "2023-10-02", false}}},
		{"de", ref, "Vom 3. bis zum 5. Oktober ist die Brücke gesperrt.", []want{{"Vom 3. bis zum 5. Oktober", "2023-10-03", false}}},
		{"de", ref, "Weihnachten 2022 verbrachte er in Kiew.", []want{{"Weihnachten 2022", "2022-12-25", false}}},
		// ---- French ----
		{"fr", ref, "Dans la nuit de samedi à dimanche, un incendie a ravagé un entrepôt.", []want{{"Dans la nuit de samedi à dimanche", "2023-09-24", false}}},
		{"fr", ref, "Dans la nuit de jeudi, des tirs ont été entendus.", []want{{"Dans la nuit de jeudi", "2023-09-21", false}}},
		{"fr", ref, "Début septembre, les pluies ont repris.", []want{{"Début septembre", "2023-09", false}}},
		{"fr", ref, "Le 12 septembre, il a été arrêté; le lendemain, il a été libéré.", []want{{"Le 12 septembre", "2023-09-12", false}, {"le lendemain", "2023-09-13", false}}},
		{"fr", ref, "La veille, le ministre avait démenti.", []want{{"veille", "2023-09-24", false}}},
		{"fr", ref, "Il y a dix jours, le barrage a cédé.", []want{{"Il y a dix jours", "2023-09-15", false}}},
		{"fr", ref, "Le salon se tient du 3 au 5 octobre à Lyon.", []want{{"3 au 5 octobre", "2023-10-03", false}}},
		{"fr", ref, "Depuis trois ans, la ville est assiégée.", []want{{"Depuis trois ans", "2020", false}}},
		{"fr", janRef, "Le 28 décembre, la rivière a débordé.", []want{{"Le 28 décembre", "2023-12-28", false}}},
		{"fr", ref, "L'explosion s'est produite à 14h30.", []want{{"à 14h30", "2023-09-25T14:30", false}}},
		{"fr", ref, "Les secours sont arrivés vers 3h du matin.", []want{{"vers 3h", "2023-09-25T03:00", false}}},
		{"fr", ref, "Jeudi soir, la police a dispersé la foule.", []want{{"Jeudi soir", "2023-09-21", false}}},
		{"fr", ref, "La réforme doit être adoptée d'ici la fin de l'année.", []want{{"d'ici la fin de l'année", "2023", false}}},
		{"fr", ref, "Le nombre de morts a doublé depuis le début de l'année.", []want{{"depuis le début de l'année", "2023", false}}},
		{"fr", ref, "À Noël, la ville était déserte.", []want{{"À Noël", "2022-12-25", false}}},
		{"fr", ref, "La semaine dernière, l'armée a repris la ville.", []want{{"semaine dernière", "2023-W38", false}}},
		{"fr", ref, "Le mois prochain, les élections auront lieu.", []want{{"Le mois prochain", "2023-10", false}}},
		{"fr", ref, "L'usine a fermé dans les années 1990.", nil},
		{"fr", ref, "Cet été, la sécheresse a frappé le Sud.", nil},
		{"fr", ref, "Mi-octobre, le parlement votera.", []want{{"Mi-octobre", "2023-10", false}}},
		{"fr", ref, "Dans la nuit du 3 au 4 septembre, la digue a cédé.", []want{{"Dans la nuit du 3 au 4 septembre", "2023-09-04", false}}},
		{"fr", ref, "Le père Noël défile au marché de Noël.", nil},
		{"fr", ref, "Au printemps dernier, les pluies ont manqué.", nil},
		{"fr", ref, "Le 1er janvier, la loi est entrée en vigueur.", []want{{"Le 1er janvier", "2023-01-01", false}}},
		{"fr", ref, "Samedi dernier, des milliers de personnes ont défilé.", []want{{"Samedi dernier", "2023-09-23", false}}},
		{"fr", ref, "Le lycée sera fermé jusqu'à la fin du mois.", []want{{"jusqu'à la fin du mois", "2023-09", false}}},
		{"fr", ref, "L'objectif doit être atteint d'ici 2030.", []want{{"d'ici 2030", "2030", false}}},
		{"fr", ref, "Ce matin, la circulation était coupée.", []want{{"Ce matin", "2023-09-25", false}}},
		{"fr", ref, "Le lendemain de l'élection, la ville était calme.", nil},
		{"fr", ref, "Il a été arrêté le lendemain du 3 septembre.", []want{{"le lendemain du 3 septembre", "2023-09-04", false}}},
		{"de", ref, "Am nächsten Tag zogen die Truppen ab.", nil},
	}
	missed := 0
	for _, tc := range tests {
		got := Tag(tc.text, tc.ref, byCode(tc.lang))
		ok := len(got) == len(tc.want)
		for i := 0; ok && i < len(got); i++ {
			w, g := tc.want[i], got[i]
			ok = g.Text == w.text && g.Value == w.value && g.Attributive == w.attr
			if iv, err := schema.ParseValue(g.Value); err != nil || iv.Granularity != g.Granularity {
				t.Errorf("Tag(%q)[%d]: value %q is not a %s: %v", tc.text, i, g.Value, g.Granularity, err)
			}
		}
		if !ok {
			missed++
			var gs []want
			for _, g := range got {
				gs = append(gs, want{g.Text, g.Value, g.Attributive})
			}
			t.Errorf("%s Tag(%q) = %v, want %v", tc.lang, tc.text, gs, tc.want)
		}
	}
	t.Logf("%d of %d cases right", len(tests)-missed, len(tests))
}

func TestEaster(t *testing.T) {
	for _, tc := range []struct {
		year int
		want string
	}{
		{2000, "2000-04-23"}, {2019, "2019-04-21"}, {2023, "2023-04-09"}, {2024, "2024-03-31"},
		{2025, "2025-04-20"}, {2038, "2038-04-25"}, {1818, "1818-03-22"},
	} {
		if got := easter(tc.year).Format(time.DateOnly); got != tc.want {
			t.Errorf("easter(%d) = %s, want %s", tc.year, got, tc.want)
		}
	}
}

// TestHolidayWords checks that every registered language's holidays parse and that its
// phrases are reachable from their first word.
func TestHolidayWords(t *testing.T) {
	for _, l := range lang.All() {
		lx := build(&l.Timex)
		for w, v := range l.Timex.Holidays {
			if _, ok := parseHoliday(v); !ok {
				t.Errorf("%s: holiday %q: bad day %q", l.Code, w, v)
			}
		}
		for w := range l.Timex.Anaphoric {
			toks := phraseTokens(w)
			if len(toks) == 0 || toks[0].word == "" {
				t.Errorf("%s: anaphoric phrase %q does not start with a word", l.Code, w)
				continue
			}
			if i := lx.idx[toks[0].word]; i == 0 || lx.entries[i].phr == 0 {
				t.Errorf("%s: anaphoric phrase %q not filed under %q", l.Code, w, toks[0].word)
			}
		}
	}
	for _, bad := range []string{"13-01", "easter+x", "12", "00-10", "02-32", "02-30"} {
		if _, ok := parseHoliday(bad); ok {
			t.Errorf("parseHoliday(%q) accepted", bad)
		}
	}
}
