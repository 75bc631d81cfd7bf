// Command gazrss loads the embedded gazetteer once and reports the load time, its CPU
// time, and the process's resident memory afterwards (VmRSS and its peak VmHWM from
// /proc/self/status), for docs/BENCHMARKS.md.
//
// Usage:
//
//	go run ./docs/bench/gazrss                  # from the source files (gazetteer.Load)
//	go run ./docs/bench/gazrss -snapshot DIR    # with a snapshot in DIR: the first run writes it, later runs read it
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"newsmap/geo/gazetteer"
)

func main() {
	dir := flag.String("snapshot", "", "`folder` of the gazetteer snapshot (\"\": load the source files)")
	flag.Parse()
	before := status()
	start, cpu0 := time.Now(), cpuTime()
	g, st, err := gazetteer.LoadEmbeddedCached(gazetteer.SnapshotOptions{Dir: *dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gazrss:", err)
		os.Exit(1)
	}
	took, cpu := time.Since(start), cpuTime()-cpu0
	after := status()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc := status()
	how := "source files"
	switch {
	case st.Read:
		how = "snapshot read"
	case st.Written:
		how = "source files, snapshot written"
	case st.WriteErr != nil:
		how = fmt.Sprintf("source files, snapshot not written: %v", st.WriteErr)
	}
	fmt.Printf("load %v, CPU %v (%s)\n", took.Round(time.Millisecond), cpu.Round(time.Millisecond), how)
	fmt.Printf("VmRSS before load %s, after load %s, after GC %s; peak VmHWM %s\n",
		before["VmRSS"], after["VmRSS"], gc["VmRSS"], gc["VmHWM"])
	fmt.Printf("Go heap in use after GC %d MB\n", ms.HeapInuse>>20)
	runtime.KeepAlive(g)
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
