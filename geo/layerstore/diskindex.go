package layerstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// IndexDirName is the folder, inside a store's folder, that holds its layers' indexes:
// NAME.KEY.idx, where KEY is made of the index format's version and the layer file's
// name, size and modification time. A folder that cannot be written leaves the indexes
// in unlinked temporary files (rebuilt at each start).
const IndexDirName = ".index"

// indexKey names the index of one version of a layer file.
func indexKey(name string, st stamp) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%d\x00%d", indexVersion, name, st.size, st.mod.UnixNano()))
	return hex.EncodeToString(sum[:8])
}

// loadIndexed returns the layer of the file at path (of stamp st) from its index in
// idxDir, building the index when there is none for this version of the file, or when
// the one there cannot be used (ErrBadIndex: damaged, truncated, another format): an
// index file is never trusted beyond its checks.
func loadIndexed(name, path, idxDir string, st stamp) (*Layer, error) {
	idxPath := filepath.Join(idxDir, name+"."+indexKey(name, st)+".idx")
	x, err := mapIndex(idxPath, st, true)
	if err != nil {
		if x, err = buildIndexFile(name, path, idxPath, st); err != nil {
			return nil, err
		}
	}
	l := layerOf(name, x)
	l.path, l.modTime, l.size = path, st.mod, st.size
	return l, nil
}

// mapIndex maps the index file at path after checking its header against st, its size
// and, when verify is set, the checksum of its body. Errors wrap ErrBadIndex, or are
// those of opening the file.
func mapIndex(path string, st stamp, verify bool) (*index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return mapOpenIndex(f, st, verify)
}

func mapOpenIndex(f *os.File, st stamp, verify bool) (*index, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	hb := make([]byte, headerSize)
	if _, err := f.ReadAt(hb, 0); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadIndex, f.Name(), err)
	}
	h, err := unmarshalHeader(hb)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, f.Name())
	}
	if h.srcSize != st.size || h.srcMod != st.mod.UnixNano() {
		return nil, fmt.Errorf("%w: %s: made from another version of the layer file", ErrBadIndex, f.Name())
	}
	if h.end != uint64(info.Size()) {
		return nil, fmt.Errorf("%w: %s: %d bytes, the header says %d", ErrBadIndex, f.Name(), info.Size(), h.end)
	}
	if verify {
		if err := verifyBody(f, h); err != nil {
			return nil, fmt.Errorf("%w (%s)", err, f.Name())
		}
	}
	data, release, err := mapFile(f, int(info.Size()))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadIndex, f.Name(), err)
	}
	x, err := openIndex(data)
	if err != nil {
		release(data)
		return nil, fmt.Errorf("%w (%s)", err, f.Name())
	}
	// The mapping goes when its anchor does: the anchor is held by the index (so by the
	// Layer) and by every slice of shared encodings (Layer.FeaturesJSON); nothing else
	// a Layer returns points into the mapping.
	runtime.AddCleanup(&x.anchor[0], release, data)
	return x, nil
}

// buildIndexFile reads the layer file at path and writes its index to idxPath (a
// temporary file renamed into place, so that a reader sees a whole index or none), then
// removes the layer's older indexes and maps the new one. Errors are the layer file's.
func buildIndexFile(name, path, idxPath string, st stamp) (*index, error) {
	src, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dir := filepath.Dir(idxPath)
	var tmp *os.File
	if err = os.MkdirAll(dir, 0o755); err == nil {
		tmp, err = os.CreateTemp(dir, name+".*.tmp")
	}
	inPlace := err == nil
	if !inPlace { // a folder we cannot write: an unlinked file elsewhere
		if tmp, err = os.CreateTemp("", "newsmap-"+name+".*.idx"); err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bi, err := writeIndex(name, src, tmp, st.size, st.mod.UnixNano())
	if err != nil {
		return nil, err
	}
	if bi.size != st.size {
		// The file changed between stat and read; the next Reload will see the new stamp.
		return nil, fmt.Errorf("file changed while reading (%d bytes, expected %d)", bi.size, st.size)
	}
	if !inPlace {
		x, err := mapOpenIndex(tmp, st, false)
		if err != nil {
			return nil, err
		}
		return x, nil // the deferred Remove unlinks the file; the mapping keeps it
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	if err := os.Rename(tmp.Name(), idxPath); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	done = true
	removeStaleIndexes(dir, name, filepath.Base(idxPath))
	return mapIndex(idxPath, st, false)
}

// staleTemp is the age past which a temporary index file is taken for the leftover of
// a process that stopped while it wrote it (a writer changes it every few milliseconds).
const staleTemp = time.Hour

// removeStaleIndexes removes the other index files of layer name in dir (a served
// snapshot that maps one keeps reading it: the mapping holds the file), and its
// temporary files left by a process that stopped while writing one.
func removeStaleIndexes(dir, name, keep string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, name+".") {
			continue
		}
		if strings.HasSuffix(n, ".tmp") {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp && strings.Count(n, ".") == 2 {
				os.Remove(filepath.Join(dir, n))
			}
			continue
		}
		if n == keep || !strings.HasSuffix(n, ".idx") {
			continue
		}
		key := strings.TrimSuffix(strings.TrimPrefix(n, name+"."), ".idx")
		if len(key) != 16 || strings.Contains(key, ".") {
			continue // another layer whose name starts with name and a dot
		}
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			continue
		}
	}
}

// WriteIndexes writes the index of every layer of dir whose index is missing or stale,
// as Open would, so that a server's first start on the folder finds them: for a program
// that writes layers (newsmap build). Its errors are Open's.
func WriteIndexes(dir string) error {
	_, err := Open(dir)
	return err
}
