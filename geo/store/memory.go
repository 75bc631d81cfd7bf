package store

import (
	"context"
	"sync/atomic"

	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
	"newsmap/geo/tiles"
)

// Memory is the Store of a layerstore.Store: every answer comes from the layers in
// memory, tiles from a tiles.Renderer.
type Memory struct {
	st   *layerstore.Store
	r    *tiles.Renderer
	view atomic.Pointer[memView]
}

// memView is the catalogue of one layerstore snapshot, made once per snapshot so that
// finding a layer allocates nothing.
type memView struct {
	snap   *layerstore.Snapshot
	cat    *Catalog
	byName map[string]*memLayer
}

// NewMemory returns the Store of st; r renders its tiles (nil: tiles.New with default
// options).
func NewMemory(st *layerstore.Store, r *tiles.Renderer) *Memory {
	if r == nil {
		r = tiles.New(tiles.Options{})
	}
	return &Memory{st: st, r: r}
}

// Layerstore returns the layerstore.Store m serves.
func (m *Memory) Layerstore() *layerstore.Store { return m.st }

func (m *Memory) current() *memView {
	snap := m.st.Snapshot()
	if v := m.view.Load(); v != nil && v.snap == snap {
		return v
	}
	v := &memView{snap: snap, byName: map[string]*memLayer{}}
	ls := snap.Layers()
	v.cat = &Catalog{Layers: make([]Layer, len(ls)), Hash: snap.Hash(), Loaded: snap.Loaded(), Problems: snap.Problems()}
	for i, l := range ls {
		ml := &memLayer{Layer: l, r: m.r}
		v.cat.Layers[i] = ml
		v.byName[l.Name()] = ml
	}
	m.view.Store(v)
	return v
}

// Catalog returns the layers of the current snapshot.
func (m *Memory) Catalog(context.Context) (*Catalog, error) { return m.current().cat, nil }

// Layer returns the named layer of the current snapshot.
func (m *Memory) Layer(_ context.Context, name string) (Layer, error) {
	v := m.current()
	if l, ok := v.byName[name]; ok {
		return l, nil
	}
	_, err := v.snap.Layer(name) // the error of an unknown or invalid name
	return nil, err
}

// memLayer is a layerstore layer as a Layer: its metadata methods are the layer's own.
type memLayer struct {
	*layerstore.Layer
	r *tiles.Renderer
}

func (l *memLayer) Query(_ context.Context, q layerstore.Query) (Result, error) {
	res, err := l.Layer.Query(q)
	if err != nil {
		return Result{}, err
	}
	// Shared with the layer's index, not copied (an export holds every match); the slice
	// keeps the index mapped while it is in use (layerstore.Layer.FeaturesJSON).
	return Result{Features: res.Features, JSON: l.FeaturesJSON(res.Positions), NumberMatched: res.NumberMatched}, nil
}

func (l *memLayer) Feature(_ context.Context, id string) (*geojson.Feature, bool, error) {
	f, ok := l.Layer.Feature(id)
	return f, ok, nil
}

func (l *memLayer) GeoJSON(context.Context) ([]byte, error) { return l.Layer.GeoJSON() }

func (l *memLayer) Tile(ctx context.Context, t maptile.Tile) (tiles.Encoded, error) {
	return l.r.Render(ctx, l.Layer, t)
}
