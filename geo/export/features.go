package export

import (
	"context"
	"fmt"

	"github.com/paulmach/orb/geojson"
)

// Features are what an export writes: Len features, each got with At when a writer needs
// it. Writers read them in order, in two passes (the columns, then the rows), and keep
// none: a source that decodes each feature when asked (a large layer kept encoded) makes
// an export whose memory does not grow with the layer. A nil feature is skipped.
type Features interface {
	Len() int
	At(i int) (*geojson.Feature, error)
}

// Collection returns the features of fc as Features.
func Collection(fc *geojson.FeatureCollection) Features { return collection{fc} }

type collection struct{ fc *geojson.FeatureCollection }

func (c collection) Len() int                           { return len(c.fc.Features) }
func (c collection) At(i int) (*geojson.Feature, error) { return c.fc.Features[i], nil }

// each calls fn with the non-nil features of src in order. It stops at the first error
// of At or fn, and when ctx is done (returning ctx's error), looking every checkEvery
// features.
func each(ctx context.Context, src Features, fn func(i int, f *geojson.Feature) error) error {
	for i := range src.Len() {
		if err := stopped(ctx, i); err != nil {
			return err
		}
		f, err := src.At(i)
		if err != nil {
			return fmt.Errorf("export: feature %d: %w", i, err)
		}
		if f == nil {
			continue
		}
		if err := fn(i, f); err != nil {
			return err
		}
	}
	return nil
}
