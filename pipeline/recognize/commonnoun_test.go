package recognize_test

import (
	"strings"
	"testing"

	"newsmap/geo/gazetteer/gazettest"
)

// TestCommonNouns: a name that is also a common word of the article's language is a
// place only with evidence (a locative without an article, a list of places, or a
// well-known place); an article before it makes it a noun; no dictionary word is read
// as a misspelt place. Towns of several regions whose names are German nouns (Norden
// and Keller in Germany and Texas, Ufer in Austria, Schulen in Belgium) and French
// words (Orange, Mer).
func TestCommonNouns(t *testing.T) {
	g := gazettest.Load(t)
	tests := []struct {
		name, lang, text string
		want             string // the spans' texts, space-separated
	}{
		{"compass nouns with an article", "de", "Im Norden des Landes und im Süden regnete es, der Osten blieb trocken.", ""},
		{"nouns opening a sentence", "de", "Keller und Werkstätten liefen voll. Busse fuhren nicht, Kunden blieben aus.", ""},
		{"nouns after an article or adjective", "de", "Die Häuser am Ufer und die neuen Schulen stehen leer, sagten die Hirten.", ""},
		{"dictionary word is no misspelling", "de", "Im Sommer kamen viele Urlauber.", ""},
		{"locative without article", "de", "Die Fähre legte in Norden ab und fuhr von Emden nach Borkum.", "Norden Emden Borkum"},
		{"locative in Texas", "de", "Er zog von Bremen nach Keller in Texas.", "Bremen Keller Texas"},
		{"in a list of places", "de", "Die Route führt über Emden und Norden.", "Emden Norden"},
		{"well-known city that is a noun", "de", "Essen meldete Hochwasser.", "Essen"},
		{"country after an article", "de", "Hilfe kam aus der Schweiz und der Türkei.", "Schweiz Türkei"},
		{"first-level division after an article", "de", "Stürme trafen die Normandie und die Bretagne.", "Normandie Bretagne"},
		{"french word opening a sentence", "fr", "Mer agitée sur la côte. Orange a publié ses résultats.", ""},
		{"french town after a locative", "fr", "Le festival a lieu à Orange, près d'Avignon.", "Orange Avignon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range recognizeText(g, tt.text, tt.lang) {
				if !s.Demonym {
					got = append(got, s.Text)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}
