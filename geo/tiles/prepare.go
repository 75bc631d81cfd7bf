package tiles

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"newsmap/geo/layerstore"
	"newsmap/geo/schema"
)

// prepared is what rendering needs of one layer version, computed once per version so
// that a tile costs a lookup, a projection by multiplication and byte copies:
// point coordinates in Web Mercator world units, and the layer's property keys and values
// interned and encoded as MVT messages, with each feature's tags as indices into them.
type prepared struct {
	feats  []prepFeature // feats[i] is the layer's i-th feature (Layer.FeatureAt)
	keys   []string
	values [][]byte // Tile.Value messages
	tags   []uint32 // backing array of the features' tags
	pcKey  uint32   // the key PointCount, for thinned tiles
	bytes  int64    // an estimate of the memory held, for the cache bound
	pool   sync.Pool
}

// Geometry kinds of a prepared feature.
const (
	kindNone  uint8 = iota // no geometry: never drawn
	kindPoint              // x, y hold the world coordinates
	kindMultiPoint
	kindOther // lines and polygons, projected per tile from the feature's geometry
)

type prepFeature struct {
	kind   uint8
	x, y   float64     // kindPoint: world coordinates in [0, 1]; y < 0 marks orb's south clamp
	weight float64     // schema.Prominence, for thinning
	pts    []orb.Point // kindMultiPoint: world coordinates
	tags   []uint32    // key, value index pairs, keys in sorted order (as orb's encoder)
}

// southClamp marks a point so far south that orb's projection pins it to the last row of
// pixels of the world at any zoom.
const southClamp = -1

// worldXY is orb's mercator.ToPlanar at level 0: multiplying by 2^level (exact in
// floating point) gives the same numbers orb computes at that level.
func worldXY(p orb.Point) (x, y float64) {
	x = p[0]/360.0 + 0.5
	siny := math.Sin(p[1] * math.Pi / 180.0)
	switch {
	case siny > 0.9999:
		y = 0
	case siny < -0.9999:
		y = southClamp
	default:
		y = 0.5 + 0.5*math.Log((1.0+siny)/(1.0-siny))/(-2*math.Pi)
	}
	return x, y
}

// scratch is the per-render state: the tile-local numbering of keys and values (0 means
// "not used in this tile yet", else local index + 1) and the buffers the tile is built in.
type scratch struct {
	keyLocal, valLocal []uint32
	usedKeys, usedVals []uint32 // a used value >= len(valLocal) is counts[v-len(valLocal)]
	counts             [][]byte // the point_count values of a thinned tile
	countLocal         map[int32]uint32
	feats              []byte
	tags               []uint32
	geom               []uint32
	xs, ys, ws         []float64 // a tile's points and their weights, for thinning
}

func (p *prepared) getScratch() *scratch {
	if s, ok := p.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{keyLocal: make([]uint32, len(p.keys)), valLocal: make([]uint32, len(p.values))}
}

func (p *prepared) putScratch(s *scratch) {
	for _, k := range s.usedKeys {
		s.keyLocal[k] = 0
	}
	for _, v := range s.usedVals {
		if int(v) < len(s.valLocal) {
			s.valLocal[v] = 0
		}
	}
	s.counts = s.counts[:0]
	clear(s.countLocal)
	s.usedKeys, s.usedVals = s.usedKeys[:0], s.usedVals[:0]
	if cap(s.feats) > 4<<20 { // do not pin the buffer of one huge tile
		s.feats = nil
	}
	s.feats = s.feats[:0]
	p.pool.Put(s)
}

// prepare interns the layer's properties and projects its points.
func prepare(l *layerstore.Layer) (*prepared, error) {
	n := l.Count()
	p := &prepared{feats: make([]prepFeature, n)}
	keyIdx := map[string]uint32{}
	strIdx := map[string]uint32{}
	numIdx := map[float64]uint32{}
	boolIdx := [2]uint32{math.MaxUint32, math.MaxUint32}
	var valBytes int64
	addValue := func(enc []byte) uint32 {
		p.values = append(p.values, enc)
		valBytes += int64(len(enc)) + 24
		return uint32(len(p.values) - 1)
	}
	var keys []string
	ends := make([]int, n) // where each feature's tags end in p.tags
	for i := range n {
		// One feature decoded at a time (the layer keeps them encoded): a large layer's
		// features never all live at once.
		f, err := l.FeatureAt(i)
		if err != nil {
			return nil, err
		}
		pf := &p.feats[i]
		switch g := f.Geometry.(type) {
		case nil:
			if i > 0 {
				ends[i] = ends[i-1]
			}
			continue
		case orb.Point:
			pf.kind = kindPoint
			pf.x, pf.y = worldXY(g)
			pf.weight = schema.Prominence(f.Properties)
		case orb.MultiPoint:
			pf.kind = kindMultiPoint
			pf.pts = make([]orb.Point, len(g))
			for j, pt := range g {
				pf.pts[j][0], pf.pts[j][1] = worldXY(pt)
			}
		default:
			pf.kind = kindOther
		}
		keys = keys[:0]
		for k, v := range f.Properties {
			if v != nil { // MVT has no null: a null property is left out
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			ki, ok := keyIdx[k]
			if !ok {
				ki = uint32(len(p.keys))
				keyIdx[k] = ki
				p.keys = append(p.keys, k)
			}
			var vi uint32
			switch v := f.Properties[k].(type) {
			case float64:
				if vi, ok = numIdx[v]; !ok {
					vi = addValue(doubleValue(v))
					numIdx[v] = vi
				}
			case bool:
				b := 0
				if v {
					b = 1
				}
				if vi = boolIdx[b]; vi == math.MaxUint32 {
					vi = addValue([]byte{7 << 3 /* varint */, byte(b)})
					boolIdx[b] = vi
				}
			default:
				s, err := propertyString(v)
				if err != nil {
					return nil, fmt.Errorf("tiles: layer %s feature %d property %s: %w", l.Name(), i, k, err)
				}
				if vi, ok = strIdx[s]; !ok {
					vi = addValue(stringValue(s))
					strIdx[s] = vi
				}
			}
			p.tags = append(p.tags, ki, vi)
		}
		ends[i] = len(p.tags)
	}
	// Each feature's tags are its stretch of the one array, sliced once it stops growing.
	start := 0
	for i := range p.feats {
		p.feats[i].tags = p.tags[start:ends[i]:ends[i]]
		start = ends[i]
	}
	pc, ok := keyIdx[PointCount]
	if !ok {
		pc = uint32(len(p.keys))
		p.keys = append(p.keys, PointCount)
	}
	p.pcKey = pc
	p.bytes = int64(len(p.feats))*int64(prepFeatureSize) + int64(len(p.tags))*4 + valBytes + int64(len(p.keys))*32
	return p, nil
}

// prepFeatureSize is the size of a prepFeature on 64-bit platforms (1 + 3×8 +
// 3×8 + 3×8, padded), for the memory estimate.
const prepFeatureSize = 80

// propertyString is the MVT string of a property that is not a number or a boolean:
// strings as they are, arrays and objects as JSON (MVT has no nested values).
func propertyString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// stringValue encodes a Tile.Value with string_value (field 1).
func stringValue(s string) []byte {
	b := make([]byte, 0, len(s)+1+binary.MaxVarintLen32)
	b = append(b, 1<<3|2)
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// doubleValue encodes a Tile.Value with double_value (field 3), as orb encodes float64.
func doubleValue(f float64) []byte {
	b := make([]byte, 9)
	b[0] = 3<<3 | 1
	binary.LittleEndian.PutUint64(b[1:], math.Float64bits(f))
	return b
}
