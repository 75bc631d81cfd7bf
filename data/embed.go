// Package data holds the files that newsmap ships inside its binary.
package data

import "embed"

// Gazetteer holds the offline gazetteer files (see gazetteer/README.md);
// open it with fs.Sub(Gazetteer, "gazetteer").
//
//go:embed gazetteer/*.gz gazetteer/*.tsv gazetteer/*.json
var Gazetteer embed.FS
