package layerstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/orb/geojson"
)

// maxValueBytes bounds one feature (or one other member of the collection) while a
// layer file is read: the reader holds one value at a time, never the file.
const maxValueBytes = 256 << 20

// scanner reads a JSON text from r through a window that holds the value being read.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // next byte of buf to read
	base int64 // the offset in the file of buf[0]
	eof  bool
	err  error // a read error other than io.EOF
}

func newScanner(r io.Reader) *scanner { return &scanner{r: r, buf: make([]byte, 0, 1<<20)} }

// fill reads more of the file into the window, keeping buf[pos:]; false at the end.
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		s.buf, s.pos = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		nb := make([]byte, len(s.buf), 2*cap(s.buf))
		copy(nb, s.buf)
		s.buf = nb
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.eof = true
		if !errors.Is(err, io.EOF) {
			s.err = err
		}
	}
	return n > 0 || !s.eof
}

// peek returns the next byte that is not white space, without consuming it; ok is
// false at the end of the file.
func (s *scanner) peek() (c byte, ok bool) {
	for {
		s.pos = skipSpace(s.buf, s.pos)
		if s.pos < len(s.buf) {
			return s.buf[s.pos], true
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// offset is the file offset of the next byte.
func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

// value returns the next JSON value whole and its offset in the file; the bytes are
// valid until the next call. It finds where the value ends (skipValue); whether it is
// valid JSON is for its decoder to say.
func (s *scanner) value() ([]byte, int64, error) {
	c, ok := s.peek()
	if !ok {
		return nil, 0, s.early()
	}
	switch {
	case c == '"' || c == '{' || c == '[' || c == '-' || c == 't' || c == 'f' || c == 'n' || (c >= '0' && c <= '9'):
	default:
		return nil, 0, s.syntax(fmt.Sprintf("invalid character %q looking for beginning of value", c))
	}
	for {
		end, err := skipValue(s.buf, s.pos)
		if err == nil && (end < len(s.buf) || s.eof) {
			at := s.offset()
			v := s.buf[s.pos:end]
			s.pos = end
			return v, at, nil
		}
		if len(s.buf)-s.pos > maxValueBytes {
			return nil, 0, fmt.Errorf("a value at byte %d is longer than %d MiB", s.offset(), maxValueBytes>>20)
		}
		if !s.fill() {
			return nil, 0, s.early()
		}
	}
}

// expect consumes the byte c, which must come next.
func (s *scanner) expect(c byte, what string) error {
	got, ok := s.peek()
	if !ok {
		return s.early()
	}
	if got != c {
		return s.syntax(fmt.Sprintf("invalid character %q %s", got, what))
	}
	s.pos++
	return nil
}

func (s *scanner) early() error {
	if s.err != nil {
		return s.err
	}
	return describeJSON(io.ErrUnexpectedEOF)
}

// syntax is the error of an unexpected byte, at the offset encoding/json gives (the
// bytes read up to and including it).
func (s *scanner) syntax(msg string) error {
	return fmt.Errorf("not valid JSON at byte %d: %s", s.offset()+1, msg)
}

// scanCollection reads a GeoJSON FeatureCollection from r one feature at a time,
// passing each feature's JSON (valid until fn returns), its index and its offset in the
// file to fn, and returns the collection's other members. The file is never held whole.
func scanCollection(r io.Reader, fn func(k int, raw []byte, at int64) error) (geojson.Properties, error) {
	s := newScanner(r)
	var extra geojson.Properties
	c, ok := s.peek()
	if !ok {
		return nil, s.early()
	}
	if c != '{' {
		return nil, describeJSON(&json.UnmarshalTypeError{Value: "array or value", Offset: s.offset(), Field: "the top level (a FeatureCollection object)"})
	}
	s.pos++
	typ, hasFeatures, first := "", false, true
	for {
		c, ok := s.peek()
		if !ok {
			return nil, s.early()
		}
		if c == '}' {
			s.pos++
			break
		}
		if !first {
			if err := s.expect(',', "after object key:value pair"); err != nil {
				return nil, err
			}
			if c, ok = s.peek(); !ok {
				return nil, s.early()
			}
		}
		first = false
		if c != '"' {
			return nil, s.syntax(fmt.Sprintf("invalid character %q looking for beginning of object key string", c))
		}
		kraw, at, err := s.value()
		if err != nil {
			return nil, err
		}
		var key string
		if err := json.Unmarshal(kraw, &key); err != nil {
			return nil, describeJSONAt(err, at)
		}
		if err := s.expect(':', "after object key"); err != nil {
			return nil, err
		}
		if key == "features" {
			if hasFeatures {
				return nil, describeJSON(fmt.Errorf("geojson: the collection has two \"features\" members (at byte %d)", at))
			}
			hasFeatures = true
			if err := scanFeatures(s, fn); err != nil {
				return nil, err
			}
			continue
		}
		val, at, err := s.value()
		if err != nil {
			return nil, err
		}
		switch key {
		case "type":
			if err := json.Unmarshal(val, &typ); err != nil {
				return nil, describeJSONAt(err, at)
			}
		case "bbox":
			if !json.Valid(val) {
				var v any
				return nil, describeJSONAt(json.Unmarshal(val, &v), at)
			}
		default:
			var v any
			if err := json.Unmarshal(val, &v); err != nil {
				return nil, describeJSONAt(err, at)
			}
			if extra == nil {
				extra = geojson.Properties{}
			}
			extra[key] = v
		}
	}
	if c, ok := s.peek(); ok {
		return nil, s.syntax(fmt.Sprintf("invalid character %q after top-level value", c))
	}
	if s.err != nil {
		return nil, s.err
	}
	if typ != "FeatureCollection" {
		return nil, describeJSON(fmt.Errorf("geojson: not a feature collection: type=%s", typ))
	}
	return extra, nil
}

// scanFeatures reads the value of "features": null or an array of features.
func scanFeatures(s *scanner, fn func(k int, raw []byte, at int64) error) error {
	c, ok := s.peek()
	if !ok {
		return s.early()
	}
	if c == 'n' {
		v, at, err := s.value()
		if err != nil {
			return err
		}
		if string(v) != "null" {
			return describeJSONAt(json.Unmarshal(v, new(any)), at)
		}
		return nil
	}
	if c != '[' {
		return describeJSON(&json.UnmarshalTypeError{Value: "value", Offset: s.offset(), Field: "features (an array)"})
	}
	s.pos++
	for k := 0; ; k++ {
		c, ok := s.peek()
		if !ok {
			return s.early()
		}
		if c == ']' {
			s.pos++
			return nil
		}
		if k > 0 {
			if err := s.expect(',', "after array element"); err != nil {
				return err
			}
		}
		raw, at, err := s.value()
		if err != nil {
			return err
		}
		if err := fn(k, raw, at); err != nil {
			return err
		}
	}
}
