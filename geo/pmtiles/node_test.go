package pmtiles

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
)

// TestReadByNPMPMTiles writes every tile of zooms 0..7 (21,845 vector tiles, a third of
// them repeating an earlier one at random, so that the directory needs leaves) and reads
// the archive back with the reference reader, npm pmtiles under node
// (testdata/read.mjs): every tile must come back and decode.
func TestReadByNPMPMTiles(t *testing.T) {
	node, err := exec.LookPath("node")
	nm, _ := filepath.Abs("../../web/static/node_modules")
	if _, serr := os.Stat(filepath.Join(nm, "pmtiles", "package.json")); err != nil || serr != nil {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
			t.Fatalf("node or npm pmtiles missing (cd web/static && npm ci) and NEWSMAP_REQUIRE_TOOLS=1: %v %v", err, serr)
		}
		t.Skip("node or npm pmtiles missing; cd web/static && npm ci")
	}
	path := filepath.Join(t.TempDir(), "a.pmtiles")
	r := rand.New(rand.NewPCG(1, 2))
	var earlier [][]byte
	st := writeArchive(t, path, 7, func(z uint8, x, y uint32) []byte {
		if len(earlier) > 0 && r.IntN(3) == 0 {
			return earlier[r.IntN(len(earlier))]
		}
		// One point feature that names its tile, so the reader's z/x/y can be checked.
		f := geojson.NewFeature(orb.Point{float64(x % 4096), float64(y % 4096)})
		f.Properties["tile"] = fmt.Sprintf("%d/%d/%d", z, x, y)
		b, err := mvt.MarshalGzipped(mvt.Layers{{Name: "t", Version: 2, Extent: 4096, Features: []*geojson.Feature{f}}})
		if err != nil {
			t.Fatal(err)
		}
		earlier = append(earlier, b)
		return b
	})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := NewReader(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rd.Header.LeafLength == 0 {
		t.Fatalf("no leaf directories for %d entries", rd.Header.TileEntries)
	}
	out, err := exec.Command(node, "testdata/read.mjs", path, nm).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node reader: %v\n%s", err, stderr)
	}
	var got struct {
		Addressed uint64         `json:"addressed"`
		Features  int            `json:"features"`
		Zooms     map[string]int `json:"zooms"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if got.Addressed != st.AddressedTiles || got.Addressed != 21845 || got.Features != 21845 || got.Zooms["7"] != 16384 {
		t.Errorf("node read %s; writer %+v", out, st)
	}
}
