package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb/geojson"
)

// recordSeparator starts every text of a GeoJSON Text Sequence (RFC 8142).
const recordSeparator = 0x1E

// WriteGeoJSONSeq writes fc as a GeoJSON Text Sequence (RFC 8142): each feature as one
// line of compact JSON, prefixed by the record separator byte 0x1E.
func WriteGeoJSONSeq(w io.Writer, fc *geojson.FeatureCollection) error {
	return writeGeoJSONSeq(context.Background(), w, fc)
}

func writeGeoJSONSeq(ctx context.Context, w io.Writer, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return ErrNilCollection
	}
	bw := bufio.NewWriter(w)
	err := eachFeature(ctx, fc, func(_ int, b []byte) {
		bw.WriteByte(recordSeparator)
		bw.Write(b)
		bw.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: writing geojsonseq: %w", err)
	}
	return nil
}

// WriteGeoJSON writes fc as an RFC 7946 FeatureCollection followed by a newline, the
// members as orb encodes them (features, then type), one feature at a time.
func WriteGeoJSON(w io.Writer, fc *geojson.FeatureCollection) error {
	return writeGeoJSON(context.Background(), w, fc)
}

func writeGeoJSON(ctx context.Context, w io.Writer, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return ErrNilCollection
	}
	if fc.BBox != nil || len(fc.ExtraMembers) > 0 {
		// Rare (layers have neither): let orb place the extra members.
		b, err := json.Marshal(fc)
		if err != nil {
			return fmt.Errorf("export: encoding geojson: %w", err)
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("export: writing geojson: %w", err)
		}
		return nil
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"features":[`)
	err := eachFeature(ctx, fc, func(n int, b []byte) {
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	})
	if err != nil {
		return err
	}
	bw.WriteString(`],"type":"FeatureCollection"}` + "\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: writing geojson: %w", err)
	}
	return nil
}

// eachFeature encodes the non-nil features of fc in order and passes each to emit with
// the number emitted before it; it stops when ctx is done.
func eachFeature(ctx context.Context, fc *geojson.FeatureCollection, emit func(n int, b []byte)) error {
	n := 0
	for i, f := range fc.Features {
		if err := stopped(ctx, i); err != nil {
			return err
		}
		if f == nil {
			continue
		}
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("export: feature %d: %w", i, err)
		}
		emit(n, b)
		n++
	}
	return nil
}
