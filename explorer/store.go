package explorer

import (
	"github.com/zeebo/xxh3"
)

// store is the visited set: every state's bytes and its parent's index,
// in arenas of fixed-size records, with an open-addressing index of 32-bit
// slots (load at most 3/4). States are numbered in the order they were added, which is the
// breadth-first queue itself.
type store struct {
	size      int // bytes of a state
	rec       int // bytes of a record: the state, then its parent (4 bytes)
	chunkRecs int
	chunks    [][]byte
	n         int
	table     []uint32 // index + 1 of a state, 0 for an empty slot
	mask      uint64
}

const noParent = ^uint32(0)

func newStore(size int) *store {
	st := &store{size: size, rec: size + 4}
	st.chunkRecs = max(1, (4<<20)/st.rec)
	st.table = make([]uint32, 1<<12)
	st.mask = uint64(len(st.table) - 1)
	return st
}

// memory returns the bytes the store holds.
func (st *store) memory() int64 {
	return int64(len(st.chunks))*int64(st.chunkRecs*st.rec) + int64(len(st.table))*4
}

func (st *store) record(i uint32) []byte {
	c := int(i) / st.chunkRecs
	off := (int(i) % st.chunkRecs) * st.rec
	return st.chunks[c][off : off+st.rec]
}

// state returns the bytes of state i; they stay valid for the store's life.
func (st *store) state(i uint32) []byte { return st.record(i)[:st.size] }

func (st *store) parent(i uint32) uint32 {
	r := st.record(i)[st.size:]
	return uint32(r[0]) | uint32(r[1])<<8 | uint32(r[2])<<16 | uint32(r[3])<<24
}

func hash(s []byte) uint64 { return xxh3.Hash(s) }

// add returns the index of state s, adding it with the given parent when it
// is new.
func (st *store) add(s []byte, parent uint32) (uint32, bool) {
	h := hash(s)
	for i := h & st.mask; ; i = (i + 1) & st.mask {
		slot := st.table[i]
		if slot == 0 {
			idx := st.append(s, parent)
			st.table[i] = idx + 1
			if uint64(st.n)*4 > uint64(len(st.table))*3 {
				st.grow()
			}
			return idx, true
		}
		if string(st.state(slot-1)) == string(s) {
			return slot - 1, false
		}
	}
}

func (st *store) append(s []byte, parent uint32) uint32 {
	idx := uint32(st.n)
	if st.n == len(st.chunks)*st.chunkRecs {
		st.chunks = append(st.chunks, make([]byte, st.chunkRecs*st.rec))
	}
	r := st.record(idx)
	copy(r, s)
	r[st.size] = byte(parent)
	r[st.size+1] = byte(parent >> 8)
	r[st.size+2] = byte(parent >> 16)
	r[st.size+3] = byte(parent >> 24)
	st.n++
	return idx
}

// grow doubles the index and places every state again.
func (st *store) grow() {
	st.table = make([]uint32, len(st.table)*2)
	st.mask = uint64(len(st.table) - 1)
	for idx := 0; idx < st.n; idx++ {
		h := hash(st.state(uint32(idx)))
		i := h & st.mask
		for st.table[i] != 0 {
			i = (i + 1) & st.mask
		}
		st.table[i] = uint32(idx) + 1
	}
}

// growCost is the memory a table doubling would take.
func (st *store) growCost() int64 { return int64(len(st.table)) * 8 }

// path returns the states from the initial one to state i.
func (st *store) path(i uint32) [][]byte {
	var out [][]byte
	for ; i != noParent; i = st.parent(i) {
		out = append(out, append([]byte(nil), st.state(i)...))
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

// lookup returns the index of state s if it is stored.
func (st *store) lookup(s []byte) (uint32, bool) {
	h := hash(s)
	for i := h & st.mask; ; i = (i + 1) & st.mask {
		slot := st.table[i]
		if slot == 0 {
			return 0, false
		}
		if string(st.state(slot-1)) == string(s) {
			return slot - 1, true
		}
	}
}
