// Command dbload writes a folder of layer files into PostGIS as one build, as
// `newsmap build -db` does after a build: for the replica benchmark
// (docs/bench/replicas.sh), whose synthetic layers come from docs/bench/synth rather
// than from articles.
//
//	go run ./docs/bench/dbload -layers DIR -db postgres://user@host/db
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"newsmap/geo/layerstore"
	"newsmap/geo/postgis"
)

func main() {
	dir := flag.String("layers", "", "folder of layer files")
	url := flag.String("db", "", "PostGIS URL")
	flag.Parse()
	if err := run(*dir, *url); err != nil {
		fmt.Fprintln(os.Stderr, "dbload:", err)
		os.Exit(1)
	}
}

func run(dir, url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, err := layerstore.Open(dir)
	if err != nil {
		return err
	}
	conn, err := postgis.Connect(ctx, url, 15*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	start := time.Now()
	build, err := postgis.Write(ctx, conn, st.Layers())
	if err != nil {
		return err
	}
	fmt.Printf("build %d: %d layers in %v\n", build, len(st.Layers()), time.Since(start).Round(time.Millisecond))
	return nil
}
