package lang_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"newsmap/pipeline/lang"
)

func TestLookup(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"de", "de"}, {"DE", "de"}, {"de-AT", "de"}, {"en_GB", "en"}, {" en ", "en"},
	} {
		l, err := lang.Lookup(tc.code)
		if err != nil || l.Code != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tc.code, l, err, tc.want)
		}
	}
	for _, code := range []string{"", "xx", "deu", "d"} {
		_, err := lang.Lookup(code)
		if !errors.Is(err, lang.ErrUnknown) {
			t.Errorf("Lookup(%q) error = %v, want ErrUnknown", code, err)
			continue
		}
		if !strings.Contains(err.Error(), "known: ") {
			t.Errorf("Lookup(%q) error %q does not list the known languages", code, err)
		}
	}
}

// TestRegistered checks every registered language for the data the pipeline relies on.
func TestRegistered(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range lang.All() {
		if len(l.Code) != 2 || len(l.Code3) != 3 || l.Code != strings.ToLower(l.Code) || seen[l.Code] {
			t.Errorf("bad or duplicate code %q", l.Code)
		}
		seen[l.Code] = true
		tx := &l.Timex
		for i, m := range tx.Months {
			if strings.TrimSpace(m) == "" {
				t.Errorf("%s: month %d has no name", l.Code, i+1)
			}
		}
		for i, d := range tx.Weekdays {
			if strings.TrimSpace(d) == "" {
				t.Errorf("%s: weekday %d has no name", l.Code, i+1)
			}
		}
		for i, u := range tx.Units {
			if u[0] == "" || u[1] == "" {
				t.Errorf("%s: unit %d lacks a singular or plural", l.Code, i)
			}
		}
		if l.Words.Function == "" || l.Words.Locatives == "" || l.Since == "" || len(tx.RelativeDays) == 0 {
			t.Errorf("%s: function words, locatives, since markers and relative days are required", l.Code)
		}
		for _, ws := range []string{l.Words.Function, l.Words.Titles, l.Words.Locatives, tx.Last, tx.Stop} {
			if ws != strings.ToLower(ws) {
				t.Errorf("%s: word lists are lower case: %q", l.Code, ws)
			}
		}
	}
	if got := strings.Join(lang.Codes(), ","); !strings.HasPrefix(got, "de,en") {
		t.Errorf("Codes() = %s", got)
	}
}

func ExampleLookup() {
	l, _ := lang.Lookup("de-AT")
	fmt.Println(l.Name)
	_, err := lang.Lookup("la")
	fmt.Println(errors.Is(err, lang.ErrUnknown))
	// Output:
	// German
	// true
}
