package buildcache

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"newsmap/pipeline/layers"
)

// fullResult has every field of a result set, lists both nil and empty, and strings
// that JSON would escape.
func fullResult() *layers.Result {
	return &layers.Result{
		ArticleID: "a\"1",
		Mentions:  []json.RawMessage{json.RawMessage(`{"id":"a:1"}`), json.RawMessage("{\n}"), json.RawMessage(`{}`)},
		Places: []layers.PlaceHit{
			{PlaceID: "gn:1", Text: "Eriwan", Label: "Jerewan", Date: "2024-03-14"},
			{PlaceID: "route:m1", Text: "M1", Date: "2024-03", Journey: true},
			{},
		},
		Routes: []layers.RouteHit{
			{ID: "m1", Name: "M1", Kind: "corridor", Source: "gazetteer", Line: orb.LineString{{44.5, 40.18}, {-0.1, 1e-7}, {math.MaxFloat64, math.SmallestNonzeroFloat64}}, Text: "M1", Date: "2024"},
			{ID: "route:a~b", Name: "A – B", Kind: "route", Source: "straight-line", From: "A", To: "B", Line: orb.LineString{}, Text: "von A nach B"},
			{ID: "x"}, // nil line
		},
		Review: []layers.ReviewItem{
			{ID: "a\"1:7", ArticleID: "a\"1", Text: "Gori", Quote: "… in <Gori> & …", Name: "Goris", PlaceID: "gn:2", CountryCode: "AM",
				Confidence: 0.41, Match: "fuzzy", Why: []string{layers.WhyLowConfidence, layers.WhyMisspelt}, Reasons: []string{"confidence 0.41 below 0.60", ""},
				Alternatives: []layers.ReviewAlternative{{Name: "Gori", PlaceID: "gn:3", CountryCode: "GE", Score: 0.38}}},
			{ID: "b", Alternatives: []layers.ReviewAlternative{}, Why: []string{}},
			{ID: "c", Confidence: -math.MaxFloat64},
		},
	}
}

func TestEntryRoundTrip(t *testing.T) {
	for name, r := range map[string]*layers.Result{
		"full":        fullResult(),
		"empty":       {},
		"no mentions": {ArticleID: "x", Places: []layers.PlaceHit{{PlaceID: "p"}}},
		"mentions":    {ArticleID: "y", Mentions: []json.RawMessage{json.RawMessage(`{"a":1}`), json.RawMessage(`{"b":2}`)}},
	} {
		t.Run(name, func(t *testing.T) {
			var s scratch
			z, err := encode(&s, r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decode(z)
			if err != nil {
				t.Fatal(err)
			}
			// nil and empty lists are told apart (reflect.DeepEqual does so too)
			if !reflect.DeepEqual(got, r) {
				t.Errorf("round trip:\n got %#v\nwant %#v", got, r)
			}
			// the scratch memory is reused: a second result encoded in it does not
			// change what the first decodes to
			if _, err := encode(&s, &layers.Result{ArticleID: "other"}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, r) {
				t.Error("the decoded result shares the encoder's memory")
			}
		})
	}
}

// TestEntryDamage: an entry cut anywhere, or with bytes past its end, does not decode;
// nor does one whose counts or lengths were damaged (decodeEntry sees what the
// checksum lets through, so it must not panic or allocate without bound on anything).
func TestEntryDamage(t *testing.T) {
	plain, err := appendEntry(nil, fullResult())
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(plain) {
		if r, err := decodeEntry(plain[:n]); err == nil {
			t.Errorf("an entry cut at %d of %d bytes decodes: %+v", n, len(plain), r)
		}
	}
	if _, err := decodeEntry(append(plain[:len(plain):len(plain)], 'x')); !errors.Is(err, errEntry) {
		t.Errorf("an entry with a byte past its end: %v", err)
	}
	for _, b := range [][]byte{
		{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // a huge mention count
		{0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
		{0, 0, 1, 1, 'p', 0, 0, 0, 2, 0, 0}, // journey flag 2
		{0, 1, 1, 0, 0, 0},                  // a one-byte mention
		{0x80},                              // a varint cut short
	} {
		if r, err := decodeEntry(b); err == nil {
			t.Errorf("% x decodes: %+v", b, r)
		}
	}
	var s scratch
	z, err := encode(&s, fullResult())
	if err != nil {
		t.Fatal(err)
	}
	// a bit flipped anywhere is found, or (in a copy's offset within a run of equal
	// bytes) changes nothing
	want := fullResult()
	for i := range z {
		for bit := range 8 {
			d := append([]byte(nil), z...)
			d[i] ^= 1 << bit
			if r, err := decode(d); err == nil && !reflect.DeepEqual(r, want) {
				t.Errorf("bit %d of byte %d of %d flipped: decodes to %+v", bit, i, len(z), r)
			}
		}
	}
}

// TestEntryNotFinite: NaN and ±Inf are not written, and an entry whose bytes hold one
// (damage the checksum let through) does not decode: GeoJSON cannot carry them, and
// NaN would not even compare equal to itself after a round trip.
func TestEntryNotFinite(t *testing.T) {
	for name, f := range map[string]float64{"NaN": math.NaN(), "+Inf": math.Inf(1), "-Inf": math.Inf(-1)} {
		t.Run(name, func(t *testing.T) {
			r := fullResult()
			r.Review[0].Confidence = f
			if _, err := appendEntry(nil, r); err == nil {
				t.Error("an entry with a non-finite confidence encodes")
			}
			r = fullResult()
			r.Routes[0].Line[0][1] = f
			if _, err := appendEntry(nil, r); err == nil {
				t.Error("an entry with a non-finite coordinate encodes")
			}
			// the same entry written with the bits in place of its confidence
			plain, err := appendEntry(nil, fullResult())
			if err != nil {
				t.Fatal(err)
			}
			conf := binary.LittleEndian.AppendUint64(nil, math.Float64bits(fullResult().Review[0].Confidence))
			i := bytes.Index(plain, conf)
			if i < 0 {
				t.Fatal("the confidence's bytes are not in the entry")
			}
			binary.LittleEndian.PutUint64(plain[i:], math.Float64bits(f))
			if r, err := decodeEntry(plain); err == nil {
				t.Errorf("an entry holding %v decodes: %+v", f, r)
			}
		})
	}
}

func FuzzDecodeEntry(f *testing.F) {
	plain, err := appendEntry(nil, fullResult())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(plain)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeEntry(b)
		if err != nil {
			return
		}
		// what decodes encodes, and decodes again to the same result (not always to
		// the same bytes: a number may be written with more varint bytes than needed)
		again, err := appendEntry(nil, r)
		if err != nil {
			t.Fatalf("a decoded entry does not encode: %v", err)
		}
		r2, err := decodeEntry(again)
		if err != nil {
			t.Fatalf("a re-encoded entry does not decode: %v", err)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("decoded differently after re-encoding:\n%+v\n%+v", r, r2)
		}
		if len(again) > len(b) {
			t.Fatalf("re-encoded longer: %d bytes, was %d", len(again), len(b))
		}
	})
}

// BenchmarkEntry: encoding (the write of a -force build) and decoding (what a build
// after adding one article does for every other article) of a result with 13 mentions,
// as the 10k benchmark corpus has on average: the first features of the layers
// package's golden mentions layer.
func BenchmarkEntry(b *testing.B) {
	data, err := os.ReadFile("../layers/testdata/golden/mentions.geojson")
	if err != nil {
		b.Fatal(err)
	}
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(data, &fc); err != nil || len(fc.Features) < 13 {
		b.Fatalf("golden mentions: %v, %d features", err, len(fc.Features))
	}
	r := fullResult()
	r.Mentions = fc.Features[:13]
	var s scratch
	z, err := encode(&s, r)
	if err != nil {
		b.Fatal(err)
	}
	stored := append([]byte(nil), z...)
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encode(&s, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decode(stored); err != nil {
				b.Fatal(err)
			}
		}
	})
}
