//go:build !unix

package layerstore

import (
	"io"
	"os"
)

// mapFile reads size bytes of f into memory, where the system has no mmap to offer.
func mapFile(f *os.File, size int) (data []byte, release func([]byte), err error) {
	data = make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, int64(size)), data); err != nil {
		return nil, nil, err
	}
	return data, func([]byte) {}, nil
}
