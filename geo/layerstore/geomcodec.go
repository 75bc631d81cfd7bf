package layerstore

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/paulmach/orb"
)

// The geometry of a feature is kept in the index in a binary form that decodes without
// parsing JSON (a tile reads the geometries of many features): a type byte, then for
// each list its length plus one (0 for a nil list, so that nil and empty decode as they
// were), and the coordinates as little-endian float64 pairs.
const (
	geomPoint byte = 1 + iota
	geomMultiPoint
	geomLineString
	geomMultiLineString
	geomPolygon
	geomMultiPolygon
	geomCollection
	geomRing
	geomBound
)

// errGeom is what decodeGeom returns for bytes that appendGeom did not write.
var errGeom = errors.New("layerstore: malformed geometry in index")

// maxGeomDepth bounds the nesting of geometry collections that decodeGeom follows.
const maxGeomDepth = 32

// appendGeom appends the binary form of g (not nil) to b. A type it does not know is
// an error (geojson decoding makes none).
func appendGeom(b []byte, g orb.Geometry) ([]byte, error) {
	switch v := g.(type) {
	case orb.Point:
		return appendPoint(append(b, geomPoint), v), nil
	case orb.MultiPoint:
		return appendPoints(append(b, geomMultiPoint), v, v == nil), nil
	case orb.LineString:
		return appendPoints(append(b, geomLineString), v, v == nil), nil
	case orb.Ring:
		return appendPoints(append(b, geomRing), v, v == nil), nil
	case orb.MultiLineString:
		b = appendLen(append(b, geomMultiLineString), len(v), v == nil)
		for _, ls := range v {
			b = appendPoints(b, ls, ls == nil)
		}
		return b, nil
	case orb.Polygon:
		return appendPolygon(append(b, geomPolygon), v), nil
	case orb.MultiPolygon:
		b = appendLen(append(b, geomMultiPolygon), len(v), v == nil)
		for _, p := range v {
			b = appendPolygon(b, p)
		}
		return b, nil
	case orb.Collection:
		b = appendLen(append(b, geomCollection), len(v), v == nil)
		for _, c := range v {
			if c == nil {
				b = append(b, 0)
				continue
			}
			var err error
			if b, err = appendGeom(b, c); err != nil {
				return nil, err
			}
		}
		return b, nil
	case orb.Bound:
		return appendPoint(appendPoint(append(b, geomBound), v.Min), v.Max), nil
	}
	return nil, errGeom
}

func appendLen(b []byte, n int, isNil bool) []byte {
	if isNil {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

func appendPoint(b []byte, p orb.Point) []byte {
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
}

func appendPoints(b []byte, ps []orb.Point, isNil bool) []byte {
	b = appendLen(b, len(ps), isNil)
	for _, p := range ps {
		b = appendPoint(b, p)
	}
	return b
}

func appendPolygon(b []byte, p orb.Polygon) []byte {
	b = appendLen(b, len(p), p == nil)
	for _, r := range p {
		b = appendPoints(b, r, r == nil)
	}
	return b
}

// geomReader decodes what appendGeom wrote, checking every length against the bytes
// left.
type geomReader struct {
	b   []byte
	bad bool
}

func (r *geomReader) len(minItem int) (n int, isNil bool) {
	v, k := binary.Uvarint(r.b)
	if k <= 0 || v > uint64(len(r.b)) {
		r.bad = true
		return 0, false
	}
	r.b = r.b[k:]
	if v == 0 {
		return 0, true
	}
	n = int(v - 1)
	if n*minItem > len(r.b) {
		r.bad = true
		return 0, false
	}
	return n, false
}

func (r *geomReader) point() orb.Point {
	if len(r.b) < 16 {
		r.bad = true
		return orb.Point{}
	}
	p := orb.Point{math.Float64frombits(binary.LittleEndian.Uint64(r.b)), math.Float64frombits(binary.LittleEndian.Uint64(r.b[8:]))}
	r.b = r.b[16:]
	return p
}

func (r *geomReader) points() []orb.Point {
	n, isNil := r.len(16)
	if r.bad || isNil {
		return nil
	}
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = r.point()
	}
	return ps
}

func (r *geomReader) polygon() orb.Polygon {
	n, isNil := r.len(1)
	if r.bad || isNil {
		return nil
	}
	p := make(orb.Polygon, n)
	for i := range p {
		p[i] = r.points()
		if r.bad {
			return nil
		}
	}
	return p
}

func (r *geomReader) geom(depth int) orb.Geometry {
	if len(r.b) == 0 || depth > maxGeomDepth {
		r.bad = true
		return nil
	}
	t := r.b[0]
	r.b = r.b[1:]
	switch t {
	case geomPoint:
		return r.point()
	case geomMultiPoint:
		return orb.MultiPoint(r.points())
	case geomLineString:
		return orb.LineString(r.points())
	case geomRing:
		return orb.Ring(r.points())
	case geomMultiLineString:
		n, isNil := r.len(1)
		if r.bad || isNil {
			return orb.MultiLineString(nil)
		}
		v := make(orb.MultiLineString, n)
		for i := range v {
			v[i] = r.points()
			if r.bad {
				return nil
			}
		}
		return v
	case geomPolygon:
		return r.polygon()
	case geomMultiPolygon:
		n, isNil := r.len(1)
		if r.bad || isNil {
			return orb.MultiPolygon(nil)
		}
		v := make(orb.MultiPolygon, n)
		for i := range v {
			v[i] = r.polygon()
			if r.bad {
				return nil
			}
		}
		return v
	case geomCollection:
		n, isNil := r.len(1)
		if r.bad || isNil {
			return orb.Collection(nil)
		}
		v := make(orb.Collection, n)
		for i := range v {
			if len(r.b) > 0 && r.b[0] == 0 {
				r.b = r.b[1:]
				continue
			}
			v[i] = r.geom(depth + 1)
			if r.bad {
				return nil
			}
		}
		return v
	case geomBound:
		return orb.Bound{Min: r.point(), Max: r.point()}
	}
	r.bad = true
	return nil
}

// decodeGeom decodes the binary form of a geometry; bytes that do not hold exactly one
// are an error wrapping errGeom.
func decodeGeom(b []byte) (orb.Geometry, error) {
	r := geomReader{b: b}
	g := r.geom(0)
	if r.bad || len(r.b) != 0 {
		return nil, errGeom
	}
	return g, nil
}
