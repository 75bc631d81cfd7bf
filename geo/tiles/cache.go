package tiles

import (
	"container/list"
	"sync"

	"github.com/paulmach/orb/maptile"
)

type cacheKey struct {
	layer, hash string
	tile        maptile.Tile
}

type cacheEntry struct {
	key  cacheKey
	data []byte
}

// lru is a mutex-guarded least-recently-used cache bounded by entries and bytes.
type lru struct {
	mu       sync.Mutex
	maxItems int
	maxBytes int64
	bytes    int64
	order    *list.List // front = most recent
	items    map[cacheKey]*list.Element
}

func newLRU(maxItems int, maxBytes int64) *lru {
	return &lru{maxItems: maxItems, maxBytes: maxBytes, order: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *lru) get(k cacheKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cacheEntry).data, true
	}
	return nil, false
}

func (c *lru) add(k cacheKey, data []byte) {
	if int64(len(data)) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.items[k] = c.order.PushFront(&cacheEntry{key: k, data: data})
	c.bytes += int64(len(data))
	for c.order.Len() > c.maxItems || c.bytes > c.maxBytes {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.items, e.key)
		c.bytes -= int64(len(e.data))
	}
}

func (c *lru) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
