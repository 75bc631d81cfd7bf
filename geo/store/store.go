// Package store is the port between newsmap's HTTP adapters (web, web/ogc) and the
// stores that hold the layers: the in-memory layerstore (the default, see Memory) and
// PostGIS (geo/postgis, for replicas that share a database).
//
// It is shaped by what the handlers call and nothing more: the catalogue of layers
// with their metadata (Catalog), one layer by name (Store.Layer), and per layer a query
// (bbox, datetime, article, q, property filters, limit and offset, matches in id order
// with their count), one feature by id, the whole layer as its GeoJSON, and one vector
// tile. A store pushes the work down where its data is: layerstore answers from its
// in-memory indexes, PostGIS from SQL over its GiST indexes. The query semantics are
// layerstore's (layerstore.Query); every implementation answers them identically, which
// the golden comparison of geo/postgis checks route by route.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/schema"
	"newsmap/geo/tiles"
)

// ErrUnavailable is the kind of the errors of a store that cannot answer for now (its
// database is down or restarting): the caller may retry later. The HTTP layer answers
// it 503 with Retry-After.
var ErrUnavailable = errors.New("store: unavailable, retry later")

// Store holds the layers.
type Store interface {
	// Catalog returns the layers, sorted by name, with a hash over them all.
	Catalog(ctx context.Context) (*Catalog, error)
	// Layer returns the named layer, or an error wrapping layerstore.ErrUnknownLayer.
	Layer(ctx context.Context, name string) (Layer, error)
}

// Catalog is the set of layers a store serves at one moment.
type Catalog struct {
	Layers []Layer
	// Hash changes whenever any layer does (for the catalogue's ETag).
	Hash string
	// Loaded is when this set of layers was read.
	Loaded time.Time
	// Problems are the layers that cannot be read (their last good version is served).
	Problems []error
}

// Layer is one layer: its metadata, answered without any work, and its data.
type Layer interface {
	Name() string
	Title() string
	Count() int
	// Bound is the bounding box of all geometries; ok is false for a layer without any.
	Bound() (b orb.Bound, ok bool)
	// TimeExtent is the union of the features' time intervals.
	TimeExtent() (iv schema.Interval, ok bool)
	// Fields are the feature properties, sorted by name.
	Fields() []layerstore.Field
	// Hash identifies the layer's content (for ETags and caches).
	Hash() string
	// ModTime is when this version of the layer was written.
	ModTime() time.Time

	// Query returns the features that match q in id order, with their count.
	Query(ctx context.Context, q layerstore.Query) (Result, error)
	// Feature returns the feature with the given id; ok is false when there is none.
	Feature(ctx context.Context, id string) (f *geojson.Feature, ok bool, err error)
	// GeoJSON returns the whole layer as the FeatureCollection it was built as. The
	// slice is shared and must not be modified.
	GeoJSON(ctx context.Context) ([]byte, error)
	// Tile returns the vector tile t of the layer (one MVT layer named after it), the
	// same tile whatever the store.
	Tile(ctx context.Context, t maptile.Tile) (tiles.Encoded, error)
}

// Result is one page of matches.
type Result struct {
	// JSON holds the GeoJSON encoding of each match, in id order (shared, read-only).
	// The file store's are read from a mapped index that this slice keeps mapped: use
	// the elements through it, do not keep one apart from it, and do not append to it.
	JSON [][]byte
	// NumberMatched counts all matches, ignoring limit and offset.
	NumberMatched int
	// Features are the matches decoded, in id order (shared, read-only), when the store
	// decoded them: layerstore unless the query asked for Encoded, PostGIS only for
	// GeometryOnly; nil otherwise: use Decoded. With GeometryOnly they carry no
	// properties, and a store may leave JSON nil.
	Features []*geojson.Feature
}

// Decoded returns the matches as features, in id order: the store's own (shared, not
// to be modified), or decoded from JSON for a store that does not keep them decoded, so
// that the pages that send JSON only never decode them.
func (r *Result) Decoded() ([]*geojson.Feature, error) {
	if r.Features != nil || len(r.JSON) == 0 {
		return r.Features, nil
	}
	out := make([]*geojson.Feature, len(r.JSON))
	for i, b := range r.JSON {
		f, err := geojson.UnmarshalFeature(b)
		if err != nil {
			return nil, fmt.Errorf("store: feature %d of the page: %w", i, err)
		}
		out[i] = f
	}
	r.Features = out
	return out, nil
}
