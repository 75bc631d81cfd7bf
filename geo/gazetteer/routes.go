package gazetteer

import "github.com/paulmach/orb"

// Routes returns the entries drawn as lines (named corridors and roads), in load order.
func (g *Gazetteer) Routes() []*Entry {
	var out []*Entry
	for i := range g.entries {
		if _, ok := g.entries[i].Geometry.(orb.LineString); ok {
			out = append(out, &g.entries[i])
		}
	}
	return out
}
