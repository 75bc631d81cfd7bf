//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package gazetteer

import (
	"os"
	"syscall"
)

// snapshotPerm is the mode of a snapshot file: read-only, since processes map it.
const snapshotPerm = 0o444

// mapFile maps the first size bytes of f into memory, private (copy-on-write: writes
// reach neither the file nor other processes) and readable and writable like heap
// memory; ok is false when the system refuses, and the caller reads the file instead.
// The mapping outlives f. release unmaps it.
func mapFile(f *os.File, size int) (b []byte, release func(), ok bool) {
	b, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	return b, func() { syscall.Munmap(b) }, true
}
