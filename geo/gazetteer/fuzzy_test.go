package gazetteer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var (
	embeddedOnce sync.Once
	embedded     *Gazetteer
	embeddedErr  error
)

func loadEmbedded(t testing.TB) *Gazetteer {
	t.Helper()
	embeddedOnce.Do(func() { embedded, embeddedErr = LoadEmbedded() })
	if embeddedErr != nil {
		t.Fatal(embeddedErr)
	}
	return embedded
}

// osaReference is the textbook dynamic programme for the optimal string alignment
// distance over runes, the definition oneEdit must agree with.
func osaReference(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func TestOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"eriwan", "eriwan", true},
		{"stepanakert", "stepansakert", true}, // insertion
		{"stepanakert", "stepanaker", true},   // deletion at the end
		{"stepanakert", "tepanakert", true},   // deletion at the start
		{"stepanakert", "stepanakret", true},  // transposition
		{"goris", "gori", true},
		{"kiew", "kiel", true},          // substitution
		{"kiew", "kile", false},         // two edits
		{"abc", "ca", false},            // OSA is not unrestricted Damerau-Levenshtein
		{"aab", "aba", true},            // transposition after a common prefix
		{"abb", "bab", true},            // transposition before a common suffix
		{"şuşa", "şuşə", true},          // multi-byte runes
		{"şuşa", "suşa", true},          // a multi-byte rune against a one-byte one
		{"ağdam", "agdam", true},        //
		{"ağdam", "agdəm", false},       //
		{"мосва", "москва", true},       // Cyrillic insertion
		{"zürich", "zurück", false},     //
		{"", "a", true},                 //
		{"ab", "", false},               //
		{"árvíz", "árvzí", true},        // transposition of multi-byte runes
		{"hamburg", "hamburger", false}, //
		{"ääää", "äääää", true},         //
		{"äöäö", "öäöä", false},         //
		{"münchen", "munchen", true},    //
		{"muenchen", "münchen", false},  //
		{"lviv", "lwiw", false},         //
		{"tbilissi", "tiflis", false},   //
	}
	for _, tt := range tests {
		if got := oneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := oneEdit(tt.b, tt.a); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
		if ref := osaReference(tt.a, tt.b) <= 1; ref != tt.want {
			t.Errorf("test table: OSA(%q, %q) ≤ 1 is %v", tt.a, tt.b, ref)
		}
	}
}

// TestFuzzyMatchesBruteForce compares Fuzzy with a scan of every indexed key, for
// keys made by one random edit of gazetteer names (and a few unchanged ones).
func TestFuzzyMatchesBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the whole index per key")
	}
	g := loadEmbedded(t)
	g.Fuzzy("warmup")
	fx := g.fuzzy
	rng := rand.New(rand.NewPCG(7, 7))
	letters := []rune("abcdefghijklmnopqrstuvwxyzäöüəş")
	var queries []string
	for len(queries) < 24 {
		k := []rune(fx.keys[rng.IntN(len(fx.keys))])
		i := rng.IntN(len(k))
		switch rng.IntN(5) {
		case 0:
			k = slices.Delete(k, i, i+1)
		case 1:
			k = slices.Insert(k, i, letters[rng.IntN(len(letters))])
		case 2:
			k[i] = letters[rng.IntN(len(letters))]
		case 3:
			if i+1 < len(k) {
				k[i], k[i+1] = k[i+1], k[i]
			}
		}
		queries = append(queries, string(k))
	}
	matched := 0
	for _, q := range queries {
		var want []FuzzyMatch
		if n := utf8.RuneCountInString(q); n >= minFuzzyLen {
			names := []string{}
			for _, name := range fx.keys {
				if d := utf8.RuneCountInString(name) - n; d >= -1 && d <= 1 && name != q && osaReference(q, name) == 1 {
					names = append(names, name)
				}
			}
			slices.SortFunc(names, strings.Compare)
			for _, name := range names {
				for _, e := range g.Lookup(name) {
					if e.Notable() {
						want = append(want, FuzzyMatch{Entry: e, Name: name, Distance: 1})
					}
				}
			}
		}
		if got := g.Fuzzy(q); !slices.Equal(got, want) {
			t.Errorf("Fuzzy(%q) = %v\nwant %v", q, got, want)
		}
		if len(want) > 0 {
			matched++
		}
	}
	if matched < len(queries)/2 {
		t.Errorf("only %d of %d queries have fuzzy matches: the test says little", matched, len(queries))
	}
}

func BenchmarkBuildFuzzy(b *testing.B) {
	g := loadEmbedded(b)
	b.ReportAllocs()
	for b.Loop() {
		g.buildFuzzy()
	}
}

// TestFuzzyMemo: a repeated question gets the same answer, and the memo stays bounded.
func TestFuzzyMemo(t *testing.T) {
	g := loadEmbedded(t)
	first := g.Fuzzy("stepansakert")
	again := g.Fuzzy("stepansakert")
	if len(first) == 0 || !slices.Equal(first, again) || !slices.Equal(first, g.fuzzyFind("stepansakert")) {
		t.Errorf("Fuzzy: %v, then %v", first, again)
	}
	count := func() int {
		n := 0
		g.fuzzyMemo.Range(func(any, any) bool { n++; return true })
		return n
	}
	before := count()
	g.fuzzyMemoLen.Store(maxFuzzyMemo - 10) // as if nearly full
	for i := range 30 {
		g.Fuzzy(fmt.Sprintf("zqx%dqz", i))
	}
	if added := count() - before; added != 10 {
		t.Errorf("memo took %d new keys when it had room for 10", added)
	}
}

func TestNormalizesTo(t *testing.T) {
	for _, s := range []string{"", "berlin", "Berlin", "Sankt  Petersburg-", "Ağdam", "ẞtraße", "St. Gallen", "Xankändi ", "Île-de-France", strings.Repeat("Ärger ", 30), "bad \xff utf8"} {
		k := Normalize(s)
		if !NormalizesTo(s, k) || NormalizesTo(s, k+"x") || (k != "" && NormalizesTo(s, k[:len(k)-1])) {
			t.Errorf("NormalizesTo(%q, %q) disagrees with Normalize", s, k)
		}
	}
}

// BenchmarkFuzzyFind measures a fuzzy lookup in the index, without the memo of Fuzzy
// (BenchmarkFuzzy asks the same five keys, so it measures the memo).
func BenchmarkFuzzyFind(b *testing.B) {
	benchFuzzyFind(b, []string{"stepansakert", "aserbaidschn", "bergkarabah", "moskua", "eriwna"})
}

// BenchmarkFuzzyFindCold asks about 131,072 keys no name is near, each once a cycle:
// the index's buckets are not in the caches, as for the new names of an archive
// (BenchmarkFuzzyFind asks five keys again and again).
func BenchmarkFuzzyFindCold(b *testing.B) {
	keys := make([]string, 0, 1<<17)
	for i := range 1 << 16 {
		keys = append(keys, fmt.Sprintf("stad%dberlin", i), fmt.Sprintf("regierung%dx", i))
	}
	benchFuzzyFind(b, keys)
}

// benchFuzzyFind asks fuzzyFind about keys in turn.
func benchFuzzyFind(b *testing.B, keys []string) {
	g := loadEmbedded(b)
	g.Fuzzy("warmup") // builds the index
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.fuzzyFind(keys[i%len(keys)])
		i++
	}
}

func TestNameKeyIs(t *testing.T) {
	g := loadEmbedded(t)
	e := g.ByID("gn:146970") // Xankandi
	for key, want := range map[string]bool{"xankandi": true, "stepanakert": false, "xankand": false, "": false} {
		if got := e.NameKeyIs(key, KeyHash(key)); got != want {
			t.Errorf("NameKeyIs(%q) = %v", key, got)
		}
	}
	bare := Entry{Name: "Ağdam"} // not from Load: no hash, the name is compared
	if !bare.NameKeyIs("agdam", KeyHash("agdam")) || bare.NameKeyIs("aghdam", KeyHash("aghdam")) {
		t.Error("NameKeyIs on an entry without a hash")
	}
}
