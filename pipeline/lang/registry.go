package lang

// registered is the one place languages are plugged in: a Language value defined in
// its own file (de.go, en.go, …) and listed here is read by ingest, recognition and
// the temporal tagger. See docs/ARCHITECTURE.md, "Adding a language".
var registered = []*Language{German, English, French}
