//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs main itself when the test binary is started as the newsmap command (see
// newsmapCommand), so that the interrupt tests send real signals to a real process.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSMAP_TEST_MAIN") == "1" {
		os.Args = append([]string{"newsmap"}, os.Args[1:]...)
		main()
		return
	}
	// geoparse keeps its gazetteer snapshot in the user's cache folder: the tests' own
	// (os.UserCacheDir reads XDG_CACHE_HOME), shared by the tests and their commands
	cache, err := os.MkdirTemp("", "newsmap-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

func newsmapCommand(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "NEWSMAP_TEST_MAIN=1")
	return cmd
}

const smallArticle = "---\nid: small\npublished: 2021-05-03\nlanguage: de\n---\nAm Montag reisten Delegationen von Berlin nach Wien.\n"

// longArticle is a German article of about n bytes with places and dates in every
// sentence.
func longArticle(n int) string {
	var b strings.Builder
	b.WriteString("---\nid: long\npublished: 2021-05-03\nlanguage: de\n---\n")
	for b.Len() < n {
		b.WriteString("Am 3. Mai 2021 reisten Delegationen von Berlin nach Wien, am Dienstag weiter nach Prag. Seit dem Winter ist die Lage in Warschau ruhig.\n\n")
	}
	return b.String()
}

// layerFolder is an output folder with an earlier build's layers (sentinel contents)
// and a temporary file that a killed build left.
func layerFolder(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	for _, name := range []string{"mentions.geojson", "places.geojson", "routes.geojson", "regions.geojson"} {
		if err := os.WriteFile(filepath.Join(out, name), []byte("previous "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(out, ".mentions.geojson.12345.tmp"), []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBuildSkipsFIFO: a FIFO named like an article is reported, not read (reading it
// would block the build forever), and the temporary file of a killed build is removed.
func TestBuildSkipsFIFO(t *testing.T) {
	in, out := t.TempDir(), layerFolder(t)
	os.WriteFile(filepath.Join(in, "a.md"), []byte(smallArticle), 0o644)
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.md"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := newsmapCommand(ctx, "build", "-cache", "", "-articles", in, "-out", out)
	b, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("build hung on a FIFO:\n%s", b)
	}
	if err != nil || !strings.Contains(string(b), "pipe.md: ingest: not a regular file") {
		t.Errorf("build: %v\n%s", err, b)
	}
	if tmp := tempFiles(t, out); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	if m, _ := os.ReadFile(filepath.Join(out, "mentions.geojson")); !strings.Contains(string(m), "Wien") {
		t.Errorf("mentions not written: %.200s", m)
	}
}

// TestBuildInterrupt: SIGINT or SIGTERM during a long article stops the build within a
// second, with a non-zero exit status, the previous layers and no temporary files.
func TestBuildInterrupt(t *testing.T) {
	in := t.TempDir()
	os.WriteFile(filepath.Join(in, "a.md"), []byte(smallArticle), 0o644)
	os.WriteFile(filepath.Join(in, "b.md"), []byte(longArticle(6<<20)), 0o644)
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}
	bound := time.Second
	if raceDetector {
		// The race detector slows the process several times: one signal, a looser bound.
		signals, bound = signals[:1], 3*time.Second
	}
	for _, sig := range signals {
		t.Run(sig.String(), func(t *testing.T) {
			out := layerFolder(t)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := newsmapCommand(ctx, "build", "-cache", "", "-workers", "1", "-articles", in, "-out", out)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stderr)
			var log strings.Builder
			for sc.Scan() {
				log.WriteString(sc.Text() + "\n")
				if strings.HasPrefix(sc.Text(), "gazetteer:") {
					break
				}
			}
			time.Sleep(300 * time.Millisecond) // into the 6 MB article, which takes seconds
			sent := time.Now()
			cmd.Process.Signal(sig)
			for sc.Scan() {
				log.WriteString(sc.Text() + "\n")
			}
			err = cmd.Wait()
			took := time.Since(sent)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Errorf("exit: %v, want a non-zero status\n%s", err, log.String())
			}
			if took > bound {
				t.Errorf("stopped %v after the signal, want within %v", took, bound)
			}
			if !strings.Contains(log.String(), "interrupted; the layers in") {
				t.Errorf("no interruption message:\n%s", log.String())
			}
			for _, name := range []string{"mentions.geojson", "places.geojson"} {
				if b, _ := os.ReadFile(filepath.Join(out, name)); string(b) != "previous "+name {
					t.Errorf("%s replaced: %.100s", name, b)
				}
			}
			if tmp := tempFiles(t, out); len(tmp) != 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
			t.Logf("%v: stopped %v after the signal", sig, took.Round(time.Millisecond))
		})
	}
}
