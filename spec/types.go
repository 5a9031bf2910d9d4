package spec

import (
	"fmt"
	"strconv"
)

// TypeKind is the kind of a value type.
type TypeKind uint8

// The value type kinds.
const (
	TBool TypeKind = iota
	TInt
	TEnum
	TArray
)

// Type is the type of a variable, local, parameter or element. Scalars are
// stored as value - Min() in Width() bytes.
type Type struct {
	Kind   TypeKind
	Lo, Hi int   // TInt
	Enum   *Enum // TEnum
	Len    int   // TArray
	Elem   *Type // TArray
}

var (
	boolType = &Type{Kind: TBool}
	// intType is the type of an int expression whose range is not tracked.
	intType = &Type{Kind: TInt, Lo: -1 << 30, Hi: 1 << 30}
	// byteType is the range of an int local or var declared without one.
	byteType = &Type{Kind: TInt, Lo: 0, Hi: 255}
	// badType stands for a type that could not be resolved; it matches
	// everything, so that one error does not cause others.
	badType = &Type{Kind: TInt, Lo: 0, Hi: 255}
)

// Min returns the smallest value of a scalar type.
func (t *Type) Min() int {
	if t.Kind == TInt {
		return t.Lo
	}
	return 0
}

// Max returns the largest value of a scalar type.
func (t *Type) Max() int {
	switch t.Kind {
	case TBool:
		return 1
	case TEnum:
		return len(t.Enum.Members) - 1
	}
	return t.Hi
}

// Contains reports whether v is a value of the scalar type.
func (t *Type) Contains(v int) bool { return v >= t.Min() && v <= t.Max() }

// Width returns how many bytes a value of the type takes in the state.
func (t *Type) Width() int {
	if t.Kind == TArray {
		return t.Len * t.Elem.Width()
	}
	span := t.Max() - t.Min()
	switch {
	case span < 1<<8:
		return 1
	case span < 1<<16:
		return 2
	}
	return 4
}

// Scalar returns the element type of an array, or t itself.
func (t *Type) Scalar() *Type {
	for t.Kind == TArray {
		t = t.Elem
	}
	return t
}

func (t *Type) String() string {
	switch t.Kind {
	case TBool:
		return "bool"
	case TEnum:
		return t.Enum.Name
	case TArray:
		return fmt.Sprintf("[%d]%s", t.Len, t.Elem)
	}
	if t == intType {
		return "int"
	}
	return fmt.Sprintf("%d..%d", t.Lo, t.Hi)
}

// Format renders value v of the scalar type as the user writes it.
func (t *Type) Format(v int) string {
	switch t.Kind {
	case TBool:
		return strconv.FormatBool(v != 0)
	case TEnum:
		if v >= 0 && v < len(t.Enum.Members) {
			return t.Enum.Members[v]
		}
	}
	return strconv.Itoa(v)
}

// assignable reports whether a value of type src may be stored in dst.
func assignable(dst, src *Type) bool {
	if dst == badType || src == badType {
		return true
	}
	switch dst.Kind {
	case TInt:
		return src.Kind == TInt
	case TEnum:
		return src.Kind == TEnum && src.Enum == dst.Enum
	case TBool:
		return src.Kind == TBool
	}
	return false
}

// comparable reports whether values of the two types may be compared for
// equality.
func comparable(a, b *Type) bool {
	return a.Kind != TArray && b.Kind != TArray && assignable(a, b)
}

// Load reads a scalar of type t stored at s[off:].
func Load(s []byte, off int, t *Type, w int) int {
	var raw int
	switch w {
	case 1:
		raw = int(s[off])
	case 2:
		raw = int(s[off]) | int(s[off+1])<<8
	default:
		raw = int(s[off]) | int(s[off+1])<<8 | int(s[off+2])<<16 | int(s[off+3])<<24
	}
	return raw + t.Min()
}

// store writes v, which must be in range, as a scalar of type t at s[off:].
func store(s []byte, off int, t *Type, w int, v int) {
	raw := v - t.Min()
	switch w {
	case 1:
		s[off] = byte(raw)
	case 2:
		s[off] = byte(raw)
		s[off+1] = byte(raw >> 8)
	default:
		s[off] = byte(raw)
		s[off+1] = byte(raw >> 8)
		s[off+2] = byte(raw >> 16)
		s[off+3] = byte(raw >> 24)
	}
}
