package tiles

import (
	"context"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"newsmap/geo/layerstore"
)

// WarmOptions bound the warming of a layer version's low zooms. Zero values pick the
// defaults.
type WarmOptions struct {
	// MaxZoom is the deepest zoom warmed (0: zoom 0 only; DefaultWarmZoom suits most
	// maps).
	MaxZoom int
	// MaxTiles bounds the tiles rendered per layer version (default 1,024).
	MaxTiles int
	// MaxBytes bounds the bytes of the tiles rendered per layer version (default 16 MiB,
	// a quarter of the default tile cache, so that warming does not evict what readers
	// asked for).
	MaxBytes int64
	// Budget bounds the time spent per layer version (default 10 s).
	Budget time.Duration
}

// DefaultWarmZoom is the deepest zoom worth warming: the zooms a map opens at, where one
// tile holds many features and costs the most to render (zooms 0–5 are at most 1,365
// tiles).
const DefaultWarmZoom = 5

func (o WarmOptions) withDefaults() WarmOptions {
	o.MaxZoom = min(max(o.MaxZoom, 0), MaxZoom)
	if o.MaxTiles <= 0 {
		o.MaxTiles = 1024
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 16 << 20
	}
	if o.Budget <= 0 {
		o.Budget = 10 * time.Second
	}
	return o
}

// Warmed reports one warming.
type Warmed struct {
	Layer    string
	Tiles    int           // tiles rendered or found in the cache
	Skipped  int           // tiles too large for the cache, left to be rendered on demand
	Bytes    int64         // their identity and gzip bytes
	Duration time.Duration // time spent
	Complete bool          // false when a bound or ctx stopped it before MaxZoom was done
}

// Warm renders the tiles of zooms 0 to MaxZoom that hold features of l into the cache,
// lowest zoom first, so that the first readers after a (re)load do not each pay for a
// rendering. A tile whose features would make it too large for the cache (estimated from
// the layer's bytes per feature) is skipped: warming it would be work thrown away. It
// stops at the first bound reached (tiles, bytes, time) or when ctx ends. Without a
// cache it does nothing.
func (r *Renderer) Warm(ctx context.Context, l *layerstore.Layer, opts WarmOptions) Warmed {
	opts = opts.withDefaults()
	w := Warmed{Layer: l.Name()}
	b, ok := l.Bound()
	if r.cache == nil || !ok {
		w.Complete = true
		return w
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, opts.Budget)
	defer cancel()
	p, err := r.prepare(ctx, layerKey{l.Name(), l.Hash()}, l)
	if err != nil {
		w.Duration = time.Since(start)
		return w
	}
	perFeature := p.bytes / int64(max(len(p.feats), 1))
	frac := r.buffer / float64(r.extent)
	for z := maptile.Zoom(0); int(z) <= opts.MaxZoom; z++ {
		lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z) // north-west corner
		hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
		for y := lo.Y; y <= hi.Y; y++ {
			for x := lo.X; x <= hi.X; x++ {
				t := maptile.New(x, y, z)
				n := int64(len(l.Intersecting(t.Bound(frac))))
				if n == 0 {
					continue // an empty tile costs nothing to render on demand
				}
				if n*perFeature > r.maxTileBytes {
					w.Skipped++
					continue
				}
				if w.Tiles >= opts.MaxTiles || w.Bytes >= opts.MaxBytes || ctx.Err() != nil {
					w.Duration = time.Since(start)
					return w
				}
				e, err := r.Render(ctx, l, t)
				if err != nil { // ctx ended while waiting for another caller's rendering
					w.Duration = time.Since(start)
					return w
				}
				w.Tiles++
				w.Bytes += int64(len(e.MVT) + len(e.Gzip))
			}
		}
	}
	w.Duration, w.Complete = time.Since(start), true
	return w
}

// WarmStore warms every layer of the store (see Warm), then, every interval until ctx
// ends, the layers whose version changed since (a reload). report, if not nil, is called
// after each warming. An interval ≤ 0 warms once.
func (r *Renderer) WarmStore(ctx context.Context, store *layerstore.Store, interval time.Duration, opts WarmOptions, report func(Warmed)) {
	warmed := map[string]string{} // layer name → hash warmed
	var snap *layerstore.Snapshot
	for {
		if cur := store.Snapshot(); cur != snap {
			snap = cur
			for _, l := range snap.Layers() {
				if warmed[l.Name()] == l.Hash() {
					continue
				}
				w := r.Warm(ctx, l, opts)
				if ctx.Err() != nil {
					return
				}
				warmed[l.Name()] = l.Hash()
				if report != nil {
					report(w)
				}
			}
		}
		if interval <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
