package main

import (
	"newsmap/pipeline/lang"

	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"newsmap/geo/gazetteer"
	"newsmap/pipeline"
	"newsmap/pipeline/article"
	"newsmap/pipeline/layers"
)

func runGeoparse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	codes := strings.Join(lang.Codes(), "|")
	fs := newFlagSet("geoparse", "[-published YYYY-MM-DD] [-lang "+codes+"] FILE|-", stderr)
	published := fs.String("published", "", "publication date `YYYY-MM-DD` (overrides the front matter; required for plain text)")
	code := fs.String("lang", "", "language of the article: `code` "+codes+" (overrides the front matter; default de)")
	indent := fs.Bool("indent", false, "indent the JSON output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	name := fs.Arg(0)
	src, err := readInput(name)
	if err != nil {
		return err
	}
	defaults := &article.Article{ID: articleIDFromPath(name), Language: "de"}
	if *published != "" {
		t, err := article.ParseDate(*published)
		if err != nil {
			return fmt.Errorf("-published: %w", err)
		}
		defaults.Published = t
	}
	a, err := article.Parse(src, defaults)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if *published != "" { // the flag wins over the front matter
		a.Published = defaults.Published
	}
	if *code != "" {
		l, err := lang.Lookup(*code)
		if err != nil {
			return fmt.Errorf("-lang: %w", err)
		}
		a.Language = l.Code
	}
	g, err := loadGazetteer()
	if err != nil {
		return err
	}
	doc, err := pipeline.Geoparse(g, a)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fc := layers.Mentions([]*pipeline.Document{doc})
	fc.ExtraMembers = map[string]any{"temporal_expressions": layers.TemporalExpressions(doc)}
	enc := json.NewEncoder(stdout)
	if *indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(fc)
}

func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}

func articleIDFromPath(name string) string {
	if name == "-" {
		return "stdin"
	}
	base := filepath.Base(name)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// loadGazetteer opens the gazetteer embedded in the binary.
func loadGazetteer() (*gazetteer.Gazetteer, error) { return gazetteer.LoadEmbedded() }
