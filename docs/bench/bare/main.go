// Command bare serves one file's bytes for every request with plain net/http and no
// middleware: the ceiling that any net/http server (newsmap included) can reach for a
// cached tile, to compare with nginx serving the same file (see docs/BENCHMARKS.md).
//
//	go run ./docs/bench/bare -addr 127.0.0.1:39090 FILE
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:39090", "address to listen on")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: bare [-addr HOST:PORT] FILE")
		os.Exit(2)
	}
	body, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := strconv.Itoa(len(body))
	err = http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/vnd.mapbox-vector-tile"}
		h["Content-Encoding"] = []string{"gzip"}
		h["Content-Length"] = []string{n}
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
