//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package gazetteer

import "os"

// mapFile is not available here: the snapshot is read into memory.
func mapFile(*os.File, int) ([]byte, func(), bool) { return nil, nil, false }
