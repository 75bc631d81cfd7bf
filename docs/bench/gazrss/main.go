// Command gazrss loads the embedded gazetteer once and reports the load time and the
// process's resident memory afterwards (VmRSS and its peak VmHWM from /proc/self/status),
// for docs/BENCHMARKS.md.
//
// Usage:
//
//	go run ./docs/bench/gazrss
package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"time"

	"newsmap/data"
	"newsmap/geo/gazetteer"
)

func main() {
	before := status()
	sub, err := fs.Sub(data.Gazetteer, "gazetteer")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gazrss:", err)
		os.Exit(1)
	}
	start := time.Now()
	g, err := gazetteer.Load(sub)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gazrss:", err)
		os.Exit(1)
	}
	took := time.Since(start)
	after := status()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc := status()
	fmt.Printf("load %v\n", took.Round(time.Millisecond))
	fmt.Printf("VmRSS before load %s, after load %s, after GC %s; peak VmHWM %s\n",
		before["VmRSS"], after["VmRSS"], gc["VmRSS"], gc["VmHWM"])
	fmt.Printf("Go heap in use after GC %d MB\n", ms.HeapInuse>>20)
	runtime.KeepAlive(g)
}

// status reads the Vm* lines of /proc/self/status.
func status() map[string]string {
	m := map[string]string{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.HasPrefix(k, "Vm") {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}
