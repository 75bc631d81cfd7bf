package recognize_test

import (
	"testing"

	"newsmap/geo/gazetteer/gazettest"
	"newsmap/pipeline/article"
	"newsmap/pipeline/lang"
	"newsmap/pipeline/recognize"
)

// TestQualify: "Town, State" reads the state (abbreviation, postal code or name) as a
// division and keeps only the town's readings inside it; an abbreviation never becomes
// a town abroad ("Vic." is not Vic in Spain, "Colo." not Colo in Iowa).
func TestQualify(t *testing.T) {
	g := gazettest.Load(t)
	en, err := lang.Lookup("en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, town, division, cc, admin1 string
	}{
		{"The fair opens Friday in Paris, Tenn., this year.", "Paris", "Tennessee", "US", "TN"},
		{"Crews came from Murray, Ky., on Monday.", "Murray", "Kentucky", "US", "KY"},
		{"Trains run between Bendigo, Vic. and the coast.", "Bendigo", "Victoria", "AU", ""},
		{"Evacuees went to Kelowna, B.C., overnight.", "Kelowna", "British Columbia", "CA", ""},
		{"It was hot in Phoenix, AZ on Tuesday.", "Phoenix", "Arizona", "US", "AZ"},
		{"Perth, WA is far from Perth, Scotland.", "Perth", "Western Australia", "AU", ""},
		{"The council of Moscow, Idaho voted.", "Moscow", "Idaho", "US", "ID"},
		{"Rain fell on Athens, Georgia overnight.", "Athens", "Georgia", "US", "GA"},
		// a common word or a dateline's first word is a town when the state says so
		{"GOLDEN, Colo. — A wildfire spread west of town.", "GOLDEN", "Colorado", "US", "CO"},
		{"She grew up in Hope, Ark., and moved away.", "Hope", "Arkansas", "US", "AR"},
	}
	for _, tt := range tests {
		text := article.NewText(tt.text)
		spans := recognize.Recognize(g, text, text.Sentences(), en)
		var town, div *recognize.Span
		for i := range spans {
			s := &spans[i]
			if s.Text == tt.town && town == nil {
				town = s
			}
			if town != nil && div == nil && s.Start > town.Start {
				div = s
			}
		}
		if town == nil || div == nil {
			t.Errorf("%q: spans %+v", tt.text, spans)
			continue
		}
		if town.Qualifier == nil || town.Qualifier.Name != tt.division || town.Qualifier.CountryCode != tt.cc {
			t.Errorf("%q: %s qualified by %+v, want %s", tt.text, tt.town, town.Qualifier, tt.division)
			continue
		}
		for _, c := range town.Candidates {
			if c.Entry.CountryCode != tt.cc || (tt.admin1 != "" && c.Entry.Admin1 != tt.admin1) {
				t.Errorf("%q: candidate %s (%s %s) outside %s", tt.text, c.Entry.Name, c.Entry.CountryCode, c.Entry.Admin1, tt.division)
			}
		}
		if len(div.Candidates) != 1 || div.Candidates[0].Entry != town.Qualifier {
			t.Errorf("%q: division span %q has %d readings", tt.text, div.Text, len(div.Candidates))
		}
	}
}
