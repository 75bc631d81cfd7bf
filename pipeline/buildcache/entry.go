package buildcache

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/klauspost/compress/s2"
	"github.com/paulmach/orb"

	"newsmap/pipeline/layers"
)

// An entry is a CRC-32C (4 bytes, little-endian) of its uncompressed bytes, then those
// bytes compressed with S2 (block format). Uncompressed, it is a head that holds the
// result without its mentions, written field by field (no reflection), then the mention
// features one after the other, as encoded:
//
//	head     = string(article id)
//	           uvarint(mentions) uvarint(length of each mention)…
//	           uvarint(places) place…
//	           uvarint(routes) route…
//	           uvarint(review items) item…
//	place    = string(place id) string(text) string(label) string(date) byte(journey: 0 or 1)
//	route    = string(id) string(name) string(kind) string(source) string(from) string(to)
//	           line string(text) string(date)
//	line     = uvarint(points+1, 0 for nil) (float64 lon, float64 lat)…
//	item     = string(id) string(article id) string(text) string(quote) string(name)
//	           string(place id) string(country code) float64(confidence) string(match)
//	           strings(why) strings(reasons) alternatives
//	strings  = uvarint(n+1, 0 for nil) string…
//	alternatives = uvarint(n+1, 0 for nil) (string(name) string(place id) string(country code) float64(score))…
//	string   = uvarint(length) bytes
//	float64  = the IEEE 754 bits, 8 bytes little-endian; NaN and ±Inf are corrupt
//
// Reading an entry back decompresses and checks it, decodes the head and slices the
// mentions out of the rest, without decoding or re-validating the features. A nil list
// stays nil and an empty one empty, as the review report writes them differently
// ("alternatives": null or []).

// maxEntryBytes bounds an entry's size once decompressed: a corrupt length cannot make
// Get allocate more.
const maxEntryBytes = 1 << 30

// castagnoli is the CRC-32C table of the entries' checksums.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errEntry is a head that does not decode: cut short, a count or length past its end,
// or bytes left over.
var errEntry = errors.New("malformed entry")

// scratch is the memory one Put encodes an entry in, reused across Puts.
type scratch struct {
	plain, z []byte
}

// appendEntry appends the uncompressed entry of r to b.
func appendEntry(b []byte, r *layers.Result) ([]byte, error) {
	if !finite(r) {
		// the decoder takes NaN and ±Inf for damage: an entry holding one would be
		// a miss at every build
		return b, fmt.Errorf("buildcache: encode %s: a coordinate or score is NaN or infinite", r.ArticleID)
	}
	b = appendStr(b, r.ArticleID)
	b = binary.AppendUvarint(b, uint64(len(r.Mentions)))
	for _, m := range r.Mentions {
		// the layer writer joins the features with commas: each must be one JSON
		// object, which is all the cache checks of them
		if len(m) < 2 || m[0] != '{' || m[len(m)-1] != '}' {
			return b, fmt.Errorf("buildcache: encode %s: a mention is not a JSON object", r.ArticleID)
		}
		b = binary.AppendUvarint(b, uint64(len(m)))
	}
	b = binary.AppendUvarint(b, uint64(len(r.Places)))
	for i := range r.Places {
		h := &r.Places[i]
		b = appendStr(b, h.PlaceID)
		b = appendStr(b, h.Text)
		b = appendStr(b, h.Label)
		b = appendStr(b, h.Date)
		if h.Journey {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(r.Routes)))
	for i := range r.Routes {
		h := &r.Routes[i]
		for _, s := range [...]string{h.ID, h.Name, h.Kind, h.Source, h.From, h.To} {
			b = appendStr(b, s)
		}
		b = appendCount(b, len(h.Line), h.Line == nil)
		for _, p := range h.Line {
			b = appendFloat64(appendFloat64(b, p[0]), p[1])
		}
		b = appendStr(b, h.Text)
		b = appendStr(b, h.Date)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Review)))
	for i := range r.Review {
		it := &r.Review[i]
		for _, s := range [...]string{it.ID, it.ArticleID, it.Text, it.Quote, it.Name, it.PlaceID, it.CountryCode} {
			b = appendStr(b, s)
		}
		b = appendFloat64(b, it.Confidence)
		b = appendStr(b, it.Match)
		b = appendStrs(b, it.Why)
		b = appendStrs(b, it.Reasons)
		b = appendCount(b, len(it.Alternatives), it.Alternatives == nil)
		for _, a := range it.Alternatives {
			b = appendStr(b, a.Name)
			b = appendStr(b, a.PlaceID)
			b = appendStr(b, a.CountryCode)
			b = appendFloat64(b, a.Score)
		}
	}
	for _, m := range r.Mentions {
		b = append(b, m...)
	}
	return b, nil
}

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendCount writes the length of a list that may be nil: n+1, or 0 for nil.
func appendCount(b []byte, n int, isNil bool) []byte {
	if isNil {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

func appendStrs(b []byte, ss []string) []byte {
	b = appendCount(b, len(ss), ss == nil)
	for _, s := range ss {
		b = appendStr(b, s)
	}
	return b
}

// finite reports whether every number of r is finite.
func finite(r *layers.Result) bool {
	ok := func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
	for i := range r.Routes {
		for _, p := range r.Routes[i].Line {
			if !ok(p[0]) || !ok(p[1]) {
				return false
			}
		}
	}
	for i := range r.Review {
		if !ok(r.Review[i].Confidence) {
			return false
		}
		for _, a := range r.Review[i].Alternatives {
			if !ok(a.Score) {
				return false
			}
		}
	}
	return true
}

func appendFloat64(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// encode returns the stored form of r, in s's memory: valid until s is used again.
func encode(s *scratch, r *layers.Result) ([]byte, error) {
	plain, err := appendEntry(s.plain[:0], r)
	s.plain = plain
	if err != nil {
		return nil, err
	}
	// Compressed: the mentions repeat their property names and the article's quotes,
	// and S2 makes them several times smaller at a cost below the writes it saves. The
	// checksum (CRC-32C of the uncompressed bytes) finds damage the format would not.
	bound := s2.MaxEncodedLen(len(plain))
	if bound < 0 || len(plain) > maxEntryBytes {
		return nil, fmt.Errorf("buildcache: encode %s: entry of %d bytes is too large", r.ArticleID, len(plain))
	}
	if cap(s.z) < 4+bound {
		s.z = make([]byte, 4+bound)
	}
	z := s.z[:4+bound]
	binary.LittleEndian.PutUint32(z, crc32.Checksum(plain, castagnoli))
	return z[:4+len(s2.Encode(z[4:], plain))], nil
}

// decode reads a stored entry. The mentions of the result share one new buffer.
func decode(z []byte) (*layers.Result, error) {
	if len(z) < 4 {
		return nil, errors.New("entry too short")
	}
	sum, z := binary.LittleEndian.Uint32(z), z[4:]
	n, err := s2.DecodedLen(z)
	if err != nil {
		return nil, err
	}
	if n > maxEntryBytes {
		return nil, fmt.Errorf("entry of %d bytes", n)
	}
	b, err := s2.Decode(make([]byte, n), z)
	if err != nil {
		return nil, err
	}
	if crc32.Checksum(b, castagnoli) != sum {
		return nil, errors.New("checksum mismatch")
	}
	return decodeEntry(b)
}

// decodeEntry decodes an uncompressed entry; the mentions are slices of b.
func decodeEntry(b []byte) (*layers.Result, error) {
	d := decoder{b: b}
	r := &layers.Result{ArticleID: d.str()}
	lens := make([]int, d.count(1))
	total := 0
	for i := range lens {
		// a mention is at least "{}" and fits in what is left
		if lens[i] = d.int(); lens[i] < 2 || lens[i] > len(d.b) {
			d.fail()
		}
		total += lens[i]
	}
	if k := d.count(5); k > 0 {
		r.Places = make([]layers.PlaceHit, k)
		for i := range r.Places {
			h := &r.Places[i]
			h.PlaceID, h.Text, h.Label, h.Date = d.str(), d.str(), d.str(), d.str()
			switch d.byte() {
			case 0:
			case 1:
				h.Journey = true
			default:
				d.fail()
			}
		}
	}
	if k := d.count(9); k > 0 {
		r.Routes = make([]layers.RouteHit, k)
		for i := range r.Routes {
			h := &r.Routes[i]
			h.ID, h.Name, h.Kind, h.Source, h.From, h.To = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
			if n, ok := d.nilCount(16); ok {
				h.Line = make(orb.LineString, n)
				for j := range h.Line {
					h.Line[j] = orb.Point{d.float64(), d.float64()}
				}
			}
			h.Text, h.Date = d.str(), d.str()
		}
	}
	if k := d.count(8 + 8 + 3); k > 0 {
		r.Review = make([]layers.ReviewItem, k)
		for i := range r.Review {
			it := &r.Review[i]
			it.ID, it.ArticleID, it.Text, it.Quote, it.Name, it.PlaceID, it.CountryCode = d.str(), d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
			it.Confidence = d.float64()
			it.Match = d.str()
			it.Why = d.strs()
			it.Reasons = d.strs()
			if n, ok := d.nilCount(3 + 8); ok {
				it.Alternatives = make([]layers.ReviewAlternative, n)
				for j := range it.Alternatives {
					a := &it.Alternatives[j]
					a.Name, a.PlaceID, a.CountryCode, a.Score = d.str(), d.str(), d.str(), d.float64()
				}
			}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if total != len(d.b) {
		return nil, fmt.Errorf("%w: %d bytes of mentions, %d left", errEntry, total, len(d.b))
	}
	if len(lens) > 0 {
		r.Mentions = make([]json.RawMessage, len(lens))
	}
	rest := d.b
	for i, n := range lens {
		m := rest[:n:n]
		if m[0] != '{' || m[n-1] != '}' {
			return nil, fmt.Errorf("%w: mention %d is not a JSON object", errEntry, i)
		}
		r.Mentions[i] = m
		rest = rest[n:]
	}
	return r, nil
}

// decoder reads the head of an entry. Its first error sticks: every later read returns
// zero values, and counts are 0, so a damaged head ends the loops at once.
type decoder struct {
	b   []byte
	err error
	// the last strings read: a head repeats many (a place's id, text and label, the
	// article's date), and a repeated one is not allocated again
	recent [8]string
	next   int
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errEntry
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// int reads a length, at most the bytes left.
func (d *decoder) int() int {
	v := d.uvarint()
	if v > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(v)
}

// count reads the length of a list whose items take at least min bytes each, so that a
// damaged count cannot make the decoder allocate more than the entry's size allows.
func (d *decoder) count(min int) int {
	v := d.uvarint()
	if v > uint64(len(d.b)/min) {
		d.fail()
		return 0
	}
	return int(v)
}

// nilCount reads the length of a list that may be nil (see appendCount).
func (d *decoder) nilCount(min int) (int, bool) {
	v := d.uvarint()
	if v == 0 {
		return 0, false
	}
	if v-1 > uint64(len(d.b)/min) {
		d.fail()
		return 0, false
	}
	return int(v - 1), true
}

func (d *decoder) str() string {
	n := d.int()
	raw := d.b[:n]
	d.b = d.b[n:]
	if n == 0 {
		return ""
	}
	for _, s := range d.recent {
		if len(s) == n && s == string(raw) {
			return s
		}
	}
	s := string(raw)
	d.recent[d.next] = s
	d.next = (d.next + 1) % len(d.recent)
	return s
}

func (d *decoder) strs() []string {
	n, ok := d.nilCount(1)
	if !ok {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) float64() float64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	if math.IsNaN(f) || math.IsInf(f, 0) {
		// the build never writes one (GeoJSON has no NaN or Inf): the entry is damaged
		d.fail()
		return 0
	}
	return f
}
