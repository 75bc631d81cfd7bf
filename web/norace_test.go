//go:build !race

package web

// raceDetector reports a -race build, whose allocations and speed measurements of
// the memory tests are not the program's.
const raceDetector = false
