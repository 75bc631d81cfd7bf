package schema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// listed is what `go list -json` says of one package.
type listed struct {
	ImportPath   string
	Deps         []string // transitive, without tests
	TestImports  []string
	XTestImports []string
}

// TestPackageGraph keeps the layering of docs/ARCHITECTURE.md: schema imports nothing
// of newsmap; no geo package depends on pipeline, web or cmd (the layer readers do not
// link the geoparser); pipeline does not depend on web or cmd, nor web on pipeline or
// cmd. Test files count too.
func TestPackageGraph(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") != "" {
			t.Fatal("go not on PATH")
		}
		t.Skip("go not on PATH")
	}
	cmd := exec.Command(gobin, "list", "-e", "-json=ImportPath,Deps,TestImports,XTestImports", "newsmap/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	rules := []struct {
		from      string   // package path prefix
		forbidden []string // dependency path prefixes
	}{
		{"newsmap/geo/schema", []string{"newsmap"}},
		{"newsmap/geo", []string{"newsmap/pipeline", "newsmap/web", "newsmap/cmd"}},
		{"newsmap/pipeline", []string{"newsmap/web", "newsmap/cmd"}},
		{"newsmap/web", []string{"newsmap/pipeline", "newsmap/cmd"}},
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	reported := map[[2]string]bool{}
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		deps := append(append(append([]string{}, p.Deps...), p.TestImports...), p.XTestImports...)
		for _, r := range rules {
			if !under(p.ImportPath, r.from) {
				continue
			}
			for _, d := range deps {
				for _, bad := range r.forbidden {
					if under(d, bad) && !under(d, p.ImportPath) && !reported[[2]string{p.ImportPath, d}] {
						reported[[2]string{p.ImportPath, d}] = true
						t.Errorf("%s depends on %s (rule: %s must not depend on %s)", p.ImportPath, d, r.from, bad)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("go list found only %d packages", n)
	}
}

// under reports whether package path lies in the tree rooted at prefix.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}
