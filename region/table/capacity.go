package table

import (
	"maps"
	"slices"

	"github.com/concorddb/concord/storage/item"
)

// Consumed capacity, as DynamoDB accounts it. Concord does not throttle;
// it reports what a request would have consumed.

// WriteUnits is DynamoDB's write cost of an item of size bytes: one unit
// per started KB, at least one.
func WriteUnits(size int) float64 {
	return float64(max((size+1023)/1024, 1))
}

// ReadUnits is DynamoDB's read cost of size bytes read together: one unit
// per started 4 KB for a strongly consistent read, half that for an
// eventually consistent one, at least one such step.
func ReadUnits(size int, consistent bool) float64 {
	u := float64(max((size+4095)/4096, 1))
	if consistent {
		return u
	}
	return u / 2
}

// WriteUnitsOf is the cost of replacing old with new (either may be nil):
// DynamoDB charges for the larger of the two.
func WriteUnitsOf(old, new item.Item) float64 {
	size := 0
	if old != nil {
		size = old.Size()
	}
	if new != nil {
		size = max(size, new.Size())
	}
	return WriteUnits(size)
}

// Capacity adds up the units a multi-table request consumed, per table.
// The zero value is empty and ready to use.
type Capacity struct {
	units map[string]float64
}

// Add counts units against table; a table added with 0 units is still
// listed.
func (c *Capacity) Add(table string, units float64) {
	if c.units == nil {
		c.units = map[string]float64{}
	}
	c.units[table] += units
}

// Tables returns the tables counted, sorted by name.
func (c *Capacity) Tables() []string {
	return slices.Sorted(maps.Keys(c.units))
}

// Units returns the units counted against table.
func (c *Capacity) Units(table string) float64 { return c.units[table] }
