package export

import (
	"bufio"
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
	bw := bufio.NewWriter(w)
	for i, f := range fc.Features {
		if f == nil {
			continue
		}
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("export: feature %d: %w", i, err)
		}
		bw.WriteByte(recordSeparator)
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: writing geojsonseq: %w", err)
	}
	return nil
}

// WriteGeoJSON writes fc as an RFC 7946 FeatureCollection followed by a newline.
func WriteGeoJSON(w io.Writer, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return ErrNilCollection
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("export: encoding geojson: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("export: writing geojson: %w", err)
	}
	return nil
}
