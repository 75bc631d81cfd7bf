package static_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsmap/geo/schema"
)

// TestSchemaJS keeps schema.js, the page's copy of the layer schema, equal to what
// geo/schema declares: every exported string constant (layer and property names) and
// SearchKeys. NEWSMAP_UPDATE=1 rewrites the file.
func TestSchemaJS(t *testing.T) {
	want, err := schemaJS(filepath.Join("..", "..", "geo", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("NEWSMAP_UPDATE") == "1" {
		if err := os.WriteFile("schema.js", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("schema.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("schema.js differs from geo/schema; run NEWSMAP_UPDATE=1 go test ./web/static -run SchemaJS\ngot:\n%s\nwant:\n%s", got, want)
	}
	for _, name := range []string{"Date", "DateEnd", "Name", "NameDE", "Names", "Label", "Texts", "MentionCount"} {
		if !bytes.Contains(got, []byte("\n  "+name+": ")) {
			t.Errorf("schema.js lacks %s", name)
		}
	}
}

// schemaJS renders the exported string constants of the Go package in dir, in the
// order they are declared, as a frozen JavaScript object window.newsmapSchema.
func schemaJS(dir string) ([]byte, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var b bytes.Buffer
	b.WriteString("// Code generated from geo/schema by TestSchemaJS (NEWSMAP_UPDATE=1 go test ./web/static\n")
	b.WriteString("// -run SchemaJS); DO NOT EDIT. The layer schema's names, for app.js: see\n")
	b.WriteString("// docs/ARCHITECTURE.md for what each property holds.\n")
	b.WriteString("window.newsmapSchema = Object.freeze({\n")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Type != nil { // typed constants (granularities) are not names
					continue
				}
				for i, id := range vs.Names {
					if !id.IsExported() || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v := constant.StringVal(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
					q, _ := json.Marshal(v)
					fmt.Fprintf(&b, "  %s: %s,\n", id.Name, strings.ReplaceAll(string(q), `"`, "'"))
					n++
				}
			}
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("no string constants in %s", dir)
	}
	for _, l := range []struct {
		name string
		v    []string
	}{{"Layers", schema.Layers()}, {"SearchKeys", schema.SearchKeys()}} {
		q := make([]string, len(l.v))
		for i, s := range l.v {
			q[i] = "'" + s + "'"
		}
		fmt.Fprintf(&b, "  %s: Object.freeze([%s]),\n", l.name, strings.Join(q, ", "))
	}
	b.WriteString("});\n")
	return b.Bytes(), nil
}
