package layerstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// ChangeKind says how a layer changed between two snapshots.
type ChangeKind string

// The kinds of Change.
const (
	Added   ChangeKind = "added"   // a new layer is served
	Updated ChangeKind = "updated" // a new version of the layer is served
	Removed ChangeKind = "removed" // the layer's file is gone; the layer is no longer served
	Failed  ChangeKind = "failed"  // the file's new version cannot be loaded
	Fixed   ChangeKind = "fixed"   // the file loads again after a failure
)

// Change is one difference between two snapshots, as a server reports it.
type Change struct {
	Layer    string
	Kind     ChangeKind
	Features int    // the features now served (0 for Removed, and for Failed without a previous version)
	Hash     string // the content hash of the version now served
	Err      error  // Failed: why, in words about the file, not about Go
	// Serving is true for Failed when an earlier version of the layer is still served.
	Serving bool
}

// Changes lists what differs from old to cur, by layer name.
func Changes(old, cur *Snapshot) []Change {
	names := map[string]bool{}
	for n := range old.layers {
		names[n] = true
	}
	for n := range cur.layers {
		names[n] = true
	}
	for n := range cur.failed {
		names[n] = true
	}
	for n := range old.failed {
		names[n] = true
	}
	var out []Change
	for _, n := range slices.Sorted(func(yield func(string) bool) {
		for n := range names {
			if !yield(n) {
				return
			}
		}
	}) {
		ol, hadOld := old.layers[n]
		nl, hasNew := cur.layers[n]
		c := Change{Layer: n}
		if hasNew {
			c.Features, c.Hash = nl.Count(), nl.Hash()
		}
		switch oe, ne := old.failed[n], cur.failed[n]; {
		case ne != nil && ne != oe:
			c.Kind, c.Err, c.Serving = Failed, ne, hasNew
			out = append(out, c)
			continue
		case ne == nil && oe != nil && hasNew:
			c.Kind = Fixed
			out = append(out, c)
			continue
		}
		switch {
		case hasNew && !hadOld:
			c.Kind = Added
		case !hasNew && hadOld:
			c.Kind = Removed
		case hasNew && ol.Hash() != nl.Hash():
			c.Kind = Updated
		default:
			continue
		}
		out = append(out, c)
	}
	return out
}

// WatchChanges calls Reload every interval until ctx is done, passing each change it
// made to report (which may be nil). It blocks; run it in its own goroutine.
func (s *Store) WatchChanges(ctx context.Context, interval time.Duration, report func(Change)) {
	every(ctx, interval, func() {
		old := s.Snapshot()
		s.Reload() // its errors are in the snapshot's problems, reported as changes
		if report == nil {
			return
		}
		for _, c := range Changes(old, s.Snapshot()) {
			report(c)
		}
	})
}

// describeJSON rewords a JSON decoding error about a layer file for a person: where in
// the file it is and what was wrong, without Go's type names.
func describeJSON(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	early := errors.New("the JSON ends early (a file still being written, or truncated)")
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return early
	case errors.As(err, &syn):
		if strings.Contains(syn.Error(), "unexpected end of JSON input") {
			return early
		}
		return fmt.Errorf("not valid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ): // before Error, which needs a Type that ours lack
		where := ""
		if typ.Field != "" {
			where = " in " + typ.Field
		}
		return fmt.Errorf("invalid GeoJSON at byte %d: unexpected %s%s", typ.Offset, typ.Value, where)
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return early
	}
	return fmt.Errorf("invalid GeoJSON: %w", err)
}
