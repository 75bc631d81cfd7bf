// Command newsmap reads news articles, finds the places and dates they mention and turns
// them into GeoJSON layers, which it can serve as a map, vector tiles and OGC API - Features.
//
// Usage:
//
//	newsmap <command> [flags]
//
// Run "newsmap help" for the list of commands and "newsmap <command> -h" for their flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: its name, a one-line summary and the function that runs it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"geoparse", "print the place mentions and temporal expressions of one article as GeoJSON", runGeoparse},
		{"ingest", "read feeds, pages and JSON Lines (files or URLs) into the articles folder", runIngest},
		{"build", "build the GeoJSON layers in data/layers from the articles in data/articles", runBuild},
		{"export", "write the layers as GeoPackage, KML, CSV, GeoJSONSeq or GeoJSON", runExport},
		{"serve", "serve the layers as a map, GeoJSON, vector tiles and OGC API - Features", runServe},
		{"publish", "write the map as a static site: the page, one PMTiles archive, downloads", runPublish},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "newsmap %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "newsmap: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// errUsage reports bad flags or arguments; the flag set has already printed why.
var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprintln(w, "newsmap maps the places and dates that news articles mention.")
	fmt.Fprintln(w, "\nUsage: newsmap <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"newsmap <command> -h\" for the flags of a command.")
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("newsmap "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: newsmap %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps flag errors to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
