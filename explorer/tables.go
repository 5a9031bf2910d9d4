package explorer

import "unsafe"

// tables holds the memory of the large tables of the checks after a
// search (tarjan's): they grow with the states, live only while the
// checks run, and hold no pointers. Where the system allows it they are
// mapped apart from the Go heap (tables_unix.go), each with room for as
// many elements as the search may ever hold: a page costs memory only once
// written, growing leaves no garbage behind for the collector to let
// accumulate, and release gives it all back. Elsewhere, or when a mapping
// is refused, they are ordinary slices; an append past the room reserved
// moves a table to the heap, as for any slice.
type tables struct {
	maps [][]byte
}

// reserve returns an empty slice with room for n elements of T, which
// must hold no pointers.
func reserve[T any](tb *tables, n int) []T {
	var zero T
	if mem := mapPages(int(unsafe.Sizeof(zero)) * n); mem != nil {
		tb.maps = append(tb.maps, mem)
		return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(mem))), n)[:0]
	}
	return nil
}

// release gives the mapped memory back; no slice reserved may be used
// after it.
func (tb *tables) release() {
	for _, m := range tb.maps {
		unmapPages(m)
	}
	tb.maps = nil
}
