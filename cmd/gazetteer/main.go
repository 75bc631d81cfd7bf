// Command gazetteer builds the compact gazetteer files under data/gazetteer from
// the pinned npm registry packages installed by data/gazetteer/make.sh.
//
//	go run ./cmd/gazetteer -src data/gazetteer/source/node_modules -out data/gazetteer
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	src := flag.String("src", "data/gazetteer/source/node_modules", "folder holding the installed npm packages")
	out := flag.String("out", "data/gazetteer", "output folder (also holds the hand-written curated.json)")
	flag.Parse()
	rep, err := build(*src, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gazetteer:", err)
		os.Exit(1)
	}
	rep.print(os.Stdout)
}
