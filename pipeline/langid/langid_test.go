package langid

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		text string
		want string // "" = not reliable
	}{
		{"In der Nacht zum Donnerstag haben russische Drohnen die Hafenstadt Odessa angegriffen. Nach Angaben der Behörden wurden mehrere Wohnhäuser beschädigt.", "de"},
		{"Floodwaters rose across the county on Tuesday after two days of heavy rain, and officials urged residents to leave their homes.", "en"},
		{"Les pluies torrentielles ont provoqué des inondations dans le sud de la France, où des milliers de foyers sont privés d'électricité depuis lundi.", "fr"},
		{"Las lluvias torrenciales provocaron inundaciones en el sur del país, donde miles de hogares se quedaron sin electricidad desde el lunes.", "es"},
		{"Ночью российские беспилотники атаковали портовый город Одессу. По словам властей, были повреждены несколько жилых домов, пожарные работали до утра, а жители говорят, что это была самая тяжёлая ночь за последние месяцы.", "ru"},
		{"12345 67890 !!!", ""},
		{"", ""},
	}
	for _, tt := range tests {
		g := Detect(tt.text)
		got := g.Code
		if !g.Reliable() {
			got = ""
		}
		if got != tt.want {
			t.Errorf("Detect(%.30q) = %+v, want %q", tt.text, g, tt.want)
		}
	}
}

func TestDetectSamplesLongText(t *testing.T) {
	// a long English article whose tail is another language is judged by its beginning,
	// and a multi-byte rune at the cut is not split
	text := strings.Repeat("The council met on Monday to discuss the new bridge over the river. ", 80) +
		strings.Repeat("Der Rat tagte am Montag über die neue Brücke. ", 2000)
	if g := Detect(text); g.Code != "en" || !g.Reliable() {
		t.Errorf("got %+v, want en", g)
	}
	if g := Detect(strings.Repeat("ü", SampleBytes)); g.Code == "" && g.Confidence != 0 {
		t.Errorf("inconsistent guess %+v", g)
	}
}

func BenchmarkDetect(b *testing.B) {
	text := strings.Repeat("In der Nacht zum Donnerstag haben russische Drohnen die Hafenstadt Odessa angegriffen. ", 60)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Detect(text)
	}
}
