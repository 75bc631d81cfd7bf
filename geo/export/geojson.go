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
	if fc == nil {
		return ErrNilCollection
	}
	return writeGeoJSONSeq(context.Background(), w, Collection(fc))
}

func writeGeoJSONSeq(ctx context.Context, w io.Writer, src Features) error {
	bw := bufio.NewWriter(w)
	err := eachFeature(ctx, src, func(_ int, b []byte) {
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
	if fc == nil {
		return ErrNilCollection
	}
	return writeGeoJSON(context.Background(), w, Collection(fc))
}

func writeGeoJSON(ctx context.Context, w io.Writer, src Features) error {
	if c, ok := src.(collection); ok && (c.fc.BBox != nil || len(c.fc.ExtraMembers) > 0) {
		fc := c.fc
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
	err := eachFeature(ctx, src, func(n int, b []byte) {
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

// eachFeature encodes the non-nil features of src in order and passes each to emit with
// the number emitted before it; it stops when ctx is done.
func eachFeature(ctx context.Context, src Features, emit func(n int, b []byte)) error {
	n := 0
	return each(ctx, src, func(i int, f *geojson.Feature) error {
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("export: feature %d: %w", i, err)
		}
		emit(n, b)
		n++
		return nil
	})
}
