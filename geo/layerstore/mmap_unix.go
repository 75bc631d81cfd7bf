//go:build unix

package layerstore

import (
	"os"
	"syscall"
)

// mapFile maps size bytes of f read-only. The mapping outlives f; release unmaps it.
func mapFile(f *os.File, size int) (data []byte, release func([]byte), err error) {
	if size == 0 {
		return nil, func([]byte) {}, nil
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func(b []byte) { _ = syscall.Munmap(b) }, nil
}
