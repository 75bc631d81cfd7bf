package resolve

import (
	"testing"

	"newsmap/geo/gazetteer"
)

// TestCoordinate: two listed spans take the pair of readings with the best joint score,
// a pair of one sort earning List; a pair of different sorts changes nothing.
func TestCoordinate(t *testing.T) {
	mxSonora := &gazetteer.Entry{ID: "mx-son", Kind: gazetteer.KindAdmin, CountryCode: "MX"}
	usSonora := &gazetteer.Entry{ID: "us-son", Kind: gazetteer.KindVillage, CountryCode: "US"}
	mxDurango := &gazetteer.Entry{ID: "mx-dur", Kind: gazetteer.KindAdmin, CountryCode: "MX"}
	usDurango := &gazetteer.Entry{ID: "us-dur", Kind: gazetteer.KindTown, CountryCode: "US"}
	frParis := &gazetteer.Entry{ID: "fr-par", Kind: gazetteer.KindCity, CountryCode: "FR"}
	gbLondon := &gazetteer.Entry{ID: "gb-lon", Kind: gazetteer.KindCity, CountryCode: "GB"}
	w := DefaultWeights
	for _, tt := range []struct {
		name         string
		a, b         []Alternative
		wantA, wantB *gazetteer.Entry
	}{
		{"the states, though a village outscored one alone",
			[]Alternative{{usSonora, 4.2}, {mxSonora, 3.9}}, []Alternative{{mxDurango, 4.5}, {usDurango, 3.0}},
			mxSonora, mxDurango},
		{"the bonus does not outweigh a clear lead",
			[]Alternative{{usSonora, 5.5}, {mxSonora, 3.9}}, []Alternative{{mxDurango, 4.5}, {usDurango, 1.0}},
			usSonora, mxDurango},
		{"different sorts: nothing changes",
			[]Alternative{{frParis, 4}}, []Alternative{{gbLondon, 4}},
			frParis, gbLondon},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w.coordinate(tt.a, tt.b)
			if tt.a[0].Entry != tt.wantA || tt.b[0].Entry != tt.wantB {
				t.Errorf("got %s and %s, want %s and %s", tt.a[0].Entry.ID, tt.b[0].Entry.ID, tt.wantA.ID, tt.wantB.ID)
			}
		})
	}
}
