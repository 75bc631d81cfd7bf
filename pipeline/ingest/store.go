package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"newsmap/pipeline/article"
)

// MergeStats says what MergeJSONL did.
type MergeStats struct {
	Added, Updated, Unchanged, Kept int // Kept: articles already in the file and not in the batch
}

// MergeJSONL merges articles into the JSON Lines file at path (created when missing): an
// article whose id is in the file replaces that line, a new one is appended. The file is
// streamed through a temporary file and renamed over the old one, so it is never half
// written and memory holds only the batch. Lines of the old file that do not decode are
// kept as they are (they are reported when the file is built).
func MergeJSONL(path string, arts []*article.Article) (MergeStats, error) {
	var st MergeStats
	byID := make(map[string]*article.Article, len(arts))
	var order []string
	for _, a := range arts {
		if _, dup := byID[a.ID]; !dup {
			order = append(order, a.ID)
		}
		byID[a.ID] = a
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return st, fmt.Errorf("ingest: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	w := bufio.NewWriterSize(tmp, 1<<20)
	written := map[string]bool{}
	if old, err := os.Open(path); err == nil {
		err = copyMerged(old, w, byID, written, &st)
		old.Close()
		if err != nil {
			tmp.Close()
			return st, fmt.Errorf("ingest: %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		tmp.Close()
		return st, fmt.Errorf("ingest: %w", err)
	}
	for _, id := range order {
		if written[id] {
			continue
		}
		if err := WriteJSONL(w, byID[id]); err != nil {
			tmp.Close()
			return st, err
		}
		st.Added++
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return st, fmt.Errorf("ingest: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return st, fmt.Errorf("ingest: sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return st, fmt.Errorf("ingest: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return st, fmt.Errorf("ingest: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return st, fmt.Errorf("ingest: %w", err)
	}
	return st, nil
}

// copyMerged copies the old file's lines to w, replacing those whose id is in byID.
func copyMerged(old io.Reader, w io.Writer, byID map[string]*article.Article, written map[string]bool, st *MergeStats) error {
	br := bufio.NewReaderSize(old, 1<<20)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				line = append(line, '\n')
			}
			a, derr := DecodeJSONLine(line)
			switch {
			case derr == nil && byID[a.ID] != nil && !written[a.ID]:
				n := byID[a.ID]
				if *n == *a {
					st.Unchanged++
				} else {
					st.Updated++
				}
				if werr := WriteJSONL(w, n); werr != nil {
					return werr
				}
				written[a.ID] = true
			default:
				if derr == nil {
					st.Kept++
				}
				if _, werr := w.Write(line); werr != nil {
					return werr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
