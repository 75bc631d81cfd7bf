package recognize_test

import (
	"testing"

	"newsmap/geo/gazetteer"
	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline/article"
	"newsmap/pipeline/lang"
	"newsmap/pipeline/recognize"
)

func recognizeText(g *gazetteer.Gazetteer, s, code string) []recognize.Span {
	t := article.NewText(s)
	l, err := lang.Lookup(code)
	if err != nil {
		panic(err)
	}
	return recognize.Recognize(g, t, t.Sentences(), l)
}

type want struct {
	text    string
	country string // country code of some candidate
	demonym bool
}

func TestRecognize(t *testing.T) {
	g := gazettest.Load(t)
	tests := []struct {
		name, lang, text string
		want             []want
	}{
		{"article and common noun are not towns", "de", "Die Lage in Kiew ist angespannt.",
			[]want{{"Kiew", "UA", false}}},
		{"first name before surname is a person", "de", "Gestern traf er Wladimir Putin in Moskau.",
			[]want{{"Moskau", "RU", false}}},
		{"feminine country with article", "de", "Viele kamen aus der Ukraine nach Polen.",
			[]want{{"Ukraine", "UA", false}, {"Polen", "PL", false}}},
		{"genitive", "de", "Die Hauptstadt Frankreichs ist Paris.",
			[]want{{"Frankreichs", "FR", false}, {"Paris", "FR", false}}},
		{"genitive after des", "de", "Die Lage des Irans und des Schwarzen Meeres.",
			[]want{{"Irans", "IR", false}, {"Schwarzen Meeres", "", false}}},
		{"a division named by a common word needs a division word", "en",
			"Russia accused the West of escalating the war. Floods hit Delta State and the West Region of Cameroon.",
			[]want{{"Russia", "RU", false}, {"Delta State", "NG", false}, {"West Region", "CM", false}, {"Cameroon", "CM", false}}},
		{"another language's name of a country that is an English word is the word", "en",
			"Flights to Jeju Island resumed, and Turkey and Chad signed a deal.",
			[]want{{"Jeju", "KR", false}, {"Turkey", "TR", false}, {"Chad", "TD", false}}},
		{"a common word that is only a town's alternate name is the word", "en",
			"In the North, farmers protested.",
			nil},
		{"no genitive ending after der", "de", "Israel griff Ziele der Hamas in Rafah an.",
			[]want{{"Israel", "IL", false}, {"Rafah", "PS", false}}},
		{"adjective with noun", "de", "Schiffe kreuzen im Schwarzen Meer vor Odessa.",
			[]want{{"Schwarzen Meer", "", false}, {"Odessa", "UA", false}}},
		{"demonym adjective", "de", "Die ukrainische Armee rückte vor.",
			[]want{{"ukrainische", "UA", true}}},
		{"possessive is not a place", "de", "Er sprach vom Sieg seines Landes.",
			nil},
		{"title before a name", "de", "Präsident Macron besuchte Berlin.",
			[]want{{"Berlin", "DE", false}}},
		{"function word at sentence start", "de", "Aber auch Laut dem Bericht blieb es ruhig.",
			nil},
		{"french elision and contracted articles", "fr", "Les réfugiés quittent l'Arménie pour rejoindre d'Azerbaïdjan au Haut-Karabakh, aux États-Unis, du Soudan.",
			[]want{{"Arménie", "AM", false}, {"Azerbaïdjan", "AZ", false}, {"Haut-Karabakh", "AZ", false}, {"États-Unis", "US", false}, {"Soudan", "SD", false}}},
		{"french demonyms in every form", "fr", "Les Arméniennes et les forces arméniennes, azerbaïdjanaises et russes.",
			[]want{{"Arméniennes", "AM", true}, {"arméniennes", "AM", true}, {"azerbaïdjanaises", "AZ", true}, {"russes", "RU", true}}},
		{"french names opened by a common noun", "fr", "Des navires croisent en mer Noire et dans le golfe Persique.",
			[]want{{"mer Noire", "", false}, {"golfe Persique", "", false}}},
		{"french institution after an article", "fr", "Le ministère de la Santé et l'Union européenne à Erevan.",
			[]want{{"Erevan", "AM", false}}},
		{"french title and nationality before a name", "fr", "Le Premier ministre belge Alexander De Croo était à Liège.",
			[]want{{"belge", "BE", true}, {"Liège", "BE", false}}},
		{"english place and person", "en", "President Joe Biden spoke in Washington on Monday.",
			[]want{{"Washington", "US", false}}},
		{"english organisation", "en", "The Washington Post reported from Kyiv.",
			[]want{{"Kyiv", "UA", false}}},
		{"english first name that is a city", "en", "Paris Hilton flew to Berlin.",
			[]want{{"Berlin", "DE", false}}},
		{"english possessive", "en", "Georgia's capital Tbilisi saw protests.",
			[]want{{"Georgia", "GE", false}, {"Tbilisi", "GE", false}}},
		{"english first name that is a country", "en", "Chad Johnson, a spokesman, said the river rose near Windsor.",
			[]want{{"Windsor", "GB", false}}},
		{"abbreviations and initials", "en", "UK and US officials met. The U.S. embassy reopened. Dr. A. Smith stayed.",
			[]want{{"UK", "GB", false}, {"US", "US", false}, {"U.S", "US", false}}},
		{"german name of a division, person names around it", "de", "CSU-Chef Markus Söder sagte in München, Bayern werde gegen Wladimir Putin klagen.",
			[]want{{"München", "DE", false}, {"Bayern", "DE", false}}},
		{"german compounds around a region", "de", "Kämpfe in der Ostukraine und in der Südkaukasusregion.",
			[]want{{"Ostukraine", "UA", false}, {"Südkaukasusregion", "", false}}},
		{"german alias of a country", "de", "In Großbritannien und Tschechien wird gewählt.",
			[]want{{"Großbritannien", "GB", false}, {"Tschechien", "CZ", false}}},
		{"english common word opening a sentence", "en", "Police said the road to Reading was closed. Nice weather is not expected.",
			[]want{{"Reading", "GB", false}}},
		{"english country whose name is a common word opening a sentence", "en", "China's exports rose. Turkey said talks would resume.",
			[]want{{"China", "CN", false}, {"Turkey", "TR", false}}},
		{"english plural of a common word opening a sentence", "en", "Voters waited in Lebanon, Pennsylvania. Farmers said the storm hit Topeka.",
			[]want{{"Lebanon", "US", false}, {"Pennsylvania", "US", false}, {"Topeka", "US", false}}},
		{"french plural of a common word", "fr", "Électeurs et journaux attendaient à Lyon.",
			[]want{{"Lyon", "FR", false}}},
		{"english common word naming a village", "en", "The bill passed after Congress voted in Washington. Residents in Hope, Arkansas, were flooded.",
			[]want{{"Washington", "US", false}, {"Hope", "US", false}, {"Arkansas", "US", false}}},
		{"abbreviated name heads", "en", "Flights to Mt. Everest base camp and Ft. Lauderdale resumed.",
			[]want{{"Mt. Everest", "", false}, {"Ft. Lauderdale", "US", false}}},
		{"english demonym", "en", "Armenian troops withdrew.",
			[]want{{"Armenian", "AM", true}}},
		{"german settlement noun or division word before a name", "de", "Der Landkreis Görlitz warnte. Die Stadt Zwickau und das Dorf Hirschfelde auch.",
			[]want{{"Görlitz", "DE", false}, {"Zwickau", "DE", false}, {"Hirschfelde", "DE", false}}},
		{"german dateline, and a name the text cues elsewhere", "de", "GÖRLITZ. Görlitz bereitet sich vor. Zwickau nicht.",
			[]want{{"GÖRLITZ", "DE", false}, {"Görlitz", "DE", false}}},
		{"german adjective of the town's country", "de", "Das polnische Nysa und das echte Nysa.",
			[]want{{"polnische", "PL", true}, {"Nysa", "PL", false}}},
		{"a compass point after a word of motion is a direction", "de", "Die Straße nach Norden ist zu, die Fähre in Norden fährt.",
			[]want{{"Norden", "DE", false}}},
		{"the first half of a double name is no town", "de", "Mercedes-Benz und Rolls-Royce bauen in Sindelfingen.",
			[]want{{"Sindelfingen", "DE", false}}},
		{"the parts of a district named after rivers", "de", "Im Rems-Murr-Kreis bei Stuttgart und in Berlin-Mitte.",
			[]want{{"Stuttgart", "DE", false}, {"Berlin-Mitte", "DE", false}}},
		{"a small town's name at the end of an organisation's", "en", "The Kenya Red Cross said roads near Garissa were cut.",
			[]want{{"Garissa", "KE", false}}},
		{"french preposition that swallowed the article of a name", "fr", "Le port du Havre a fermé, comme le port des Sables-d'Olonne.",
			[]want{{"Havre", "FR", false}, {"Sables-d'Olonne", "FR", false}}},
		{"a division named before the division word", "en", "Kent County Council closed roads near Dover.",
			[]want{{"Kent County", "GB", false}, {"Dover", "GB", false}}},
		{"a compound ending in a settlement noun before a name", "de", "ZERMATT. Das Matterhorndorf Zermatt ist abgeschnitten.",
			[]want{{"ZERMATT", "CH", false}, {"Zermatt", "CH", false}}},
		{"german plural dative of a country's name", "de", "Hilfe kam aus den Niederlanden und den Vereinigten Arabischen Emiraten.",
			[]want{{"Niederlanden", "NL", false}, {"Vereinigten Arabischen Emiraten", "AE", false}}},
		{"compass points are a division only with a division word", "fr", "Dans le Sud-Ouest, les agriculteurs bloquent l'A64.",
			nil},
		{"the parts of a compound town name the gazetteer lacks", "fr", "Un barrage sur l'A1 près de Chennevières-lès-Louvres et à Boulogne-sur-Mer.",
			[]want{{"Boulogne-sur-Mer", "FR", false}}},
		{"short names of countries in common use, and a division named like a plural", "en", "Britain and Bosnia sent aid to Wales.",
			[]want{{"Britain", "GB", false}, {"Bosnia", "BA", false}, {"Wales", "GB", false}}},
		{"a small town's name run into a capitalised word after a locative", "fr", "Des immeubles se sont effondrés à Haret Hreik et à Tyr.",
			[]want{{"Tyr", "LB", false}}},
		{"a station is a building", "en", "Crowds gathered outside Union Station in Kansas City.",
			[]want{{"Kansas City", "US", false}}},
		{"misspelt city after a preposition", "de", "Die Flüchtlinge erreichten Eriwan und dann Stepansakert.",
			[]want{{"Eriwan", "AM", false}}},
		{"misspelt city in a route", "de", "Zwischen Stepansakert und Goris stauten sich die Autos.",
			[]want{{"Stepansakert", "AZ", false}, {"Goris", "AM", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := recognizeText(g, tt.text, tt.lang)
			if len(got) != len(tt.want) {
				var texts []string
				for _, s := range got {
					texts = append(texts, s.Text)
				}
				t.Fatalf("got %d spans %q, want %d", len(got), texts, len(tt.want))
			}
			for i, w := range tt.want {
				s := got[i]
				if s.Text != w.text || s.Demonym != w.demonym {
					t.Errorf("span %d = %q (demonym %v), want %q (demonym %v)", i, s.Text, s.Demonym, w.text, w.demonym)
				}
				if w.country == "" {
					continue
				}
				found := false
				for _, c := range s.Candidates {
					found = found || c.Entry.CountryCode == w.country
				}
				if !found {
					t.Errorf("span %q has no candidate in %s", s.Text, w.country)
				}
			}
		})
	}
}

// TestPlaceCue: a name after a locative, a settlement noun or a division word (with or
// without a link), or in a dateline stands where a place is expected (Span.Locative);
// the noun counts in English only in lower case ("Town Hall" opens a name).
func TestPlaceCue(t *testing.T) {
	g := gazettest.Load(t)
	for _, tt := range []struct {
		lang, text, span   string
		locative, dateline bool
	}{
		{"en", "Shelling hit the town of Avdiivka.", "Avdiivka", true, false},
		{"en", "Shelling hit Avdiivka.", "Avdiivka", false, false},
		{"en", "Crowds met at Town Hall, Avdiivka.", "Avdiivka", false, false},
		{"en", "KYIV, Ukraine — Shelling hit Avdiivka.", "KYIV", true, true},
		{"de", "Die Hafenstadt Odessa wurde beschossen.", "Odessa", true, false},
		{"de", "Im Landkreis Bautzen wurde gesucht.", "Bautzen", true, false},
		{"fr", "La ville de Lyon a voté.", "Lyon", true, false},
		{"fr", "Le maire de Lyon a voté.", "Lyon", false, false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			for _, s := range recognizeText(g, tt.text, tt.lang) {
				if s.Text == tt.span {
					if s.Locative != tt.locative || s.Dateline != tt.dateline {
						t.Errorf("%q: locative %v dateline %v, want %v %v", s.Text, s.Locative, s.Dateline, tt.locative, tt.dateline)
					}
					return
				}
			}
			t.Errorf("%q not found", tt.span)
		})
	}
}

func TestRecognizeOffsetsAreCodePoints(t *testing.T) {
	g := gazettest.Load(t)
	text := "Über Nacht flohen Tausende nach Armenien."
	spans := recognizeText(g, text, "de")
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want 1", len(spans))
	}
	r := []rune(text)
	if got := string(r[spans[0].Start:spans[0].End]); got != "Armenien" {
		t.Errorf("offsets [%d,%d) select %q, want Armenien", spans[0].Start, spans[0].End, got)
	}
}

func BenchmarkRecognize(b *testing.B) {
	g := gazettest.Load(b)
	text := "Die Menschen standen am Montag Schlange vor den Tankstellen der Hauptstadt Kiew. " +
		"Gleichzeitig fliehen Tausende nach Polen und in die Slowakei; in Lwiw haben die Behörden Unterkünfte eingerichtet. " +
		"President Joe Biden spoke in Washington about the war in Ukraine and the Black Sea ports of Odesa and Mykolaiv. "
	for len(text) < 64<<10 {
		text += text
	}
	t := article.NewText(text)
	sents := t.Sentences()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		recognize.Recognize(g, t, sents, lang.German)
	}
}

// BenchmarkRecognizeFrench recognises places in 64 kB of French prose (elisions,
// contracted articles, lower-case name heads, demonyms in four forms).
func BenchmarkRecognizeFrench(b *testing.B) {
	g := gazettest.Load(b)
	text := "Les habitants faisaient la queue lundi devant les stations-service de Kiev. " +
		"Des milliers de réfugiés fuient vers la Pologne et en Slovaquie ; à Lviv, les autorités ont ouvert des abris. " +
		"Le président américain a parlé à Washington de la guerre en Ukraine et des ports de la mer Noire, d'Odessa et de Mykolaïv. "
	for len(text) < 64<<10 {
		text += text
	}
	t := article.NewText(text)
	sents := t.Sentences()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		recognize.Recognize(g, t, sents, lang.French)
	}
}

// TestNoSlipsInsideCompounds: the parts of a hyphenated compound the gazetteer does not
// know whole are not taken for misspelt places ("Rems" in "Rems-Murr-Kreis" is not Rees).
func TestNoSlipsInsideCompounds(t *testing.T) {
	g := gazettest.Load(t)
	for _, s := range recognizeText(g, "Im Rems-Murr-Kreis und im Main-Tauber-Kreis regnete es.", "de") {
		for _, c := range s.Candidates {
			if c.Match == recognize.Fuzzy {
				t.Errorf("%q: fuzzy candidate %s (%s)", s.Text, c.Entry.Name, c.Entry.CountryCode)
			}
		}
	}
}
