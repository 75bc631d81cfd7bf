// Command loadrun is the load of replicas.sh's run through the load balancer: -c
// clients send GET requests for -d, each to one of the URLs in turn, and it prints per
// second how many were answered 200, 503 because the database is unavailable, 503
// because the server is busy (its concurrency bounds shed the load), otherwise, and how
// many failed at the connection (no answer), then the totals. In a URL, {bbox} is replaced for each
// request by a random 4°×4° box in [-10, 140]×[10, 70], where docs/bench/synth puts its
// mentions (so that filtered pages miss the page cache and reach the store).
//
//	go run ./docs/bench/loadrun -c 32 -d 30s URL...
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// second counts the outcomes of the requests that ended in one second of the run.
type second struct{ ok, unavailable, busy, other, failed int }

func main() {
	clients := flag.Int("c", 32, "concurrent clients")
	dur := flag.Duration("d", 30*time.Second, "duration of the run")
	timeout := flag.Duration("timeout", 5*time.Second, "bound on each request")
	flag.Parse()
	if flag.NArg() == 0 || *clients < 1 || *dur <= 0 {
		fmt.Fprintln(os.Stderr, "usage: loadrun [-c N] [-d DURATION] URL...")
		os.Exit(2)
	}
	secs := run(flag.Args(), *clients, *dur, *timeout)
	var tot second
	fmt.Println("second\t200\t503-db\t503-busy\tother\tfailed")
	for i, s := range secs {
		fmt.Printf("%d\t%d\t%d\t%d\t%d\t%d\n", i, s.ok, s.unavailable, s.busy, s.other, s.failed)
		tot.ok += s.ok
		tot.unavailable += s.unavailable
		tot.busy += s.busy
		tot.other += s.other
		tot.failed += s.failed
	}
	fmt.Printf("total\t%d\t%d\t%d\t%d\t%d\n", tot.ok, tot.unavailable, tot.busy, tot.other, tot.failed)
}

func run(urls []string, clients int, dur, timeout time.Duration) []second {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: false}
	client := &http.Client{Transport: tr, Timeout: timeout}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	start := time.Now()
	secs := make([]second, int(dur/time.Second)+1)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 1))
			for i := 0; ctx.Err() == nil; i++ {
				u := urls[(c+i)%len(urls)]
				if strings.Contains(u, "{bbox}") {
					w, s := -10+r.Float64()*146, 10+r.Float64()*56
					u = strings.ReplaceAll(u, "{bbox}", fmt.Sprintf("%.3f,%.3f,%.3f,%.3f", w, s, w+4, s+4))
				}
				code, body := get(ctx, client, u)
				if ctx.Err() != nil && code == 0 {
					return // the run ended during the request
				}
				k := int(time.Since(start) / time.Second)
				mu.Lock()
				if k < len(secs) {
					s := &secs[k]
					switch code {
					case 0:
						s.failed++
					case http.StatusOK:
						s.ok++
					case http.StatusServiceUnavailable:
						if strings.Contains(body, "busy") {
							s.busy++
						} else {
							s.unavailable++
						}
					default:
						s.other++
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return secs[:min(len(secs), int(dur/time.Second))]
}

// get returns the status of GET u, 0 when there is no answer, and the body of an
// error (the body of a 200 is read and dropped).
func get(ctx context.Context, client *http.Client, u string) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, ""
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return 0, ""
		}
		return resp.StatusCode, ""
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return 0, ""
	}
	return resp.StatusCode, string(b)
}
