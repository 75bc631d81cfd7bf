//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package gazetteer

import "os"

// snapshotPerm is the mode of a snapshot file. It is read, not mapped, here; and a
// read-only file could not be replaced by a rename on Windows.
const snapshotPerm = 0o644

// mapFile is not available here: the snapshot is read into memory.
func mapFile(*os.File, int) ([]byte, func(), bool) { return nil, nil, false }
