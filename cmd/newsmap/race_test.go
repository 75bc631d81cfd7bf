//go:build race

package main

// raceDetector reports a -race build, which runs several times slower: timing bounds of
// the process tests are relaxed and some variants skipped.
const raceDetector = true
