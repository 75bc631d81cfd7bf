//go:build !unix

package corpus

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
